"""iTIP (RFC 5546) messages for a session: the REQUEST that invites its attendees or carries a
change, and the CANCEL that withdraws it. A notifier sends these bytes as the text/calendar part
of an email (iMIP, RFC 6047); they carry no transport details themselves."""

from __future__ import annotations

from scheduling.calendars.entries import CalendarEntry, EntryStatus
from scheduling.calendars.vevent import new_calendar, to_bytes, vevent

# The MIME type of each message; iMIP requires the method parameter to match METHOD.
REQUEST_CONTENT_TYPE = "text/calendar; method=REQUEST; charset=utf-8"
CANCEL_CONTENT_TYPE = "text/calendar; method=CANCEL; charset=utf-8"


class NotCancelled(ValueError):
    pass


def invitation(entry: CalendarEntry) -> bytes:
    """METHOD:REQUEST for a new or changed session: each attendee is asked to reply
    (PARTSTAT=NEEDS-ACTION, RSVP=TRUE). Clients replace an older copy when SEQUENCE is higher."""
    if entry.status is EntryStatus.CANCELLED:
        raise ValueError("a cancelled session is sent with cancellation(), not invitation()")
    _require_people(entry)
    calendar = new_calendar(method="REQUEST")
    # DTSTAMP is when this revision was made, so resending the same revision gives the same bytes.
    calendar.add_component(vevent(entry, dtstamp=entry.last_modified, request_reply=True))
    return to_bytes(calendar)


def cancellation(entry: CalendarEntry) -> bytes:
    """METHOD:CANCEL for the whole session: same UID, every attendee, STATUS:CANCELLED.

    `entry` is the session after cancelling (`CalendarEntry.cancelled`), so its SEQUENCE is above
    that of every REQUEST sent before; clients ignore a CANCEL whose SEQUENCE is lower."""
    if entry.status is not EntryStatus.CANCELLED:
        raise NotCancelled("cancellation() takes the entry as cancelled (entry.cancelled(at)), "
                           "whose SEQUENCE is above the last invitation's")
    _require_people(entry)
    calendar = new_calendar(method="CANCEL")
    calendar.add_component(vevent(entry, dtstamp=entry.last_modified))
    return to_bytes(calendar)


def _require_people(entry: CalendarEntry) -> None:
    # RFC 5546 §3.2.2 and §3.2.5: ORGANIZER is required and a REQUEST or a CANCEL of the whole
    # event names every attendee; without one there is no one to send the message to.
    if not entry.attendees:
        raise ValueError("an iTIP message needs at least one attendee")
