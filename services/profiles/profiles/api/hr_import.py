"""/v1/hr-imports: upsert people from an HR system's export (Workday, BambooHR or a mapping)."""

import json

from flask.views import MethodView

from mentoring_shared.errors import ApplicationError, InvalidField
from mentoring_shared.web.acting import tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import unit_of_work
from mentoring_shared.web.uploads import accepts_upload
from profiles.handlers.hr_import import import_people
from profiles.hr_import import PRESETS, ColumnMapping, InvalidColumnMapping
from profiles.schemas.hr_import import ImportReportSchema, ImportRequestSchema

MAX_FILE_BYTES = 64 * 1024 * 1024  # a 100,000-person export is about 13 MB
MAX_ERRORS_SHOWN = 1000

blueprint = Blueprint("hr_import", __name__, url_prefix="/v1",
                      description="People from the HR system's export: idempotent upsert by employee id.")


class ImportRefused(ApplicationError):
    status = 422
    title = "The file has errors; nothing was imported"


def column_mapping(options: dict) -> ColumnMapping:
    if "preset" in options:
        return PRESETS[options["preset"]]
    try:
        return ColumnMapping.from_dict(json.loads(options["mapping"]))
    except InvalidColumnMapping as error:
        raise InvalidField(f"mapping.{error.field}" if error.field else "mapping", str(error)) from None


def rendered_errors(errors) -> list[dict]:
    return [{"line": error.line, "field": error.field, "message": error.message} for error in errors[:MAX_ERRORS_SHOWN]]


@blueprint.route("/hr-imports")
class PeopleImport(MethodView):
    @accepts_upload(MAX_FILE_BYTES)
    @requires_role("org_admin")
    @blueprint.arguments(ImportRequestSchema, location="multipart")
    @blueprint.response(200, ImportReportSchema)
    @blueprint.alt_response(422, description="The file or a row is invalid: every problem with its line; "
                                             "nothing was imported.")
    def post(self, upload):
        """Import an HR file. All of it is applied, in one transaction, or none of it: a dry run, or
        a file with any error, writes nothing and lists every row's problem with its line number."""
        report = import_people(tenant(), upload["file"].read(), column_mapping(upload), upload["dry_run"],
                               unit_of_work())
        if report.errors and not report.dry_run:
            raise ImportRefused(f"{len(report.errors)} row(s) have errors", summary=report.summary,
                                errors=rendered_errors(report.errors))
        return {"dry_run": report.dry_run, "applied": report.applied, "summary": report.summary,
                "errors": rendered_errors(report.errors)}
