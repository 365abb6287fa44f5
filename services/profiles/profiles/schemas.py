"""Profiles' HTTP schemas. Unknown fields are rejected (marshmallow's default, RAISE)."""

from datetime import timezone

import marshmallow as ma
from marshmallow import validate

from mentoring_shared.web.pagination import page_schema


class PersonCreateSchema(ma.Schema):
    employee_id = ma.fields.String(load_default=None, validate=validate.Length(min=1, max=64),
                                   metadata={"description": "The HR system's employee id: the key for every sync."})
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = ma.fields.Email(required=True, validate=validate.Length(max=320))
    time_zone = ma.fields.String(required=True, validate=validate.Length(min=1, max=64),
                                 metadata={"description": "IANA time zone, e.g. Europe/Paris."})


class PersonSchema(ma.Schema):
    id = ma.fields.String(required=True)
    employee_id = ma.fields.String(allow_none=True)
    name = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    time_zone = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)
    created_at = ma.fields.AwareDateTime(required=True, default_timezone=timezone.utc)
    updated_at = ma.fields.AwareDateTime(required=True, default_timezone=timezone.utc)


PersonPageSchema = page_schema(PersonSchema, "PersonPage")
