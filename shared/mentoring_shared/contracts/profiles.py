"""Events published by the profiles service. Snapshots carry the whole aggregate and its version,
so consumers keep their own copies without calling profiles back."""

import marshmallow as ma
from marshmallow import validate

from mentoring_shared.contracts import topics
from mentoring_shared.contracts.registry import EventContract

PERSON_UPSERTED_V1 = "profiles.person.upserted.v1"
PERSON_MOVED_V1 = "profiles.person.moved.v1"
PERSON_DEACTIVATED_V1 = "profiles.person.deactivated.v1"
PERSON_ERASED_V1 = "profiles.person.erased.v1"
PROGRAM_UPSERTED_V1 = "profiles.program.upserted.v1"
COHORT_UPSERTED_V1 = "profiles.cohort.upserted.v1"
COHORT_STATUS_CHANGED_V1 = "profiles.cohort.status_changed.v1"
ENROLLMENT_CREATED_V1 = "profiles.enrollment.created.v1"
ENROLLMENT_WITHDRAWN_V1 = "profiles.enrollment.withdrawn.v1"

PERSON_STATUSES = ["active", "on_leave", "terminated"]

# What an erased person looks like everywhere: an id, and nothing that identifies anyone.
ERASED_PERSON_NAME = "Erased person"


def erased_email(person_id: str) -> str:
    """A placeholder that keeps email columns unique and can never reach anyone."""
    return f"erased+{person_id}@erased.invalid"
ROLES = ["mentor", "mentee", "peer"]


class SkillV1(ma.Schema):
    name = ma.fields.String(required=True)
    level = ma.fields.String(required=True, validate=validate.OneOf(["beginner", "intermediate", "advanced", "expert"]))


class WorkingHoursV1(ma.Schema):
    start = ma.fields.String(required=True, metadata={"description": "HH:MM in the person's time zone"})
    end = ma.fields.String(required=True)
    days = ma.fields.List(ma.fields.Integer(validate=validate.Range(1, 7)), required=True)


class PersonSnapshotV1(ma.Schema):
    """The whole person as of `version`. Fields after `status` were added within v1 (additive)."""

    person_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=validate.Range(min=1))
    employee_id = ma.fields.String(allow_none=True)
    name = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)
    time_zone = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(PERSON_STATUSES))
    title = ma.fields.String(allow_none=True)
    department = ma.fields.String(allow_none=True)
    manager_employee_id = ma.fields.String(allow_none=True)
    location = ma.fields.String(allow_none=True)
    languages = ma.fields.List(ma.fields.String())
    seniority_band = ma.fields.Integer(allow_none=True)
    skills = ma.fields.List(ma.fields.Nested(SkillV1))
    interests = ma.fields.List(ma.fields.String())
    goals = ma.fields.List(ma.fields.String())
    goals_text = ma.fields.String(allow_none=True)
    roles_offered = ma.fields.List(ma.fields.String(validate=validate.OneOf(ROLES)))
    roles_wanted = ma.fields.List(ma.fields.String(validate=validate.OneOf(ROLES)))
    working_hours = ma.fields.Nested(WorkingHoursV1)
    mentor_capacity = ma.fields.Integer()


class PersonMovedV1(ma.Schema):
    """The person changed department or manager (matching re-checks reporting-line exclusions)."""

    person_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)
    from_department = ma.fields.String(allow_none=True, required=True)
    to_department = ma.fields.String(allow_none=True, required=True)
    from_manager_employee_id = ma.fields.String(allow_none=True, required=True)
    to_manager_employee_id = ma.fields.String(allow_none=True, required=True)


class PersonDeactivatedV1(ma.Schema):
    """The person left (or was deactivated by the identity provider): their matches end, sessions cancel."""

    person_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)
    employee_id = ma.fields.String(allow_none=True)
    reason = ma.fields.String(required=True)


