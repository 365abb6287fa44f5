"""/v1/cohorts/{id}/matching-runs and /v1/matching-runs: propose, review, re-run, approve."""

from flask.views import MethodView

from matching.handlers import runs as handlers
from matching.repositories.runs import RunsRepository
from matching.schemas import runs as schemas
from mentoring_shared.errors import NotFound
from mentoring_shared.web.acting import ORGANIZERS, tenant
from mentoring_shared.web.auth import current_principal, requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import unit_of_work
from mentoring_shared.web.pagination import PageArgs, page

blueprint = Blueprint("matching_runs", __name__, url_prefix="/v1",
                      description="Whole-cohort matching: a proposal to review, pins and forbids, approval.")


def _run(runs: RunsRepository, run_id: str):
    run = runs.get(tenant(), run_id)
    if run is None:
        raise NotFound(f"no matching run {run_id} in this tenant")
    return run


@blueprint.route("/cohorts/<id:cohort_id>/matching-runs")
class CohortRuns(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.StartRunSchema)
    @blueprint.response(201, schemas.RunSchema)
    @blueprint.alt_response(404, description="No such cohort in this tenant.")
    @blueprint.alt_response(409, description="The cohort is not in the matching state.")
    def post(self, body, cohort_id):
        """Run matching over the cohort (a dry run): the proposal, its score distribution, every
        unmatched mentee with the reason, and the optimality proof. Nothing is confirmed yet."""
        return handlers.start_run(tenant(), cohort_id, body, current_principal().subject, unit_of_work())

    @requires_role(*ORGANIZERS)
    @blueprint.arguments(PageArgs, location="query")
    @blueprint.response(200, schemas.RunPageSchema)
    @blueprint.alt_response(404, description="No such cohort in this tenant.")
    def get(self, args, cohort_id):
        """The cohort's runs, oldest first."""
        with unit_of_work().reading() as reads:
            if reads.cohorts.get(tenant(), cohort_id) is None:
                raise NotFound(f"no cohort {cohort_id} in this tenant")
            runs = reads.runs.of_cohort(tenant(), cohort_id, args["limit"] + 1, args.get("cursor"))
        return page(runs, args["limit"], lambda run: run.id)


@blueprint.route("/matching-runs/<id:run_id>")
class Run(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.response(200, schemas.RunSchema)
    @blueprint.alt_response(404, description="No such run in this tenant.")
    def get(self, run_id):
        """One run and its summary."""
        with unit_of_work().reading() as reads:
            return _run(reads.runs, run_id)


@blueprint.route("/matching-runs/<id:run_id>/pairs")
class RunPairs(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(PageArgs, location="query")
    @blueprint.response(200, schemas.RunPairPageSchema)
    @blueprint.alt_response(404, description="No such run in this tenant.")
    def get(self, args, run_id):
        """The proposed pairs, each with its explanation, by mentee (a page holds `limit` mentees)."""
        with unit_of_work().reading() as reads:
            _run(reads.runs, run_id)
            mentees = reads.runs.mentees(run_id, args["limit"] + 1, args.get("cursor"))
            pairs = reads.runs.pairs_of_mentees(run_id, mentees[:args["limit"]])
        cursor = mentees[args["limit"] - 1] if len(mentees) > args["limit"] else None
        return {"items": pairs, "next_cursor": cursor}


@blueprint.route("/matching-runs/<id:run_id>/approval")
class RunApproval(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.response(200, schemas.RunSchema)
    @blueprint.alt_response(404, description="No such run in this tenant.")
    @blueprint.alt_response(409, description="Stale: a newer run exists, or an input changed since the run.")
    def post(self, run_id):
        """Approve the proposal: every pair becomes a confirmed match (one event each)."""
        return handlers.approve_run(tenant(), run_id, current_principal().subject, unit_of_work())
