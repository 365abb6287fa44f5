"""Entries and helpers shared by the calendar tests."""

from __future__ import annotations

import datetime as dt
import re

import icalendar

from scheduling.calendars.entries import CalendarEntry, EntryStatus, Participant

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def make_entry(**overrides) -> CalendarEntry:
    fields = dict(
        uid="session-7f3a@mentoring.example",
        sequence=0,
        start=dt.datetime(2026, 3, 10, 14, 0, tzinfo=UTC),
        end=dt.datetime(2026, 3, 10, 14, 45, tzinfo=UTC),
        summary="Mentoring: Ada Lovelace and Grace Hopper",
        description="Agenda: goals for the quarter.\nBring questions.",
        status=EntryStatus.CONFIRMED,
        organizer=Participant("Mentoring Platform", "sessions@mentoring.example"),
        attendees=(Participant("Ada Lovelace", "ada@acme.example"),
                   Participant("Grace Hopper", "grace@acme.example")),
        last_modified=dt.datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        url="https://mentoring.example/sessions/7f3a",
    )
    fields.update(overrides)
    return CalendarEntry(**fields)


def physical_lines(raw: bytes) -> list[bytes]:
    assert raw.endswith(b"\r\n"), "the object must end with CRLF"
    return raw[:-2].split(b"\r\n")


def unfolded_lines(raw: bytes) -> list[str]:
    return re.sub(rb"\r\n[ \t]", b"", raw).decode("utf-8").split("\r\n")


def only_event(raw: bytes) -> icalendar.Event:
    events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def emails(addresses) -> list[str]:
    values = addresses if isinstance(addresses, list) else [addresses]
    return [str(v).removeprefix("mailto:") for v in values]
