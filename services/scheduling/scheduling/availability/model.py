"""The availability engine's data: what a person's week looks like, what a cohort asks for and what
the engine answers. Plain frozen dataclasses and enums, no behaviour beyond validation, so the
service can build them from its rows and turn them into responses without knowing the engine.

Times inside the engine are interval arrays of UTC epoch minutes (see `intervals`); times that
cross this boundary (session starts, horizons) are timezone-aware datetimes."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

PersonKey = TypeVar("PersonKey", bound=Hashable)  # however the caller names people: ids, objects

_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


@cache  # zoneinfo keeps only 8 zones alive itself; a cohort spans more, re-read from disk each time
def zone_named(key: str) -> ZoneInfo:
    """The IANA zone `key`; ValueError naming it when there is none."""
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown IANA time zone: {key!r}") from None


def clock_minutes(value: str) -> int:
    """Minutes after local midnight of an "HH:MM" clock time; "24:00" is the end of the day."""
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if not match or (match.group(1) == "24" and match.group(2) != "00"):
        raise ValueError(f"not a time of day (HH:MM): {value!r}")
    return int(match.group(1)) * 60 + int(match.group(2))


@dataclass(frozen=True)
class WorkingHours:
    """Someone's weekly working hours on their own wall clock: from `start` to `end` ("HH:MM") on each
    ISO weekday in `days` (1 = Monday ... 7 = Sunday), in the IANA zone `time_zone`. An end at or
    before the start is a shift that ends the next day (22:00-06:00); "24:00" is midnight."""

    start: str
    end: str
    days: tuple[int, ...]
    time_zone: str

    def __post_init__(self) -> None:
        if clock_minutes(self.start) == 24 * 60:
            raise ValueError("working hours cannot start at 24:00; use 00:00")
        clock_minutes(self.end)
        days = tuple(sorted(set(self.days)))
        if not days or any(not isinstance(day, int) or not 1 <= day <= 7 for day in days):
            raise ValueError(f"working days must be ISO weekdays 1-7, got {self.days!r}")
        object.__setattr__(self, "days", days)  # canonical form, so equal hours hash (and cache) alike
        zone_named(self.time_zone)


@dataclass(frozen=True)
class Interval:
    """One [start, end) span of time, both ends timezone-aware: how intervals are stored and shown."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("interval ends must be timezone-aware")
        if self.end <= self.start:
            raise ValueError(f"interval ends before it starts: {self.start.isoformat()} - {self.end.isoformat()}")


@dataclass(frozen=True, eq=False, init=False)
class PersonAvailability:
    """One person over a horizon, as normal interval sets of UTC epoch minutes: when they work, when
    they are busy (calendar events, booked sessions) and so when they are free. Working and busy are
    kept apart, not only their difference, so that a refusal can say which rule a session breaks and
    a pair without a slot why it has none. `free` is computed when not given."""

    working: np.ndarray
    busy: np.ndarray
    free: np.ndarray = field(repr=False)

    # Written out so that `free` is optional to give but always there to read.
    def __init__(self, working: np.ndarray, busy: np.ndarray, free: np.ndarray | None = None) -> None:
        if free is None:
            from scheduling.availability.intervals import subtract  # the model stays importable without it

            free = subtract(working, busy)
        object.__setattr__(self, "working", working)
        object.__setattr__(self, "busy", busy)
        object.__setattr__(self, "free", free)


class Cadence(Enum):
    """How often a pair meets."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class Pair(Generic[PersonKey]):
    """A confirmed pair awaiting its kickoff. The order of the two people carries no meaning."""

    pair_id: Hashable
    first_person: PersonKey
    second_person: PersonKey


class NoSlotReason(Enum):
    """Why a pair got no kickoff within the horizon."""

    NO_SHARED_WORKING_HOURS = "no_shared_working_hours"  # their working hours never overlap long enough
    CALENDARS_FULL = "calendars_full"  # they do, but their calendars leave no common slot
    TAKEN_BY_OTHER_KICKOFFS = "taken_by_other_kickoffs"  # slots existed; kickoffs booked earlier in the run took them


@dataclass(frozen=True)
class KickoffResult:
    """A pair's kickoff: its start (aware UTC) or, when none fits, the reason."""

    pair_id: Hashable
    start: datetime | None
    reason: NoSlotReason | None = None


class SessionRule(Enum):
    """The rules a proposed session can break, for one attendee."""

    OUTSIDE_WORKING_HOURS = "outside_working_hours"
    OVERLAPS_BUSY_TIME = "overlaps_busy_time"


@dataclass(frozen=True)
class SessionViolation(Generic[PersonKey]):
    """`person` cannot attend because the session breaks `rule` for them."""

    person: PersonKey
    rule: SessionRule
