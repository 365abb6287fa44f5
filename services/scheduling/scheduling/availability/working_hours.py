"""A person's weekly working hours, on their own wall clock, as UTC minutes over a horizon.

Each working day is placed with that day's UTC offset, so the hours follow the person's daylight
saving changes. On the two nights a year when the wall clock jumps:
- a time that does not exist (02:30 when clocks go from 02:00 to 03:00) moves forward by the gap
  (to 03:30), as PEP 495 `fold=0` resolves it;
- a time that happens twice (01:30 when clocks go back) means its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import numpy as np

from scheduling.availability import intervals
from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor
from scheduling.availability.model import WorkingHours, clock_minutes, zone_named


@lru_cache(maxsize=1 << 16)  # people's hours cluster on a few clock times per zone, day after day
def _utc_minute(day: date, minute_of_day: int, zone_key: str) -> int:
    wall = datetime.combine(day + timedelta(days=minute_of_day // 1440),
                            time(minute_of_day % 1440 // 60, minute_of_day % 60), tzinfo=zone_named(zone_key))
    return minutes_floor(wall)  # fold=0: a skipped time lands after the gap, a repeated one is the first


def working_intervals(hours: WorkingHours, horizon_start: datetime, horizon_end: datetime) -> np.ndarray:
    """The person's working time within [horizon_start, horizon_end), as a normal interval set of
    UTC epoch minutes. The result is shared between callers (cached): do not modify it."""
    return _working_intervals(hours, minutes_floor(horizon_start), minutes_ceil(horizon_end))


@lru_cache(maxsize=4096)  # cohorts share a few patterns of hours and zones; a horizon is asked for once per run
def _working_intervals(hours: WorkingHours, start_minute: int, end_minute: int) -> np.ndarray:
    zone = zone_named(hours.time_zone)
    shift_start = clock_minutes(hours.start)
    shift_end = clock_minutes(hours.end)
    if shift_end <= shift_start:
        shift_end += 24 * 60  # ends the next day
    utc = UTC
    # one local day either side: a shift that starts on the previous local day can reach into the horizon
    first_day = datetime.fromtimestamp(start_minute * 60, utc).astimezone(zone).date() - timedelta(days=1)
    last_day = datetime.fromtimestamp(end_minute * 60, utc).astimezone(zone).date() + timedelta(days=1)
    rows = []
    day = first_day
    while day <= last_day:
        if day.isoweekday() in hours.days:
            start = _utc_minute(day, shift_start, hours.time_zone)
            end = _utc_minute(day, shift_end, hours.time_zone)
            if end > start:  # a shift inside a skipped hour has no length
                rows.append((start, end))
        day += timedelta(days=1)
    result = intervals.clip(intervals.from_pairs(rows), start_minute, end_minute)
    result.flags.writeable = False
    return result
