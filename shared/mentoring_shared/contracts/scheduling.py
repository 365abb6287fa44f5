"""Events published by the scheduling service: sessions as they are booked, moved, cancelled and
held; mentorships paused and resumed; reminders as they fall due. Invitations and cancellations
travel as iTIP calendar objects (RFC 5546) for a notifier to send as they are."""

import marshmallow as ma
from marshmallow import validate

from mentoring_shared.contracts import topics
from mentoring_shared.contracts.registry import EventContract

SESSION_SCHEDULED_V1 = "scheduling.session.scheduled.v1"
SESSION_RESCHEDULED_V1 = "scheduling.session.rescheduled.v1"
SESSION_CANCELLED_V1 = "scheduling.session.cancelled.v1"
SESSION_COMPLETED_V1 = "scheduling.session.completed.v1"
MENTORSHIP_PAUSED_V1 = "scheduling.mentorship.paused.v1"
MENTORSHIP_RESUMED_V1 = "scheduling.mentorship.resumed.v1"
REMINDER_DUE_V1 = "scheduling.reminder.due.v1"

SESSION_KINDS = ["kickoff", "regular"]
CANCEL_REASONS = ["asked", "no_show", "match_ended", "person_left", "person_erased", "paused"]
COMPLETIONS = ["confirmed", "automatic"]


class _Session(ma.Schema):
    session_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=validate.Range(min=1))
    mentorship_id = ma.fields.String(required=True, metadata={"description": "the match id"})
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(SESSION_KINDS))


class SessionScheduledV1(_Session):
    """A session was booked; `invitation` is the iTIP REQUEST to send to both."""

    invitation = ma.fields.String(required=True)


class SessionRescheduledV1(_Session):
    previous_starts_at = ma.fields.AwareDateTime(required=True)
    previous_ends_at = ma.fields.AwareDateTime(required=True)
    invitation = ma.fields.String(required=True, metadata={"description": "iTIP REQUEST, higher SEQUENCE"})


class SessionCancelledV1(_Session):
    reason = ma.fields.String(required=True, validate=validate.OneOf(CANCEL_REASONS))
    note = ma.fields.String(allow_none=True, required=True)
    cancelled_by = ma.fields.String(allow_none=True, required=True, metadata={"description": "a person, or none"})
    cancellation = ma.fields.String(required=True, metadata={"description": "iTIP CANCEL"})


class SessionCompletedV1(_Session):
    """The session took place: both confirmed it, or it ended without being cancelled."""

    minutes = ma.fields.Integer(required=True)
    completion = ma.fields.String(required=True, validate=validate.OneOf(COMPLETIONS))
    completed_at = ma.fields.AwareDateTime(required=True)


class _Mentorship(ma.Schema):
    mentorship_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=validate.Range(min=1))
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)


class MentorshipPausedV1(_Mentorship):
    """A break (against burnout): no sessions until it resumes."""

    paused_by = ma.fields.String(allow_none=True, required=True)
    note = ma.fields.String(allow_none=True, required=True)
    resume_on = ma.fields.Date(allow_none=True, required=True)


class MentorshipResumedV1(_Mentorship):
    resumed_by = ma.fields.String(allow_none=True, required=True)


class ReminderDueV1(ma.Schema):
    """Remind one participant of a session (emitted once per session, person and lead time)."""

    reminder_id = ma.fields.String(required=True)
    session_id = ma.fields.String(required=True)
    mentorship_id = ma.fields.String(required=True)
    person_id = ma.fields.String(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    lead_minutes = ma.fields.Integer(required=True, validate=validate.Range(min=1))


CONTRACTS = [
    EventContract(SESSION_SCHEDULED_V1, topics.SCHEDULING_SESSIONS, SessionScheduledV1),
    EventContract(SESSION_RESCHEDULED_V1, topics.SCHEDULING_SESSIONS, SessionRescheduledV1),
    EventContract(SESSION_CANCELLED_V1, topics.SCHEDULING_SESSIONS, SessionCancelledV1),
    EventContract(SESSION_COMPLETED_V1, topics.SCHEDULING_SESSIONS, SessionCompletedV1),
    EventContract(MENTORSHIP_PAUSED_V1, topics.SCHEDULING_MENTORSHIPS, MentorshipPausedV1),
    EventContract(MENTORSHIP_RESUMED_V1, topics.SCHEDULING_MENTORSHIPS, MentorshipResumedV1),
    EventContract(REMINDER_DUE_V1, topics.SCHEDULING_SESSIONS, ReminderDueV1),
]
