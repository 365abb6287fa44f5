"""People over HTTP."""

from datetime import UTC

import marshmallow as ma
from marshmallow import validate

from mentoring_shared.time_zones import iana_time_zones
from mentoring_shared.web.fast_dump import FastDump
from mentoring_shared.web.fields import WholeNumber
from mentoring_shared.web.pagination import PageArgs, page_schema
from profiles.domain.people import MENTORING_ROLES, SKILL_LEVELS, STATUSES
from profiles.schemas.programs import EnrollmentSchema

CLOCK = validate.Regexp(r"^([01]\d|2[0-4]):[0-5]\d$", error="must be HH:MM")
TAG = ma.fields.String(validate=validate.Length(min=1, max=100))


class SkillSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=100))
    level = ma.fields.String(required=True, validate=validate.OneOf(SKILL_LEVELS))


class WorkingHoursSchema(ma.Schema):
    start = ma.fields.String(required=True, validate=CLOCK, metadata={"description": "HH:MM, the person's zone"})
    end = ma.fields.String(required=True, validate=CLOCK)
    days = ma.fields.List(WholeNumber(validate=validate.Range(1, 7)), required=True,
                          validate=validate.Length(min=1, max=7), metadata={"description": "ISO weekdays, 1 = Monday"})


class PersonWriteSchema(ma.Schema):
    """A person's attributes. For PATCH, every field is optional."""

    employee_id = ma.fields.String(required=True, validate=validate.Length(min=1, max=64),
                                   metadata={"description": "The HR system's employee id: the key for every sync."})
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = ma.fields.Email(required=True, validate=validate.Length(max=320))
    # The zones are listed in the OpenAPI document; the handler's check says "unknown IANA time zone".
    time_zone = ma.fields.String(required=True, validate=validate.Length(min=1, max=64),
                                 metadata={"description": "IANA time zone, e.g. Europe/Paris.",
                                           "enum": iana_time_zones()})
    status = ma.fields.String(validate=validate.OneOf(STATUSES))
    title = ma.fields.String(allow_none=True, validate=validate.Length(max=200))
    department = ma.fields.String(allow_none=True, validate=validate.Length(max=200))
    manager_employee_id = ma.fields.String(allow_none=True, validate=validate.Length(min=1, max=64))
    location = ma.fields.String(allow_none=True, validate=validate.Length(max=200))
    languages = ma.fields.List(TAG, validate=validate.Length(max=20))
    seniority_band = WholeNumber(allow_none=True, validate=validate.Range(1, 10))
    # Typed as any Field: PersonSchema dumps these two through methods instead.
    skills: ma.fields.Field = ma.fields.List(ma.fields.Nested(SkillSchema), validate=validate.Length(max=100))
    interests = ma.fields.List(TAG, validate=validate.Length(max=50))
    goals = ma.fields.List(TAG, validate=validate.Length(max=50))
    goals_text = ma.fields.String(allow_none=True, validate=validate.Length(max=5000))
    roles_offered = ma.fields.List(ma.fields.String(validate=validate.OneOf(MENTORING_ROLES)))
    roles_wanted = ma.fields.List(ma.fields.String(validate=validate.OneOf(MENTORING_ROLES)))
    working_hours: ma.fields.Field = ma.fields.Nested(WorkingHoursSchema)
    mentor_capacity = WholeNumber(validate=validate.Range(0, 20),
                                  metadata={"description": "Most mentees at once."})


class PersonSchema(FastDump, PersonWriteSchema):  # FastDump: a page dumps 50 of these
    id = ma.fields.String(required=True)
    employee_id = ma.fields.String(required=True, allow_none=True, metadata={"description": "None once erased."})
    status = ma.fields.String(required=True)
    version = WholeNumber(required=True)
    created_at = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    updated_at = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    skills = ma.fields.Method("dump_skills")
    working_hours = ma.fields.Method("dump_working_hours")

    def dump_skills(self, person):
        return [{"name": name, "level": level} for name, level in person.skills]

    def dump_working_hours(self, person):
        return person.working_hours.as_dict()


class PeopleQueryArgs(PageArgs):
    department = ma.fields.String(validate=validate.Length(min=1, max=200))
    skill = ma.fields.String(validate=validate.Length(min=1, max=100))
    role = ma.fields.String(validate=validate.OneOf(MENTORING_ROLES), metadata={"description": "A role offered."})
    status = ma.fields.String(validate=validate.OneOf(STATUSES))
    q = ma.fields.String(validate=validate.Length(min=1, max=100),
                         metadata={"description": "The start of a name or an email."})


PersonPageSchema = page_schema(PersonSchema, "PersonPage")


class PersonExportSchema(ma.Schema):
    """What profiles holds about one person."""

    person = ma.fields.Nested(PersonSchema, required=True)
    enrollments = ma.fields.List(ma.fields.Nested(EnrollmentSchema), required=True)
