"""A person's busy time from an iCalendar file (RFC 5545), uploaded or fetched from a URL.

icalendar parses; recurring-ical-events expands RRULE / RDATE / EXDATE and RECURRENCE-ID overrides
in each event's own time zone, so a weekly 10:00 meeting stays at 10:00 local across daylight
saving changes; it also applies x-wr-timezone, so Google exports (UTC times plus X-WR-TIMEZONE)
recur on local time too. Events that do not block time (TRANSP:TRANSPARENT, STATUS:CANCELLED,
Outlook's X-MICROSOFT-CDO-BUSYSTATUS:FREE) are skipped. Dates without a time zone are read in the
person's own zone: an all-day event blocks their whole local day, a floating time is their wall
clock.

Files are limited in size and in occurrences within the horizon, and any defect is a
`CalendarFileError` naming it: the file came from outside."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import numpy as np
import recurring_ical_events

from scheduling.availability import intervals
from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor
from scheduling.availability.model import zone_named
from scheduling.availability.recurrence_cost import recurrences_walked

MAX_CALENDAR_BYTES = 2 * 1024 * 1024
MAX_OCCURRENCES = 5_000
# recurrences the expander may step through from the events' DTSTARTs, summed over the file: the
# stepping itself is cheap (dateutil), but it is unbounded for FREQ=MINUTELY rules from years ago
MAX_RECURRENCES_WALKED = 200_000
# each occurrence in the query costs tens of microseconds, so refuse a file whose rules could make
# far more than the limit before expanding it (the estimate ignores BY-filters, hence the slack)
_OCCURRENCE_ESTIMATE_SLACK = 4
# all-day and floating events are placed on the person's clock only after the query, so ask for more
_QUERY_MARGIN = timedelta(days=2)
_DATE_PROPERTIES = {"DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "EXDATE", "RDATE"}
# properties that cannot change when someone is busy but make up most of a real export (long
# descriptions, attendee lists, timestamps of edits): dropped before parsing, which more than halves its cost
_UNUSED_PROPERTIES = re.compile(
    rb"^(?:DESCRIPTION|SUMMARY|LOCATION|ATTENDEE|ORGANIZER|COMMENT|CONTACT|CATEGORIES|ATTACH|URL|GEO|CLASS|PRIORITY"
    rb"|RESOURCES|RELATED-TO|REQUEST-STATUS|CONFERENCE|IMAGE|COLOR|SEQUENCE|DTSTAMP|CREATED|LAST-MODIFIED"
    rb"|X-(?!WR-TIMEZONE[;:]|MICROSOFT-CDO-BUSYSTATUS[;:])[A-Z0-9-]*)[;:]",
    re.IGNORECASE)
_FOLD = re.compile(rb"\r?\n[ \t]")


class CalendarFileError(ValueError):
    """The calendar file cannot be used. `code` is stable for clients; the message names the problem."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def busy_intervals_from_ics(calendar_file: bytes | str, time_zone: str, horizon_start: datetime,
                            horizon_end: datetime, *, max_bytes: int = MAX_CALENDAR_BYTES,
                            max_occurrences: int = MAX_OCCURRENCES) -> np.ndarray:
    """The busy time in [horizon_start, horizon_end) of the person (whose IANA zone is `time_zone`)
    that the file describes, as a normal interval set of UTC epoch minutes."""
    zone = zone_named(time_zone)
    start_minute, end_minute = minutes_floor(horizon_start), minutes_ceil(horizon_end)
    calendar = _parse(calendar_file, max_bytes)
    to_minute = _minute_reader(zone)
    query_start = horizon_start.astimezone(zone) - _QUERY_MARGIN
    query_end = horizon_end.astimezone(zone) + _QUERY_MARGIN
    _check_events(calendar, minutes_floor(query_start), minutes_ceil(query_end), max_occurrences, to_minute)
    try:
        # querying on the person's clock places floating times there
        occurrences = recurring_ical_events.of(calendar).between(query_start, query_end)
    except (ValueError, TypeError, OverflowError) as error:  # InvalidCalendar and bad values met while expanding
        raise CalendarFileError(f"the calendar's events cannot be expanded: {_short(error)}", "bad_event") from None
    rows = []
    try:
        for occurrence in occurrences:
            if not _blocks_time(occurrence):
                continue
            start, end = to_minute(occurrence.start), _end_minute(occurrence, to_minute)
            if end > start_minute and start < end_minute and end > start:
                rows.append((start, end))
    except (ValueError, TypeError, OverflowError) as error:
        raise CalendarFileError(f"an event has unusable times: {_short(error)}", "bad_event") from None
    if len(rows) > max_occurrences:
        raise _too_many(f"{len(rows):,} busy occurrences in the period, more than the {max_occurrences:,} allowed")
    return intervals.clip(intervals.from_pairs(rows), start_minute, end_minute)


