"""Events published by the profiles service."""

import marshmallow as ma

from mentoring_shared.contracts import topics
from mentoring_shared.contracts.registry import EventContract

PERSON_UPSERTED_V1 = "profiles.person.upserted.v1"


class PersonSnapshotV1(ma.Schema):
    """The whole person as of `version`, so a consumer never needs to call profiles back."""

    person_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))
    employee_id = ma.fields.String(allow_none=True)
    name = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)
    time_zone = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(["active", "on_leave", "terminated"]))


CONTRACTS = [
    EventContract(PERSON_UPSERTED_V1, topics.PROFILES_PEOPLE, PersonSnapshotV1),
]
