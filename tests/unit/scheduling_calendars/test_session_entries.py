"""A session row becomes the calendar entry every writer (feed, iTIP, CalDAV) uses."""

import datetime as dt

from scheduling.calendar_entries import entry_for_session
from scheduling.calendars import itip
from scheduling.calendars.entries import EntryStatus, Participant

UTC = dt.UTC
MENTEE = {"name": "Ada Lovelace", "email": "ada@acme.example"}
MENTOR = {"name": "Grace Hopper", "email": "grace@acme.example"}


def row(**overrides) -> dict:
    values = {"session_id": "0190-abc", "kind": "regular", "status": "scheduled", "sequence": 2,
              "starts_at": dt.datetime(2026, 3, 10, 14, tzinfo=UTC),
              "ends_at": dt.datetime(2026, 3, 10, 14, 45, tzinfo=UTC),
              "updated_at": dt.datetime(2026, 3, 1, 9, tzinfo=UTC)}
    values.update(overrides)
    return values


def test_a_session_row_gives_its_uid_sequence_times_and_people():
    entry = entry_for_session(row(), MENTEE, MENTOR)
    assert entry.uid == "session-0190-abc@scheduling.mentoring-platform" and entry.sequence == 2
    assert (entry.start, entry.end) == (row()["starts_at"], row()["ends_at"])
    assert entry.summary == "Mentoring: Ada Lovelace & Grace Hopper"
    assert entry.attendees == (Participant("Ada Lovelace", "ada@acme.example"),
                               Participant("Grace Hopper", "grace@acme.example"))
    assert entry.status is EntryStatus.CONFIRMED and entry.last_modified == row()["updated_at"]


def test_a_kickoff_says_so():
    assert entry_for_session(row(kind="kickoff"), MENTEE, MENTOR).summary == \
        "Mentoring kickoff: Ada Lovelace & Grace Hopper"


def test_a_cancelled_session_makes_a_cancellation_with_the_same_uid():
    entry = entry_for_session(row(sequence=3), MENTEE, MENTOR, cancelled=True)
    assert entry.status is EntryStatus.CANCELLED
    assert b"METHOD:CANCEL" in itip.cancellation(entry)
    assert entry_for_session(row(status="cancelled"), MENTEE, MENTOR).status is EntryStatus.CANCELLED
