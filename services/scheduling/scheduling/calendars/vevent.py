"""How a `CalendarEntry` is written as an iCalendar VEVENT inside a VCALENDAR: shared by the feed,
the iTIP messages and CalDAV write-back, so a session looks the same wherever it lands."""

from __future__ import annotations

import datetime as dt

import icalendar

from scheduling.calendars.entries import CalendarEntry, Participant

PRODID = "-//Mentoring Platform//Scheduling//EN"


def new_calendar(method: str | None = None) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        # CalDAV stores refuse METHOD (RFC 4791 §4.1); only feeds and iTIP messages carry one.
        calendar.add("method", method)
    return calendar


def vevent(entry: CalendarEntry, dtstamp: dt.datetime, *, request_reply: bool = False,
           server_schedules: bool = True) -> icalendar.Event:
    """The VEVENT for `entry`. `request_reply` marks attendees PARTSTAT=NEEDS-ACTION;RSVP=TRUE,
    which only an iTIP REQUEST should say (RFC 5546 §3.2.2). `server_schedules=False` adds
    SCHEDULE-AGENT=CLIENT (RFC 6638 §7.1), telling a CalDAV server that stores the event not to
    send its own invitations: the platform sends them."""
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", dtstamp.astimezone(dt.UTC))
    # UTC ('Z') times need no VTIMEZONE, which Outlook and Google both read the same way.
    event.add("dtstart", entry.start)
    event.add("dtend", entry.end)
    event.add("sequence", entry.sequence)
    event.add("last-modified", entry.last_modified)
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    if entry.url:
        event.add("url", entry.url)
    event.add("status", str(entry.status))
    event.add("transp", "OPAQUE")
    agent = {} if server_schedules else {"SCHEDULE-AGENT": "CLIENT"}
    event.add("organizer", _address(entry.organizer, **agent))
    for attendee in entry.attendees:
        params = {"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", **agent}
        if request_reply:
            params.update({"PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"})
        event.add("attendee", _address(attendee, **params))
    return event


def to_bytes(calendar: icalendar.Calendar) -> bytes:
    """RFC 5545 octets: icalendar writes CRLF line ends and folds lines at 75 octets without
    splitting a UTF-8 character."""
    return calendar.to_ical()


def _address(participant: Participant, **params: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{participant.email}")
    if participant.name:
        address.params["CN"] = participant.name
    for key, value in params.items():
        address.params[key] = value
    return address
