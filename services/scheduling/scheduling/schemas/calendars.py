"""People's calendar sources: what adding one takes, and how one is shown (never its password,
and only the host of a calendar URL, whose path is often the secret that opens it)."""

from urllib.parse import unquote, urlsplit

import marshmallow as ma
from flask_smorest.fields import Upload

from mentoring_shared.web.fields import WholeNumber
from mentoring_shared.web.pagination import PageArgs, page_schema
from scheduling.availability.epoch_minutes import utc_datetime


class UploadCalendarSchema(ma.Schema):
    """multipart/form-data: the calendar file."""

    file = Upload(required=True, metadata={"description": "An iCalendar (.ics) export of the person's calendar."})


def check_write_back_path(path: str) -> None:
    """A calendar path on the account's own server: absolute ("/user/calendar/"), and nothing that
    could lead the credentials elsewhere ("//host/" is another host to a URL resolver) or out of
    the path given (dot segments, also percent-encoded; a query or fragment)."""
    if not (path.startswith("/") and path.endswith("/")) or path.startswith("//"):
        raise ma.ValidationError('must be a path on the CalDAV server that starts and ends with "/", '
                                 'like "/mentor/mentoring/"')
    if any(ch in path for ch in "?#\\") or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in path):
        raise ma.ValidationError("must be a plain path: no query, fragment, backslash, space or control character")
    if ".." in unquote(path) or any(unquote(segment) == "." for segment in path.split("/")):
        raise ma.ValidationError('must not contain ".." or "." segments')


class AddCalendarSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["ics_url", "caldav"]),
                            metadata={"description": "ics_url: an ICS file at a URL (https, or webcal://); "
                                                     "caldav: a CalDAV account."})
    url = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000),
                           metadata={"description": "The calendar's URL, or the CalDAV account's (server, "
                                                    "principal or calendar). Its host must be on the allow-list."})
    username = ma.fields.String(validate=ma.validate.Length(min=1, max=200), metadata={"description": "CalDAV only."})
    password = ma.fields.String(load_only=True, validate=ma.validate.Length(min=1, max=1000),
                                metadata={"description": "CalDAV only (an app password); never shown again."})
    write_back_calendar = ma.fields.String(
        validate=[ma.validate.Length(min=2, max=500), check_write_back_path],
        metadata={"description": "CalDAV only, optional: a calendar path on the same server (e.g. "
                                 "\"/mentor/mentoring/\") that the person's sessions are written to as they are "
                                 "booked, moved and called off. No \".\" or \"..\" segments.",
                  "pattern": r"^/[^/?#\\\u0000-\u0020\u007f][^?#\\\u0000-\u0020\u007f]*/$"})

    @ma.validates_schema
    def credentials_fit_the_kind(self, data, **_):
        if data.get("kind") == "caldav":
            missing = {name: ["required for a CalDAV account"] for name in ("username", "password") if name not in data}
            if missing:
                raise ma.ValidationError(missing)
        else:
            extra = {name: ["only a CalDAV account takes one"] for name in ("username", "password",
                                                                               "write_back_calendar") if name in data}
            if extra:
                raise ma.ValidationError(extra)


def shown_url(source) -> str | None:
    """A CalDAV URL as given (the password is the secret there); a calendar URL as its host only."""
    if source.url is None or source.kind == "caldav":
        return source.url
    parts = urlsplit(source.url)
    return f"{parts.scheme}://{parts.netloc}/…"


class CalendarSourceSchema(ma.Schema):
    id = ma.fields.String(required=True)
    person_id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"description": "ics_upload, ics_url or caldav"})
    url = ma.fields.Function(shown_url, allow_none=True,
                             metadata={"description": "CalDAV: the account URL; a calendar URL: its host only."})
    username = ma.fields.String(allow_none=True)
    busy_intervals = ma.fields.Function(lambda source: len(source.busy), required=True,
                                        metadata={"description": "busy periods read in the horizon"})
    busy_minutes = WholeNumber(required=True)
    horizon_start = ma.fields.Function(lambda source: utc_datetime(source.horizon_start).isoformat(), required=True,
                                       metadata={"description": "the busy time read covers horizon_start "
                                                                "to horizon_end"})
    horizon_end = ma.fields.Function(lambda source: utc_datetime(source.horizon_end).isoformat(), required=True)
    refreshed_at = ma.fields.AwareDateTime(required=True)
    last_error = ma.fields.String(allow_none=True,
                                  metadata={"description": "why the last refresh failed (the busy time kept is "
                                                           "from the read before), or why the last write-back "
                                                           "of a session failed (\"write-back: ...\")"})
    write_back_calendar = ma.fields.String(attribute="write_back_path", allow_none=True,
                                           metadata={"description": "CalDAV: the calendar sessions are written "
                                                                    "back to, or null if none."})


CalendarSourcePageSchema = page_schema(CalendarSourceSchema, "CalendarSourcePage")


class CalendarQuerySchema(PageArgs):
    pass
