"""Programs, cohorts and enrollments over HTTP."""

from datetime import UTC
from typing import Any

import marshmallow as ma
from marshmallow import validate

from mentoring_shared.web.fields import WholeNumber
from mentoring_shared.web.pagination import PageArgs, page_schema
from profiles.domain.cohorts import STATUSES as COHORT_STATUSES
from profiles.domain.people import MENTORING_ROLES
from profiles.domain.programs import CADENCES, TYPES, WEIGHT_FACTORS

NAME = validate.Length(min=1, max=200)
TIMESTAMP: dict[str, Any] = {"required": True, "default_timezone": UTC}

# How much each scoring factor counts (0 to 100); a factor left out keeps its default.
MatchingWeightsSchema = ma.Schema.from_dict(
    {factor: ma.fields.Float(validate=validate.Range(min=0, max=100)) for factor in WEIGHT_FACTORS},
    name="MatchingWeightsSchema")


class ProgramWriteSchema(ma.Schema):
    """A program's settings. For PATCH, every field is optional."""

    name = ma.fields.String(required=True, validate=NAME)
    type = ma.fields.String(required=True, validate=validate.OneOf(TYPES),
                            metadata={"description": "classic: mentor more senior; reverse: mentee more senior; "
                                                     "peer: same band; group: one mentor, several mentees."})
    description = ma.fields.String(allow_none=True, validate=validate.Length(max=5000))
    matching_weights = ma.fields.Nested(MatchingWeightsSchema)
    meeting_cadence = ma.fields.String(validate=validate.OneOf(CADENCES))
    meeting_minutes = WholeNumber(validate=validate.Range(15, 240))
    term_months = WholeNumber(validate=validate.Range(1, 36))
    pulse_first_after_days = WholeNumber(validate=validate.Range(1, 365))
    pulse_every_days = WholeNumber(validate=validate.Range(7, 365))
    privacy_threshold = WholeNumber(validate=validate.Range(1, 100),
                                    metadata={"description": "No report figure from fewer respondents."})



class ProgramSchema(ProgramWriteSchema):
    id = ma.fields.String(required=True)
    version = WholeNumber(required=True)
    created_at = ma.fields.AwareDateTime(**TIMESTAMP)
    updated_at = ma.fields.AwareDateTime(**TIMESTAMP)


class DuplicateProgramSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=NAME)


class CohortWriteSchema(ma.Schema):
    program_id = ma.fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = ma.fields.String(required=True, validate=NAME)
    starts_on = ma.fields.Date(allow_none=True)
    ends_on = ma.fields.Date(allow_none=True)


class CohortPatchSchema(ma.Schema):
    name = ma.fields.String(validate=NAME)
    starts_on = ma.fields.Date(allow_none=True)
    ends_on = ma.fields.Date(allow_none=True)


class CohortStatusSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=validate.OneOf(COHORT_STATUSES))


class DuplicateCohortSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=NAME)
    starts_on = ma.fields.Date(allow_none=True)
    ends_on = ma.fields.Date(allow_none=True)


class CohortSchema(CohortWriteSchema):
    id = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    version = WholeNumber(required=True)
    created_at = ma.fields.AwareDateTime(**TIMESTAMP)
    updated_at = ma.fields.AwareDateTime(**TIMESTAMP)


class CohortQueryArgs(PageArgs):
    program_id = ma.fields.String(validate=validate.Length(min=1, max=64))
    status = ma.fields.String(validate=validate.OneOf(COHORT_STATUSES))


class PreferencesSchema(ma.Schema):
    skills = ma.fields.List(ma.fields.String(validate=validate.Length(min=1, max=100)), load_default=list)
    languages = ma.fields.List(ma.fields.String(validate=validate.Length(min=1, max=20)), load_default=list)
    departments = ma.fields.List(ma.fields.String(validate=validate.Length(min=1, max=200)), load_default=list)
    avoid_person_ids = ma.fields.List(ma.fields.String(validate=validate.Length(min=1, max=64)), load_default=list,
                                      validate=validate.Length(max=50),
                                      metadata={"description": "People this participant must not be matched with."})


class EnrollmentWriteSchema(ma.Schema):
    person_id = ma.fields.String(required=True, validate=validate.Length(min=1, max=64))
    role = ma.fields.String(required=True, validate=validate.OneOf(MENTORING_ROLES))
    goals = ma.fields.List(ma.fields.String(validate=validate.Length(min=1, max=100)), load_default=list,
                           validate=validate.Length(max=20))
    goals_text = ma.fields.String(allow_none=True, validate=validate.Length(max=5000))
    preferences = ma.fields.Nested(PreferencesSchema, load_default=dict)
    mentors_wanted = WholeNumber(load_default=1, validate=validate.Range(1, 3),
                                 metadata={"description": "For mentees: how many mentors, for several views."})


class WithdrawSchema(ma.Schema):
    reason = ma.fields.String(allow_none=True, validate=validate.Length(max=1000))


class EnrollmentSchema(ma.Schema):
    id = ma.fields.String(required=True)
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    person_id = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    goals = ma.fields.List(ma.fields.String(), required=True)
    goals_text = ma.fields.String(allow_none=True)
    preferences = ma.fields.Method("dump_preferences")
    mentors_wanted = WholeNumber(required=True)
    withdrawal_reason = ma.fields.String(allow_none=True)
    version = WholeNumber(required=True)
    created_at = ma.fields.AwareDateTime(**TIMESTAMP)
    updated_at = ma.fields.AwareDateTime(**TIMESTAMP)

    def dump_preferences(self, enrollment):
        return enrollment.preferences.as_dict()


class EnrollmentQueryArgs(PageArgs):
    role = ma.fields.String(validate=validate.OneOf(MENTORING_ROLES))
    status = ma.fields.String(validate=validate.OneOf(("enrolled", "withdrawn")))


ProgramPageSchema = page_schema(ProgramSchema, "ProgramPage")
CohortPageSchema = page_schema(CohortSchema, "CohortPage")
EnrollmentPageSchema = page_schema(EnrollmentSchema, "EnrollmentPage")
