"""What scheduling holds about one person (GET /v1/people/{id}/export). Calendar sources are
described, never given back: no password, and no calendar URL, whose path or user part is often
the secret that opens it."""

from urllib.parse import urlsplit

import marshmallow as ma

from mentoring_shared.people_replica import ReplicaPersonSchema
from mentoring_shared.web.fields import WholeNumber
from scheduling.availability.epoch_minutes import utc_datetime
from scheduling.schemas.feeds import FeedTokenSchema
from scheduling.schemas.plans import MentorshipSchema, SessionSchema


class ScheduleSchema(ma.Schema):
    time_zone = ma.fields.String(required=True)
    working_hours = ma.fields.Raw(allow_none=True, required=True, metadata={"description": "as profiles sent them"})
    status = ma.fields.String(required=True)
    version = WholeNumber(required=True)


def _calendar_host(source) -> str | None:
    """The server only: hostname and port, without any user or password in the URL."""
    if source.url is None:
        return None
    parts = urlsplit(source.url)
    return parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"


class BusyPeriodSchema(ma.Schema):
    starts_at = ma.fields.Function(lambda period: utc_datetime(period[0]).isoformat(), required=True)
    ends_at = ma.fields.Function(lambda period: utc_datetime(period[1]).isoformat(), required=True)


class DescribedCalendarSourceSchema(ma.Schema):
    id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"description": "ics_upload, ics_url or caldav"})
    server = ma.fields.Function(_calendar_host, allow_none=True,
                                metadata={"description": "the calendar's host; its URL is not exported"})
    username = ma.fields.String(allow_none=True)
    password_stored = ma.fields.Function(lambda source: source.secret is not None, required=True,
                                         metadata={"description": "whether a CalDAV password is kept (never shown)"})
    busy = ma.fields.List(ma.fields.Nested(BusyPeriodSchema), required=True,
                          metadata={"description": "the busy periods read from it"})
    horizon_start = ma.fields.Function(lambda source: utc_datetime(source.horizon_start).isoformat(), required=True)
    horizon_end = ma.fields.Function(lambda source: utc_datetime(source.horizon_end).isoformat(), required=True)
    refreshed_at = ma.fields.AwareDateTime(required=True)
    last_error = ma.fields.String(allow_none=True)
    write_back_calendar = ma.fields.String(attribute="write_back_path", allow_none=True)


class ReminderSentSchema(ma.Schema):
    session_id = ma.fields.String(required=True)
    lead_minutes = WholeNumber(required=True)
    sent_at = ma.fields.AwareDateTime(required=True)


class SchedulingPersonExportSchema(ma.Schema):
    person = ma.fields.Nested(ReplicaPersonSchema, required=True, metadata={"description": "scheduling's copy"})
    schedule = ma.fields.Nested(ScheduleSchema, allow_none=True, required=True,
                                metadata={"description": "when they can meet, in their zone"})
    calendar_sources = ma.fields.List(ma.fields.Nested(DescribedCalendarSourceSchema), required=True)
    feed_tokens = ma.fields.List(ma.fields.Nested(FeedTokenSchema), required=True,
                                 metadata={"description": "ids and dates; a token itself is never stored"})
    mentorships = ma.fields.List(ma.fields.Nested(MentorshipSchema), required=True)
    sessions = ma.fields.List(ma.fields.Nested(SessionSchema), required=True)
    reminders_sent = ma.fields.List(ma.fields.Nested(ReminderSentSchema), required=True)
