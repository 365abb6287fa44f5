"""Interval arithmetic on sets of [start, end) UTC epoch minutes, vectorized with NumPy.

A set is an int64 array of shape (n, 2), rows sorted by start, disjoint and not touching ("normal").
`merge` makes any array normal; every other function expects normal input and returns normal output.
Binary operations cut the time line at every end of either set, so each elementary piece lies
wholly inside or outside each set; a few `searchsorted` calls classify all pieces at once."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from scheduling.availability.epoch_minutes import utc_datetime
from scheduling.availability.model import Interval


def empty() -> np.ndarray:
    return np.empty((0, 2), dtype=np.int64)


def from_pairs(pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    """A normal set from (start, end) minute pairs in any order, overlapping or not."""
    array = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
    return merge(array)


def to_intervals(intervals: np.ndarray) -> list[Interval]:
    return [Interval(utc_datetime(start), utc_datetime(end)) for start, end in intervals.tolist()]


def merge(intervals: np.ndarray) -> np.ndarray:
    """Sort, drop empty rows, and join rows that overlap or touch."""
    intervals = np.asarray(intervals, dtype=np.int64).reshape(-1, 2)
    intervals = intervals[intervals[:, 1] > intervals[:, 0]]
    if len(intervals) < 2:
        return intervals.copy()
    intervals = intervals[np.argsort(intervals[:, 0], kind="stable")]
    starts, ends = intervals[:, 0], np.maximum.accumulate(intervals[:, 1])
    # a row opens a new run when it starts after everything before it has ended
    opens = np.empty(len(intervals), dtype=bool)
    opens[0] = True
    opens[1:] = starts[1:] > ends[:-1]
    first = np.flatnonzero(opens)
    last = np.append(first[1:] - 1, len(intervals) - 1)
    return np.column_stack((starts[first], ends[last]))


def union(*sets: np.ndarray) -> np.ndarray:
    if not sets:
        return empty()
    return merge(np.concatenate([np.asarray(s, dtype=np.int64).reshape(-1, 2) for s in sets]))


def _covers(intervals: np.ndarray, points: np.ndarray) -> np.ndarray:
    """For each point, whether it lies inside the normal set."""
    if len(intervals) == 0:
        return np.zeros(len(points), dtype=bool)
    index = np.searchsorted(intervals[:, 0], points, side="right") - 1
    return (index >= 0) & (points < intervals[np.maximum(index, 0), 1])


def _combine(a: np.ndarray, b: np.ndarray, keep) -> np.ndarray:
    cuts = np.sort(np.concatenate((a.ravel(), b.ravel())))
    cuts = cuts[np.concatenate(([True], cuts[1:] != cuts[:-1]))]  # np.unique hashes first: slower here
    if len(cuts) < 2:
        return empty()
    left = cuts[:-1]  # piece k is [cuts[k], cuts[k + 1])
    kept = keep(_covers(a, left), _covers(b, left))
    # runs of kept pieces become intervals, which also re-joins pieces cut by the other set
    edges = np.diff(np.concatenate(([0], kept.view(np.int8), [0])))
    return np.column_stack((cuts[np.flatnonzero(edges == 1)], cuts[np.flatnonzero(edges == -1)]))


def intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if len(a) == 0 or len(b) == 0:
        return empty()
    return _combine(a, b, np.logical_and)


def subtract(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The parts of `a` outside `b`."""
    if len(a) == 0 or len(b) == 0:
        return np.asarray(a, dtype=np.int64).reshape(-1, 2).copy()
    return _combine(a, b, lambda in_a, in_b: in_a & ~in_b)


def clip(intervals: np.ndarray, start: int, end: int) -> np.ndarray:
    """The part of the set within [start, end)."""
    clipped = np.clip(intervals, start, end)
    return clipped[clipped[:, 1] > clipped[:, 0]]


def contains(intervals: np.ndarray, start: int, end: int) -> bool:
    """Whether [start, end) lies wholly inside one interval of the set."""
    if len(intervals) == 0 or end <= start:
        return False
    index = int(np.searchsorted(intervals[:, 0], start, side="right")) - 1
    return index >= 0 and end <= int(intervals[index, 1])


def overlaps(intervals: np.ndarray, start: int, end: int) -> bool:
    """Whether [start, end) shares at least a minute with the set."""
    index = int(np.searchsorted(intervals[:, 1], start, side="right"))  # first interval ending after `start`
    return index < len(intervals) and int(intervals[index, 0]) < end
