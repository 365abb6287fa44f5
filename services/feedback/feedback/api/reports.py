"""/v1/cohorts/{id}/report, /v1/programs/{id}/report and /v1/report: program health for
organizers, as JSON or CSV. No figure rests on fewer respondents than the privacy threshold."""

from datetime import UTC, datetime

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from feedback.reports.csv_export import report_csv
from feedback.reports.report import cohort_report, program_report, tenant_report
from mentoring_shared.errors import NotFound
from mentoring_shared.web.acting import ORGANIZERS, tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime

blueprint = Blueprint("reports", __name__, url_prefix="/v1",
                      description="Program reports: participation, sessions, feedback, NPS, goals, pairs at risk.")


class ReportQuerySchema(ma.Schema):
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(["json", "csv"]),
                              metadata={"description": "json, or csv (one row per group, then the total)"})


def _render(build, what: str, args):
    with current_runtime().sessions() as db:
        report = build(db, datetime.now(UTC))
    if report is None:
        raise NotFound(f"no {what} with pairs in this tenant")
    if args["format"] == "csv":
        return Response(report_csv(report), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{report["report"]}-report.csv"'})
    return report


@blueprint.route("/cohorts/<id:cohort_id>/report")
class CohortReport(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(ReportQuerySchema, location="query")
    @blueprint.response(200)
    @blueprint.alt_response(404, description="No pairs of this cohort in this tenant.")
    def get(self, args, cohort_id):
        """One cohort's figures."""
        return _render(lambda db, now: cohort_report(db, tenant(), cohort_id, now), "cohort", args)


@blueprint.route("/programs/<id:program_id>/report")
class ProgramReport(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(ReportQuerySchema, location="query")
    @blueprint.response(200)
    @blueprint.alt_response(404, description="No pairs of this program in this tenant.")
    def get(self, args, program_id):
        """A program's figures, per cohort and in total."""
        return _render(lambda db, now: program_report(db, tenant(), program_id, now), "program", args)


@blueprint.route("/report")
class TenantReport(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(ReportQuerySchema, location="query")
    @blueprint.response(200)
    @blueprint.alt_response(404, description="No pairs in this tenant yet.")
    def get(self, args):
        """Every program's figures, and the organization's total."""
        return _render(lambda db, now: tenant_report(db, tenant(), now), "pairs", args)
