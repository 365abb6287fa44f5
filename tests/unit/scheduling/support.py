"""Helpers for the availability tests: readable times and small calendars."""

from __future__ import annotations

import textwrap
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np

from scheduling.availability import intervals
from scheduling.availability.epoch_minutes import minutes_floor, utc_datetime

UTC = timezone.utc


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def minute(moment: datetime) -> int:
    return minutes_floor(moment)


def span(start: datetime, end: datetime) -> np.ndarray:
    """A one-interval set."""
    return intervals.from_pairs([(minute(start), minute(end))])


def as_utc_pairs(interval_set: np.ndarray) -> list[tuple[datetime, datetime]]:
    return [(utc_datetime(start), utc_datetime(end)) for start, end in interval_set.tolist()]


def as_local_pairs(interval_set: np.ndarray, zone: str) -> list[tuple[str, str]]:
    """Intervals as local "YYYY-MM-DD HH:MM" strings, to read DST behaviour as people see it."""
    tz = ZoneInfo(zone)
    return [(utc_datetime(start).astimezone(tz).strftime("%Y-%m-%d %H:%M"),
             utc_datetime(end).astimezone(tz).strftime("%Y-%m-%d %H:%M")) for start, end in interval_set.tolist()]


def calendar(*events: str, header: str = "") -> bytes:
    """An iCalendar file holding the given VEVENT bodies (property lines, one per line)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//availability//EN"]
    lines += [line.strip() for line in header.splitlines() if line.strip()]
    for body in events:
        lines += ["BEGIN:VEVENT", "DTSTAMP:20260101T000000Z"]
        # dedented rather than stripped: a line that starts with a space continues a folded one
        lines += [line.rstrip() for line in textwrap.dedent(body).splitlines() if line.strip()]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
