"""People's availability over a horizon: working hours, minus everything that makes them busy
(calendar files, CalDAV free-busy, sessions already booked), one person or a whole cohort."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np

from scheduling.availability import intervals
from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor
from scheduling.availability.model import PersonAvailability, PersonKey, WorkingHours
from scheduling.availability.working_hours import working_intervals


def availability_over(hours: WorkingHours | None, busy_sources: Sequence[np.ndarray],
                      horizon_start: datetime, horizon_end: datetime) -> PersonAvailability:
    """`busy_sources` may overlap each other; someone without working hours is never available.
    Everything is clipped to [horizon_start, horizon_end)."""
    working = intervals.empty() if hours is None else working_intervals(hours, horizon_start, horizon_end)
    busy = intervals.clip(intervals.union(*busy_sources), minutes_floor(horizon_start), minutes_ceil(horizon_end))
    return PersonAvailability(working=working, busy=busy)


def cohort_availability(hours: Mapping[PersonKey, WorkingHours | None], busy: Mapping[PersonKey, np.ndarray],
                        horizon_start: datetime, horizon_end: datetime) -> dict[PersonKey, PersonAvailability]:
    """`availability_over` for everyone in `hours` at once (busy: any interval array per person, a
    person may be missing). Each person is moved onto a stretch of the time line of their own, so
    one merge and one subtraction over the whole cohort do the work of thousands of small ones."""
    start, end = minutes_floor(horizon_start), minutes_ceil(horizon_end)
    stride = end - start + 1  # the gap keeps one person's last interval from touching the next one's first
    people = list(hours)
    working = [_working(hours[person], horizon_start, horizon_end) for person in people]
    busy_sets = [np.asarray(busy.get(person, intervals.empty()), dtype=np.int64).reshape(-1, 2) for person in people]
    all_working = _on_own_stretch(working, start, end, stride)
    all_busy = intervals.merge(_on_own_stretch(busy_sets, start, end, stride))
    all_free = intervals.subtract(all_working, all_busy)
    return {person: PersonAvailability(working=w, busy=b, free=f) for person, w, b, f in
            zip(people, *(_back_per_person(whole, len(people), start, stride)
                          for whole in (all_working, all_busy, all_free)))}


def _working(hours: WorkingHours | None, horizon_start: datetime, horizon_end: datetime) -> np.ndarray:
    """Someone without working hours is never available."""
    return intervals.empty() if hours is None else working_intervals(hours, horizon_start, horizon_end)


def _on_own_stretch(sets: list[np.ndarray], start: int, end: int, stride: int) -> np.ndarray:
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    if not lengths.sum():
        return intervals.empty()
    joined = np.clip(np.concatenate(sets), start, end)
    owner = np.repeat(np.arange(len(sets), dtype=np.int64), lengths)
    return joined - start + (owner * stride)[:, None]


def _back_per_person(whole: np.ndarray, people: int, start: int, stride: int) -> list[np.ndarray]:
    owner = whole[:, 0] // stride
    bounds = np.searchsorted(owner, np.arange(1, people))
    shifted = whole - (owner * stride)[:, None] + start
    return np.split(shifted, bounds)
