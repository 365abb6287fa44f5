"""Kickoff meetings for every new pair of a cohort at once, with nobody double-booked.

Pairs are served one at a time, each its earliest common start; the start it takes is then closed
for both people, so a mentor with five new mentees gets five different slots. The order is
deterministic: pairs with the fewest common starts first (a pair that can barely meet should not
lose its only hour to one that could meet any day), ties by pair id."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np

from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor, utc_datetime
from scheduling.availability.model import KickoffResult, NoSlotReason, Pair, PersonAvailability, PersonKey
from scheduling.availability.start_grid import StartGrid

_PAIRS_PER_BLOCK = 2048  # bounds the temporary (pairs x cells) matrix when counting options


def kickoff_slots(pairs: Sequence[Pair[PersonKey]], people: Mapping[PersonKey, PersonAvailability], minutes: int,
                  not_before: datetime, horizon_end: datetime, *, step_minutes: int = 15) -> list[KickoffResult]:
    """A `KickoffResult` per pair, in the order of `pairs`: its kickoff of `minutes` starting on the
    `step_minutes` grid within [not_before, horizon_end), or why it has none. `people` must hold
    every person of the pairs, their busy time including sessions already booked."""
    if minutes <= 0 or step_minutes <= 0:
        raise ValueError("a session and the slot grid need a positive number of minutes")
    grid = StartGrid.over(minutes_ceil(not_before), minutes_floor(horizon_end), minutes, step_minutes)
    if not pairs:
        return []
    if grid.cells == 0:
        raise ValueError("the horizon is shorter than one kickoff")
    row_of = _index_people(pairs, people)
    person_ids = list(row_of)
    free = grid.feasible_starts([people[person].free for person in person_ids])
    first = np.fromiter((row_of[pair.first_person] for pair in pairs), dtype=np.int64, count=len(pairs))
    second = np.fromiter((row_of[pair.second_person] for pair in pairs), dtype=np.int64, count=len(pairs))
    options = _common_options(free, first, second)
    order = sorted(range(len(pairs)), key=lambda index: (int(options[index]), str(pairs[index].pair_id)))

    results: dict[int, KickoffResult] = {}
    both = np.empty(grid.cells, dtype=bool)
    for index in order:
        a, b = first[index], second[index]
        np.logical_and(free[a], free[b], out=both)
        cell = int(both.argmax())
        if both[cell]:
            taken = grid.cells_overlapping(cell)
            free[a, taken] = False
            free[b, taken] = False
            results[index] = KickoffResult(pairs[index].pair_id, utc_datetime(grid.start_minute(cell)))
        else:
            reason = (NoSlotReason.TAKEN_BY_OTHER_KICKOFFS if options[index]
                      else _reason_without_options(grid, people[pairs[index].first_person],
                                                   people[pairs[index].second_person]))
            results[index] = KickoffResult(pairs[index].pair_id, None, reason)
    return [results[index] for index in range(len(pairs))]  # `order` visits every pair once


def _index_people(pairs: Sequence[Pair[PersonKey]],
                  people: Mapping[PersonKey, PersonAvailability]) -> dict[PersonKey, int]:
    row_of: dict[PersonKey, int] = {}
    seen_pairs = set()
    for pair in pairs:
        if pair.pair_id in seen_pairs:
            raise ValueError(f"pair {pair.pair_id!r} is listed twice")
        seen_pairs.add(pair.pair_id)
        if pair.first_person == pair.second_person:
            raise ValueError(f"pair {pair.pair_id!r} has the same person twice")
        for person in (pair.first_person, pair.second_person):
            if person not in people:
                raise ValueError(f"no availability given for a person of pair {pair.pair_id!r}")
            row_of.setdefault(person, len(row_of))
    return row_of


def _common_options(free: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """How many starts each pair has in common before anything is booked."""
    counts = np.empty(len(first), dtype=np.int64)
    for block in range(0, len(first), _PAIRS_PER_BLOCK):
        chosen = slice(block, block + _PAIRS_PER_BLOCK)
        counts[chosen] = np.count_nonzero(free[first[chosen]] & free[second[chosen]], axis=1)
    return counts


def _reason_without_options(grid: StartGrid, first: PersonAvailability, second: PersonAvailability) -> NoSlotReason:
    working = grid.feasible_starts([first.working, second.working])
    return NoSlotReason.CALENDARS_FULL if (working[0] & working[1]).any() else NoSlotReason.NO_SHARED_WORKING_HOURS