class PersonErasedV1(ma.Schema):
    """The person asked to be forgotten: every service removes or anonymizes what it holds about
    them, and ends what they took part in. `version` is above every snapshot of the person, so a
    replay of older snapshots never brings their data back."""

    person_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=validate.Range(min=1))


class ProgramSnapshotV1(ma.Schema):
    program_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=validate.Range(min=1))
    name = ma.fields.String(required=True)
    type = ma.fields.String(required=True, validate=validate.OneOf(["classic", "peer", "reverse", "group"]))
    description = ma.fields.String(allow_none=True)
    matching_weights = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(), required=True)
    meeting_cadence = ma.fields.String(required=True, validate=validate.OneOf(["weekly", "biweekly", "monthly"]))
    meeting_minutes = ma.fields.Integer(required=True)
    term_months = ma.fields.Integer(required=True)
    pulse_first_after_days = ma.fields.Integer(required=True)
    pulse_every_days = ma.fields.Integer(required=True)
    privacy_threshold = ma.fields.Integer(required=True)


COHORT_STATUSES = ["draft", "enrolling", "matching", "active", "closing", "closed", "archived"]


class CohortSnapshotV1(ma.Schema):
    cohort_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=validate.Range(min=1))
    program_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(COHORT_STATUSES))
    starts_on = ma.fields.Date(allow_none=True)
    ends_on = ma.fields.Date(allow_none=True)


class CohortStatusChangedV1(ma.Schema):
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)
    from_status = ma.fields.String(required=True, validate=validate.OneOf(COHORT_STATUSES))
    to_status = ma.fields.String(required=True, validate=validate.OneOf(COHORT_STATUSES))


class PreferencesV1(ma.Schema):
    skills = ma.fields.List(ma.fields.String(), required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    departments = ma.fields.List(ma.fields.String(), required=True)
    avoid_person_ids = ma.fields.List(ma.fields.String(), required=True)


class EnrollmentCreatedV1(ma.Schema):
    enrollment_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    person_id = ma.fields.String(required=True)
    role = ma.fields.String(required=True, validate=validate.OneOf(ROLES))
    status = ma.fields.String(required=True)
    goals = ma.fields.List(ma.fields.String(), required=True)
    goals_text = ma.fields.String(allow_none=True)
    preferences = ma.fields.Nested(PreferencesV1, required=True)
    mentors_wanted = ma.fields.Integer(required=True)


class EnrollmentWithdrawnV1(ma.Schema):
    enrollment_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)
    cohort_id = ma.fields.String(required=True)
    person_id = ma.fields.String(required=True)
    role = ma.fields.String(required=True, validate=validate.OneOf(ROLES))
    reason = ma.fields.String(allow_none=True)


CONTRACTS = [
    EventContract(PERSON_UPSERTED_V1, topics.PROFILES_PEOPLE, PersonSnapshotV1),
    EventContract(PERSON_MOVED_V1, topics.PROFILES_PEOPLE, PersonMovedV1),
    EventContract(PERSON_DEACTIVATED_V1, topics.PROFILES_PEOPLE, PersonDeactivatedV1),
    EventContract(PERSON_ERASED_V1, topics.PROFILES_PEOPLE, PersonErasedV1),
    EventContract(PROGRAM_UPSERTED_V1, topics.PROFILES_PROGRAMS, ProgramSnapshotV1),
    EventContract(COHORT_UPSERTED_V1, topics.PROFILES_COHORTS, CohortSnapshotV1),
    EventContract(COHORT_STATUS_CHANGED_V1, topics.PROFILES_COHORTS, CohortStatusChangedV1),
    EventContract(ENROLLMENT_CREATED_V1, topics.PROFILES_ENROLLMENTS, EnrollmentCreatedV1),
    EventContract(ENROLLMENT_WITHDRAWN_V1, topics.PROFILES_ENROLLMENTS, EnrollmentWithdrawnV1),
]
