"""A session row as calendars see it: the one `CalendarEntry` the feed, iTIP messages and CalDAV
write-back are all written from, so a session reads the same wherever it lands."""

from __future__ import annotations

from collections.abc import Mapping

from scheduling.calendars.entries import CalendarEntry, EntryStatus, Participant, session_uid

# The right-hand side of every session's UID. A UID must never change while a calendar may hold the
# event, so this is a constant, not a setting: the session id already makes it unique.
UID_DOMAIN = "scheduling.mentoring-platform"
# The ORGANIZER of every session unless SCHEDULING_ORGANIZER_NAME / _EMAIL say otherwise (settings.py).
DEFAULT_ORGANIZER = Participant("Mentoring Platform", "sessions@mentoring.example")

SUMMARIES = {"kickoff": "Mentoring kickoff: {mentee} & {mentor}", "regular": "Mentoring: {mentee} & {mentor}"}
DESCRIPTIONS = {
    "kickoff": "The first meeting of your mentorship: get to know each other and agree on goals.",
    "regular": "A regular meeting of your mentorship.",
}


def session_row(session) -> dict:
    """A `domain.sessions.Session` as `entry_for_session` reads it: its `orm.sessions` columns."""
    return {**vars(session), "session_id": session.id}


def entry_for_session(session_row: Mapping, mentee: Mapping, mentor: Mapping, *, cancelled: bool = False,
                      organizer: Participant = DEFAULT_ORGANIZER) -> CalendarEntry:
    """The calendar entry of a session (`orm.sessions` row) between `mentee` and `mentor`
    (`orm.people` rows: name, email).

    UID comes from the session id and SEQUENCE from the row's `sequence`, so the row must already
    count every change calendars must see, a cancellation included. `cancelled` (or the row's
    status) makes it STATUS:CANCELLED, for `itip.cancellation`. The platform is the ORGANIZER
    (it sends the invitations); mentee and mentor are the attendees."""
    kind = session_row["kind"] if session_row["kind"] in SUMMARIES else "regular"
    is_cancelled = cancelled or session_row["status"] == "cancelled"
    return CalendarEntry(
        uid=session_uid(session_row["session_id"], UID_DOMAIN),
        sequence=int(session_row["sequence"]),
        start=session_row["starts_at"],
        end=session_row["ends_at"],
        summary=SUMMARIES[kind].format(mentee=mentee["name"], mentor=mentor["name"]),
        description=DESCRIPTIONS[kind],
        status=EntryStatus.CANCELLED if is_cancelled else EntryStatus.CONFIRMED,
        organizer=organizer,
        attendees=(Participant(mentee["name"], mentee["email"]), Participant(mentor["name"], mentor["email"])),
        last_modified=session_row["updated_at"],
    )
