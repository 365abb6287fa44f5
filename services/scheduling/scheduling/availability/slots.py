"""Finding times two people can meet: free time, the earliest common slot, and a series of
sessions on a cadence. Sessions start on a grid of `step_minutes` counted from the epoch, so with
the default 15 they start at :00, :15, :30 or :45 UTC, which is also a quarter hour on every
whole- and half-hour zone's wall clock (India's +5:30 included).

The free sets are normal interval sets of UTC epoch minutes (see `intervals`)."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from scheduling.availability import intervals
from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor, utc_datetime
from scheduling.availability.model import Cadence, zone_named


def free_time(working: np.ndarray, busy: np.ndarray) -> np.ndarray:
    """Working time not taken by anything busy."""
    return intervals.subtract(working, busy)


def _validate(minutes: int, step_minutes: int) -> None:
    if minutes <= 0 or step_minutes <= 0:
        raise ValueError("a session and the slot grid need a positive number of minutes")


def _start_ranges(common: np.ndarray, minutes: int, not_before: int, step: int) -> tuple[np.ndarray, np.ndarray]:
    """For each interval of `common`, the first and last grid start of a session that fits in it
    and starts at or after `not_before`; only intervals where one fits."""
    first = -(-np.maximum(common[:, 0], not_before) // step) * step
    last = (common[:, 1] - minutes) // step * step
    fits = first <= last
    return first[fits], last[fits]


def earliest_common_slot(free_a: np.ndarray, free_b: np.ndarray, minutes: int, not_before: datetime,
                         step_minutes: int = 15) -> datetime | None:
    """The earliest start on the grid, at or after `not_before`, of `minutes` within both free sets."""
    _validate(minutes, step_minutes)
    first, _ = _start_ranges(intervals.intersect(free_a, free_b), minutes, minutes_ceil(not_before), step_minutes)
    return utc_datetime(first[0]) if len(first) else None


def _nearest_start(common: np.ndarray, minutes: int, target: int, not_before: int, step: int) -> int | None:
    """The grid start closest to `target` (the earlier one on a tie) of a session within `common`."""
    first, last = _start_ranges(common, minutes, not_before, step)
    if not len(first):
        return None
    below, above = target // step * step, -(-target // step) * step
    candidates = np.concatenate((np.clip(below, first, last), np.clip(above, first, last)))
    distance = np.abs(candidates - target)
    best = np.lexsort((candidates, distance))[0]
    return int(candidates[best])


def _next_target(previous: int, cadence: Cadence, zone: ZoneInfo) -> int:
    """The previous start plus the cadence on `zone`'s wall clock, so a weekly 10:00 stays at 10:00
    there across daylight saving changes. Months keep the day, or the month's last day if shorter."""
    wall = utc_datetime(previous).astimezone(zone).replace(tzinfo=None)
    if cadence is Cadence.WEEKLY:
        wall += timedelta(days=7)
    elif cadence is Cadence.BIWEEKLY:
        wall += timedelta(days=14)
    else:
        year, month = (wall.year + 1, 1) if wall.month == 12 else (wall.year, wall.month + 1)
        wall = wall.replace(year=year, month=month, day=min(wall.day, calendar.monthrange(year, month)[1]))
    return minutes_floor(wall.replace(tzinfo=zone))


def series(free_a: np.ndarray, free_b: np.ndarray, minutes: int, cadence: Cadence, first_not_before: datetime,
           count: int, *, step_minutes: int = 15, tolerance: timedelta = timedelta(days=1),
           time_zone: str = "UTC") -> list[datetime]:
    """Up to `count` session starts: the first is the earliest common slot at or after
    `first_not_before`; each next one is the common slot closest to the previous start plus the
    cadence (on `time_zone`'s clock, e.g. the mentee's), and not earlier than that target minus
    `tolerance`. Shorter than `count` when the free sets (their horizon) run out."""
    _validate(minutes, step_minutes)
    if count <= 0:
        return []
    zone = zone_named(time_zone)
    tolerance_minutes = int(tolerance / timedelta(minutes=1))
    common = intervals.intersect(free_a, free_b)
    first, _ = _start_ranges(common, minutes, minutes_ceil(first_not_before), step_minutes)
    if not len(first):
        return []
    starts = [int(first[0])]
    while len(starts) < count:
        previous = starts[-1]
        common = intervals.subtract(common, np.array([[previous, previous + minutes]]))  # never overlap the series
        target = _next_target(previous, cadence, zone)
        start = _nearest_start(common, minutes, target, max(target - tolerance_minutes, previous + minutes),
                               step_minutes)
        if start is None:
            break
        starts.append(start)
    return [utc_datetime(start) for start in starts]