def _parse(calendar_file: bytes | str, max_bytes: int) -> icalendar.Calendar:
    raw = calendar_file.encode() if isinstance(calendar_file, str) else bytes(calendar_file)
    if len(raw) > max_bytes:
        raise CalendarFileError(f"the calendar file is too large: {len(raw):,} bytes, at most {max_bytes:,} "
                                f"are accepted", "too_large")
    if b"BEGIN:VCALENDAR" not in raw[:4096].upper():
        raise CalendarFileError("not a calendar: the file does not begin a VCALENDAR (iCalendar, RFC 5545)",
                                "not_a_calendar")
    try:
        calendar = icalendar.Calendar.from_ical(_without_unused_properties(raw))
    except ValueError as error:
        raise CalendarFileError(f"not a valid iCalendar file: {_short(error)}", "malformed") from None
    if calendar.name != "VCALENDAR":
        raise CalendarFileError(f"not a calendar: the file holds a {calendar.name}, not a VCALENDAR",
                                "not_a_calendar")
    return calendar


def _without_unused_properties(raw: bytes) -> bytes:
    lines = _FOLD.sub(b"", raw).splitlines()  # unfolded (RFC 5545 3.1): one property per line
    return b"\r\n".join(line for line in lines if not _UNUSED_PROPERTIES.match(line)) + b"\r\n"


def _minute_reader(zone: ZoneInfo):
    def to_minute(value: date | datetime) -> int:
        if not isinstance(value, datetime):  # an all-day date: the person's local midnight
            value = datetime(value.year, value.month, value.day, tzinfo=zone)
        elif value.tzinfo is None:  # floating: the person's wall clock
            value = value.replace(tzinfo=zone)
        return minutes_floor(value)
    return to_minute


def _check_events(calendar: icalendar.Calendar, query_start: int, query_end: int, max_occurrences: int,
                  to_minute) -> None:
    """Refuse events whose values did not parse (icalendar keeps them as errors rather than raising),
    that end before they start, and rules that would take too long to expand."""
    walked = in_query = 0.0
    for event in calendar.walk("VEVENT"):
        name = _describe(event)
        for prop, problem in event.errors:
            if prop is None:
                raise CalendarFileError(f"{name} has a line that is not a property: {_short(problem)}", "malformed")
            if prop in _DATE_PROPERTIES:
                raise CalendarFileError(f"{name} has a bad date in {prop}: {_short(problem)}", "bad_date")
            raise CalendarFileError(f"{name} has a bad {prop} value: {_short(problem)}", "bad_value")
        if event.get("DTSTART") is None:
            raise CalendarFileError(f"{name} has no DTSTART", "bad_event")
        first_start = to_minute(event.decoded("DTSTART"))
        if event.get("DTEND") is not None and to_minute(event.decoded("DTEND")) < first_start:
            raise CalendarFileError(f"{name} ends (DTEND) before it starts (DTSTART)", "bad_event")
        rules = event.get("RRULE")
        for rule in [] if rules is None else rules if isinstance(rules, list) else [rules]:
            walked += recurrences_walked(rule, first_start, query_end, to_minute)
            in_query += recurrences_walked(rule, max(first_start, query_start), query_end, to_minute)
    if walked > MAX_RECURRENCES_WALKED or in_query > _OCCURRENCE_ESTIMATE_SLACK * max_occurrences:
        raise _too_many("its recurring events repeat too often to expand")


def _too_many(detail: str) -> CalendarFileError:
    return CalendarFileError(f"the calendar has too many occurrences: {detail}", "too_many_occurrences")


def _blocks_time(occurrence: icalendar.Event) -> bool:
    transparency = str(occurrence.get("TRANSP", "OPAQUE")).upper()
    status = str(occurrence.get("STATUS", "CONFIRMED")).upper()
    outlook_status = str(occurrence.get("X-MICROSOFT-CDO-BUSYSTATUS", "BUSY")).upper()
    return transparency != "TRANSPARENT" and status != "CANCELLED" and outlook_status != "FREE"


def _end_minute(occurrence: icalendar.Event, to_minute) -> int:
    end = occurrence.end  # DTEND, or DTSTART + DURATION, or the day after an all-day DTSTART
    if isinstance(end, datetime) and (end.second or end.microsecond):
        return to_minute(end) + 1  # a partial minute is busy
    return to_minute(end)


def _describe(event: icalendar.Component) -> str:
    uid = event.get("UID")
    return f"event {str(uid)!r}" if uid else "an event without UID"


def _short(error: object, limit: int = 200) -> str:
    text = str(error)
    return text if len(text) <= limit else text[:limit] + "..."
