"""The HR-file import over HTTP (multipart/form-data)."""

import json

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import validate

from mentoring_shared.web.fields import WholeNumber
from mentoring_shared.web.input_guards import ID_PATTERN
from profiles.hr_import import PRESETS


class ImportRequestSchema(ma.Schema):
    """multipart/form-data: the file, and a preset or a mapping."""

    file = Upload(required=True, metadata={"description": "The HR system's export, as UTF-8 CSV."})
    preset = ma.fields.String(validate=validate.OneOf(sorted(PRESETS)),
                              metadata={"description": "A vendor's column names: workday or bamboohr."})
    mapping = ma.fields.String(validate=validate.Length(max=10_000),
                               metadata={"description": 'JSON: our field -> the file\'s column header, e.g. '
                                                        '{"employee_id": "Emp No", "name": ["First", "Last"], ...}'})
    dry_run = ma.fields.Boolean(load_default=False,
                                metadata={"description": "Report what would change, write nothing."})
    progress_id = ma.fields.String(
        validate=validate.Regexp(f"^{ID_PATTERN}$", error="letters, digits, '-' and '_', at most 64"),
        metadata={"description": "An id of the client's choosing (a UUID): while the import runs, "
                                 "GET /v1/hr-imports/progress/{progress_id} says how far it has come."})

    @ma.validates_schema
    def one_mapping(self, data, **_):
        if ("preset" in data) == ("mapping" in data):
            raise ma.ValidationError("give either a preset or a mapping", field_name="mapping")

    @ma.validates("mapping")
    def mapping_is_json_object(self, value, **_):
        try:
            parsed = json.loads(value)
        except ValueError:
            raise ma.ValidationError("must be a JSON object") from None
        if not isinstance(parsed, dict):
            raise ma.ValidationError("must be a JSON object")


class RowErrorSchema(ma.Schema):
    line = WholeNumber(allow_none=True, required=True)
    field = ma.fields.String(allow_none=True, required=True)
    message = ma.fields.String(required=True)


class ImportReportSchema(ma.Schema):
    dry_run = ma.fields.Boolean(required=True)
    applied = ma.fields.Boolean(required=True)
    summary = ma.fields.Dict(keys=ma.fields.String(), values=WholeNumber(), required=True,
                             metadata={"description": "creates, updates, deactivations, moves, unchanged, errors"})
    errors = ma.fields.List(ma.fields.Nested(RowErrorSchema), required=True)


class ImportProgressSchema(ma.Schema):
    progress_id = ma.fields.String(required=True)
    phase = ma.fields.String(required=True, metadata={"description": (
        "checking (reading and planning the file), writing (done of total people written), committing, "
        "then applied, dry_run, refused (the file has errors) or failed")})
    done = WholeNumber(required=True)
    total = WholeNumber(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
