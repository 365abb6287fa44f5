"""Mentorships, sessions, suggested times and kickoffs."""

import marshmallow as ma

from mentoring_shared.web.fields import WholeNumber
from mentoring_shared.web.input_guards import ID_PATTERN
from mentoring_shared.web.pagination import PageArgs, page_schema

Id = lambda **kwargs: ma.fields.String(validate=ma.validate.Regexp(f"^{ID_PATTERN}$"), **kwargs)  # noqa: E731
Moment = lambda **kwargs: ma.fields.AwareDateTime(**kwargs)  # noqa: E731  aware: a time without a zone is ambiguous


class MentorshipSchema(ma.Schema):
    id = ma.fields.String(required=True, metadata={"description": "the match id"})
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "active, paused or ended"})
    cadence = ma.fields.String(required=True)
    meeting_minutes = WholeNumber(required=True)
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    version = WholeNumber(required=True)
    pause_note = ma.fields.String(allow_none=True)
    resume_on = ma.fields.Date(allow_none=True)
    end_reason = ma.fields.String(allow_none=True)


class MentorshipQuerySchema(PageArgs):
    cohort_id = Id()
    person_id = Id()
    status = ma.fields.String(validate=ma.validate.OneOf(["active", "paused", "ended"]))


class SessionSchema(ma.Schema):
    id = ma.fields.String(required=True)
    mentorship_id = ma.fields.String(required=True)
    cohort_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    series_id = ma.fields.String(allow_none=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    status = ma.fields.String(required=True, metadata={"description": "scheduled, completed, cancelled or no_show"})
    version = WholeNumber(required=True)
    confirmations = ma.fields.List(ma.fields.String(), required=True)
    completion = ma.fields.String(allow_none=True)
    completed_at = ma.fields.AwareDateTime(allow_none=True)
    cancel_reason = ma.fields.String(allow_none=True)
    cancel_note = ma.fields.String(allow_none=True)


class SessionQuerySchema(PageArgs):
    person_id = Id()


class BookSchema(ma.Schema):
    starts_at = ma.fields.List(Moment(), required=True, validate=ma.validate.Length(min=1, max=26),
                               metadata={"description": "One start, or several for a series (e.g. from /slots)."})
    kind = ma.fields.String(load_default="regular", validate=ma.validate.OneOf(["kickoff", "regular"]))


class RescheduleSchema(ma.Schema):
    starts_at = Moment(required=True)


class NoteSchema(ma.Schema):
    note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))


class PauseSchema(NoteSchema):
    resume_on = ma.fields.Date(load_default=None, allow_none=True)


class SlotQuerySchema(ma.Schema):
    count = WholeNumber(load_default=4, validate=ma.validate.Range(min=1, max=26))
    not_before = Moment()


class SlotListSchema(ma.Schema):
    starts_at = ma.fields.List(ma.fields.AwareDateTime(), required=True)
    meeting_minutes = WholeNumber(required=True)


class KickoffRequestSchema(ma.Schema):
    not_before = Moment()


class KickoffSchema(ma.Schema):
    mentorship_id = ma.fields.String(required=True)
    starts_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    reason = ma.fields.String(allow_none=True, required=True,
                              metadata={"description": "why no slot: no_shared_working_hours, calendars_full, "
                                                       "taken_by_other_kickoffs"})


class KickoffListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(KickoffSchema), required=True)


MentorshipPageSchema = page_schema(MentorshipSchema, "MentorshipPage")
SessionPageSchema = page_schema(SessionSchema, "SessionPage")
