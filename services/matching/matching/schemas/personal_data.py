"""What matching holds about one person (GET /v1/people/{id}/export)."""

import marshmallow as ma

from matching.schemas.matches import MatchSchema, RequestSchema
from matching.schemas.runs import RunPairSchema
from mentoring_shared.people_replica import ReplicaPersonSchema
from mentoring_shared.web.fields import WholeNumber


class MatchingProfileSchema(ma.Schema):
    """The mentoring attributes matching scores people on, as profiles last sent them."""

    employee_id = ma.fields.String(allow_none=True)
    manager_employee_id = ma.fields.String(allow_none=True)
    department = ma.fields.String(allow_none=True)
    status = ma.fields.String(required=True)
    version = WholeNumber(required=True)
    profile = ma.fields.Dict(required=True, metadata={
        "description": "title, seniority, languages, skills, interests, goals, working hours, capacity"})


class MatchingEnrollmentSchema(ma.Schema):
    id = ma.fields.String(required=True, attribute="enrollment_id")
    cohort_id = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    goals = ma.fields.List(ma.fields.String(), required=True)
    goals_text = ma.fields.String(allow_none=True)
    preferences = ma.fields.Dict(required=True)
    mentors_wanted = WholeNumber(required=True)
    version = WholeNumber(required=True)


class ExportedRunPairSchema(RunPairSchema):
    run_id = ma.fields.String(required=True)


class MatchingPersonExportSchema(ma.Schema):
    person = ma.fields.Nested(ReplicaPersonSchema, required=True, metadata={"description": "matching's copy"})
    profile = ma.fields.Nested(MatchingProfileSchema, allow_none=True, required=True)
    enrollments = ma.fields.List(ma.fields.Nested(MatchingEnrollmentSchema), required=True)
    matches = ma.fields.List(ma.fields.Nested(MatchSchema), required=True,
                             metadata={"description": "as mentor or mentee, active and ended"})
    match_requests = ma.fields.List(ma.fields.Nested(RequestSchema), required=True,
                                    metadata={"description": "made or received"})
    run_pairs = ma.fields.List(ma.fields.Nested(ExportedRunPairSchema), required=True,
                               metadata={"description": "matching runs' proposed pairs naming the person"})
