"""`CalendarEntry`: one mentoring session as calendars see it, the single input of the feed, iTIP
and CalDAV write-back writers, so all three describe a session the same way."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple


class EntryStatus(StrEnum):
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


class Participant(NamedTuple):
    name: str
    email: str


def session_uid(session_id: str, domain: str) -> str:
    """The UID of a session's calendar object: stable for the session's life, so every update and
    the cancellation land on the same event in every calendar (RFC 5545 §3.8.4.7)."""
    return f"session-{session_id}@{domain}"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str
    status: EntryStatus
    organizer: Participant
    attendees: tuple[Participant, ...]
    last_modified: dt.datetime
    url: str | None = None

    def __post_init__(self) -> None:
        if not self.uid or any(ch in self.uid for ch in "\r\n"):
            raise ValueError("uid must be a non-empty single line")
        if not isinstance(self.sequence, int) or isinstance(self.sequence, bool) or self.sequence < 0:
            raise ValueError("sequence must be a non-negative integer")
        # Calendars write these in UTC ('Z'); taking only aware values avoids guessing a zone.
        for name in ("start", "end", "last_modified"):
            object.__setattr__(self, name, _as_utc(name, getattr(self, name)))
        if self.end <= self.start:
            raise ValueError("end must be after start")
        object.__setattr__(self, "status", EntryStatus(self.status))
        object.__setattr__(self, "organizer", _participant(self.organizer))
        object.__setattr__(self, "attendees", tuple(_participant(a) for a in self.attendees))

    def changed(self, at: dt.datetime, **changes: Any) -> "CalendarEntry":
        """The entry after a change made at `at`: SEQUENCE goes up by one, as RFC 5546 requires
        of every significant revision, so calendars replace the older copy instead of keeping it."""
        if "uid" in changes or "sequence" in changes:
            raise ValueError("uid and sequence are not changed directly")
        return dataclasses.replace(self, sequence=self.sequence + 1, last_modified=at, **changes)

    def cancelled(self, at: dt.datetime) -> "CalendarEntry":
        return self.changed(at, status=EntryStatus.CANCELLED)


def _as_utc(name: str, value: dt.datetime) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(dt.UTC)


def _participant(value: Any) -> Participant:
    name, email = value
    if not email or "@" not in email or any(ch in email for ch in "\r\n :"):
        raise ValueError(f"not an email address: {email!r}")
    return Participant(name, email)
