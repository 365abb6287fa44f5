"""Interval arithmetic on normal sets of epoch minutes, checked against minute-by-minute sets."""

import random

import numpy as np
import pytest

from scheduling.availability import intervals


def minutes_of(interval_set: np.ndarray) -> set[int]:
    return {m for start, end in interval_set.tolist() for m in range(start, end)}


def random_set(rng: random.Random, size: int = 8, limit: int = 200) -> np.ndarray:
    pairs = []
    for _ in range(rng.randint(0, size)):
        start = rng.randint(0, limit)
        pairs.append((start, start + rng.randint(0, 30)))
    return intervals.from_pairs(pairs)


def is_normal(interval_set: np.ndarray) -> bool:
    starts, ends = interval_set[:, 0], interval_set[:, 1]
    return bool((ends > starts).all() and (starts[1:] > ends[:-1]).all())


def test_merge_sorts_joins_overlapping_and_touching_intervals_and_drops_empty_ones():
    merged = intervals.merge(np.array([[50, 60], [10, 20], [15, 30], [30, 40], [45, 45]]))
    assert merged.tolist() == [[10, 40], [50, 60]]


def test_merge_joins_an_interval_swallowed_by_an_earlier_long_one():
    assert intervals.merge(np.array([[0, 100], [10, 20], [30, 40], [100, 110]])).tolist() == [[0, 110]]


def test_subtract_cuts_holes_and_removes_covered_intervals():
    working = intervals.from_pairs([(0, 100), (200, 300)])
    busy = intervals.from_pairs([(10, 20), (90, 210), (250, 260)])
    assert intervals.subtract(working, busy).tolist() == [[0, 10], [20, 90], [210, 250], [260, 300]]


def test_subtracting_nothing_keeps_the_set_and_subtracting_everything_empties_it():
    working = intervals.from_pairs([(0, 100)])
    assert intervals.subtract(working, intervals.empty()).tolist() == [[0, 100]]
    assert intervals.subtract(working, intervals.from_pairs([(-5, 105)])).tolist() == []


def test_intersect_keeps_only_shared_minutes():
    first = intervals.from_pairs([(0, 100), (200, 300)])
    second = intervals.from_pairs([(50, 250)])
    assert intervals.intersect(first, second).tolist() == [[50, 100], [200, 250]]
    assert intervals.intersect(first, intervals.from_pairs([(100, 200)])).tolist() == []


def test_operations_agree_with_minute_sets_on_random_inputs():
    rng = random.Random(5)
    for _ in range(300):
        a, b = random_set(rng), random_set(rng)
        assert is_normal(a) and is_normal(b)
        for result, expected in ((intervals.intersect(a, b), minutes_of(a) & minutes_of(b)),
                                 (intervals.subtract(a, b), minutes_of(a) - minutes_of(b)),
                                 (intervals.union(a, b), minutes_of(a) | minutes_of(b))):
            assert minutes_of(result) == expected
            assert len(result) == 0 or is_normal(result)


def test_contains_needs_the_whole_span_inside_one_interval():
    working = intervals.from_pairs([(0, 100), (100, 150), (200, 300)])  # the first two join
    assert intervals.contains(working, 90, 140)
    assert intervals.contains(working, 200, 300)
    assert not intervals.contains(working, 140, 210)  # spans a gap
    assert not intervals.contains(working, 290, 301)
    assert not intervals.contains(intervals.empty(), 0, 1)


def test_overlaps_ignores_intervals_that_only_touch():
    busy = intervals.from_pairs([(100, 200)])
    assert not intervals.overlaps(busy, 40, 100)
    assert not intervals.overlaps(busy, 200, 260)
    assert intervals.overlaps(busy, 199, 260)
    assert intervals.overlaps(busy, 0, 1000)


@pytest.mark.parametrize("start, end, expected", [(0, 1000, [[100, 200], [300, 400]]),
                                                  (150, 350, [[150, 200], [300, 350]]), (200, 300, [])])
def test_clip_keeps_the_part_within_the_window(start, end, expected):
    assert intervals.clip(intervals.from_pairs([(100, 200), (300, 400)]), start, end).tolist() == expected
