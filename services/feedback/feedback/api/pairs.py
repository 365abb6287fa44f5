"""/v1/cohorts/{id}/pairs and /v1/pairs/{id}: each pair's health, with the reasons, for the organizers
who act on it; /v1/programs/{id}/health-rules: a program's own thresholds."""

from flask.views import MethodView

from feedback.handlers import health_rules
from feedback.repositories.pairs import PairsRepository
from feedback.repositories.programs import ProgramsRepository
from feedback.schemas import goals as schemas
from feedback.schemas.health_rules import HealthRulesInSchema, ProgramHealthRulesSchema
from mentoring_shared.errors import NotFound
from mentoring_shared.web.acting import ORGANIZERS, tenant
from mentoring_shared.web.auth import current_principal, requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, unit_of_work
from mentoring_shared.web.pagination import page

blueprint = Blueprint("pairs", __name__, url_prefix="/v1", description="Pair health, and the rules that judge it.")


@blueprint.route("/cohorts/<id:cohort_id>/pairs")
class CohortPairs(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.PairQuerySchema, location="query")
    @blueprint.response(200, schemas.PairPageSchema)
    @blueprint.alt_response(404, description="No pairs of this cohort in this tenant.")
    def get(self, args, cohort_id):
        """The cohort's pairs with their health: `?health=at_risk` for those that need attention now."""
        with current_runtime().sessions() as db:
            if not PairsRepository(db).pairs_of_cohort(tenant(), cohort_id, limit=1, after=None,
                                                       health=None, status=None):
                raise NotFound(f"no pairs of cohort {cohort_id} in this tenant")
            rows = PairsRepository(db).pairs_of_cohort(tenant(), cohort_id, limit=args["limit"] + 1,
                                                       after=args.get("cursor"), health=args.get("health"),
                                                       status=args.get("status"))
        return page(rows, args["limit"], lambda row: row["match_id"])


@blueprint.route("/pairs/<id:match_id>")
class PairItem(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.response(200, schemas.PairSchema)
    @blueprint.alt_response(404, description="No such pair in this tenant.")
    def get(self, match_id):
        """One pair's health and the reasons for it."""
        with current_runtime().sessions() as db:
            row = PairsRepository(db).pair_with_health(tenant(), match_id)
        if row is None:
            raise NotFound(f"no pair {match_id} in this tenant")
        return row


@blueprint.route("/programs/<id:program_id>/health-rules")
class ProgramHealthRules(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.response(200, ProgramHealthRulesSchema)
    @blueprint.alt_response(404, description="No such program in this tenant.")
    def get(self, program_id):
        """The thresholds that judge this program's pairs."""
        with current_runtime().sessions() as db:
            return health_rules.program_health_rules(ProgramsRepository(db), tenant(), program_id)

    @requires_role(*ORGANIZERS)
    @blueprint.arguments(HealthRulesInSchema)
    @blueprint.response(200, ProgramHealthRulesSchema)
    @blueprint.alt_response(404, description="No such program in this tenant.")
    def put(self, body, program_id):
        """Set this program's thresholds; the next evaluation (within minutes) uses them."""
        return health_rules.set_program_health_rules(tenant(), program_id, body["overrides"],
                                                     current_principal().subject, unit_of_work())
