"""/v1/hr-imports: upsert people from an HR system's export (Workday, BambooHR or a mapping)."""

import json

from flask.views import MethodView

from mentoring_shared.errors import ApplicationError, InvalidField, NotFound
from mentoring_shared.web.acting import tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, unit_of_work
from mentoring_shared.web.uploads import accepts_upload
from profiles.handlers.hr_import import import_people
from profiles.hr_import import PRESETS, ColumnMapping, InvalidColumnMapping
from profiles.repositories.import_progress import ImportProgressRepository
from profiles.schemas.hr_import import ImportProgressSchema, ImportReportSchema, ImportRequestSchema

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
        progress = _ProgressReports(tenant(), upload.get("progress_id"))
        try:
            report = import_people(tenant(), upload["file"].read(), column_mapping(upload), upload["dry_run"],
                                   unit_of_work(), progress=progress.written)
        except Exception:
            progress.finished("failed")
            raise
        progress.finished("dry_run" if report.dry_run else "refused" if report.errors else "applied")
        if report.errors and not report.dry_run:
            raise ImportRefused(f"{len(report.errors)} row(s) have errors", summary=report.summary,
                                errors=rendered_errors(report.errors))
        return {"dry_run": report.dry_run, "applied": report.applied, "summary": report.summary,
                "errors": rendered_errors(report.errors)}


@blueprint.route("/hr-imports/progress/<id:progress_id>")
class PeopleImportProgress(MethodView):
    @requires_role("org_admin")
    @blueprint.response(200, ImportProgressSchema)
    def get(self, progress_id):
        """How far the import sent with this `progress_id` has come (kept for a day). On PostgreSQL it
        moves while the import runs; on the embedded SQLite default, only before and after."""
        found = ImportProgressRepository(current_runtime().engine).get(tenant(), progress_id)
        if found is None:
            raise NotFound(f"no import with progress id {progress_id} in this tenant")
        return found


class _ProgressReports:
    """An import's progress, reported if its client gave a `progress_id`: checking now, then each
    chunk written (where another connection can write while the import's transaction is open),
    then how it ended."""

    def __init__(self, tenant_id: str, progress_id: str | None):
        self._tenant_id, self._progress_id = tenant_id, progress_id
        self._reports = ImportProgressRepository(current_runtime().engine) if progress_id else None
        self._done = self._total = 0
        if self._reports is not None:
            self._reports.forget_old(tenant_id)
            self._report("checking")

    def written(self, done: int, total: int) -> None:
        self._done, self._total = done, total
        if self._reports is not None and self._reports.visible_during_import:
            self._report("writing" if done < total else "committing")

    def finished(self, phase: str) -> None:
        if self._reports is not None:
            self._report(phase)

    def _report(self, phase: str) -> None:
        assert self._reports is not None and self._progress_id is not None
        self._reports.report(self._tenant_id, self._progress_id, phase, self._done, self._total)
