"""When two people can both meet: each person's weekly working hours, given in their own time zone,
placed on the UTC week of the problem's reference date (so daylight saving is whatever applies that
week), and the minutes a week two such windows share.

A window is a set of disjoint minute intervals of the UTC week [Monday 00:00, next Monday 00:00).
Minutes rather than 30-minute slots because working hours and time zones (India +5:30, Nepal +5:45)
need not fall on half hours. Working time that falls outside the UTC week (Sydney's Monday morning
is Sunday evening UTC) wraps around to the other end of it: the week repeats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from matching.engine.model import Participant, WorkingHours
from matching.engine.signature_tables import SignatureTable, group_by_signature

MINUTES_PER_WEEK = 7 * 24 * 60
_MENTEE_PATTERNS_PER_BLOCK = 64  # bounds the (patterns x patterns x intervals x intervals) work array


@dataclass(frozen=True)
class WeeklyWindow:
    """Working time as sorted, disjoint [start, end) minutes from Monday 00:00 UTC."""

    intervals: tuple[tuple[int, int], ...]

    @property
    def minutes(self) -> int:
        return sum(end - start for start, end in self.intervals)


def week_start(reference_date: date) -> datetime:
    """Monday 00:00 UTC of the ISO week that holds `reference_date`."""
    monday = reference_date - timedelta(days=reference_date.isoweekday() - 1)
    return datetime.combine(monday, time(0), tzinfo=UTC)


def _clock(value: str) -> tuple[int, int]:
    hours, minutes = value.split(":")
    hour, minute = int(hours), int(minutes)
    if not (0 <= hour <= 24 and 0 <= minute < 60) or (hour == 24 and minute):
        raise ValueError(f"not a time of day: {value!r}")
    return hour, minute


def _local(day: date, clock: tuple[int, int], zone: ZoneInfo) -> datetime:
    hour, minute = clock
    # "24:00" is the end of the day; a wall time skipped by a DST change resolves as zoneinfo does (fold=0)
    return datetime.combine(day + timedelta(days=hour // 24), time(hour % 24, minute), tzinfo=zone)


def weekly_window(time_zone: str, start: str, end: str, days: tuple[int, ...], reference_date: date) -> WeeklyWindow:
    """The UTC window of someone working `start`-`end` local time on ISO `days` of the reference week.
    An end at or before the start is a shift that ends the next day."""
    zone = ZoneInfo(time_zone)
    origin = week_start(reference_date)
    first_day = origin.date()
    start_clock, end_clock = _clock(start), _clock(end)
    pieces: list[tuple[int, int]] = []
    for day_number in sorted(set(days)):
        day = first_day + timedelta(days=day_number - 1)
        local_start = _local(day, start_clock, zone)
        local_end = _local(day + timedelta(days=1) if end_clock <= start_clock else day, end_clock, zone)
        begin = int((local_start - origin).total_seconds() // 60)
        length = int((local_end - local_start).total_seconds() // 60)
        if length <= 0:
            continue
        length = min(length, MINUTES_PER_WEEK)
        begin %= MINUTES_PER_WEEK
        if begin + length <= MINUTES_PER_WEEK:
            pieces.append((begin, begin + length))
        else:  # wraps past the end of the UTC week onto its beginning
            pieces += [(begin, MINUTES_PER_WEEK), (0, begin + length - MINUTES_PER_WEEK)]
    return WeeklyWindow(_merged(pieces))


def _merged(pieces: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for begin, finish in sorted(pieces):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], finish)
        else:
            merged.append([begin, finish])
    return tuple((begin, finish) for begin, finish in merged)


def window_of(participant: Participant, reference_date: date) -> WeeklyWindow:
    hours: WorkingHours = participant.working_hours
    return weekly_window(participant.time_zone, hours.start, hours.end, tuple(hours.days), reference_date)


def overlap_minutes(first: WeeklyWindow, second: WeeklyWindow) -> int:
    """Minutes a week both windows are open."""
    return int(_overlap_table([first], [second])[0, 0])


def _padded(windows: Sequence[WeeklyWindow]) -> tuple[np.ndarray, np.ndarray]:
    width = max([len(window.intervals) for window in windows] + [1])
    starts = np.zeros((len(windows), width), np.int32)
    ends = np.zeros((len(windows), width), np.int32)  # padding is the empty interval [0, 0)
    for row, window in enumerate(windows):
        for column, (begin, finish) in enumerate(window.intervals):
            starts[row, column], ends[row, column] = begin, finish
    return starts, ends


def _overlap_table(mentee_windows: Sequence[WeeklyWindow], mentor_windows: Sequence[WeeklyWindow]) -> np.ndarray:
    """Minutes in common for every pair of windows: the sum of all pairwise interval intersections
    (intervals within a window are disjoint, so nothing is counted twice)."""
    mentee_starts, mentee_ends = _padded(mentee_windows)
    mentor_starts, mentor_ends = _padded(mentor_windows)
    table = np.empty((len(mentee_windows), len(mentor_windows)), np.int32)
    for first in range(0, len(mentee_windows), _MENTEE_PATTERNS_PER_BLOCK):
        block = slice(first, first + _MENTEE_PATTERNS_PER_BLOCK)
        latest_start = np.maximum(mentee_starts[block, None, :, None], mentor_starts[None, :, None, :])
        earliest_end = np.minimum(mentee_ends[block, None, :, None], mentor_ends[None, :, None, :])
        table[block] = np.clip(earliest_end - latest_start, 0, None).sum(axis=(2, 3))
    return table


def _pattern(participant: Participant) -> tuple[str, str, str, tuple[int, ...]]:
    hours = participant.working_hours
    return participant.time_zone, hours.start, hours.end, tuple(sorted(set(hours.days)))


def working_time_table(mentees: Sequence[Participant], mentors: Sequence[Participant],
                       reference_date: date) -> SignatureTable:
    """Shared working minutes a week for every pair, as a table over distinct (time zone, hours, days)
    patterns: 20,000 people have only dozens of them."""
    mentee_keys, mentee_patterns = group_by_signature([_pattern(person) for person in mentees])
    mentor_keys, mentor_patterns = group_by_signature([_pattern(person) for person in mentors])
    table = _overlap_table([weekly_window(*pattern, reference_date) for pattern in mentee_patterns],
                           [weekly_window(*pattern, reference_date) for pattern in mentor_patterns])
    return SignatureTable(mentee_keys, mentor_keys, table)
