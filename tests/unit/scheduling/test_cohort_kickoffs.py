"""Kickoffs for a whole cohort: the earliest common slot per pair, nobody double-booked, and the
reason when a pair has none."""

import random
from datetime import timedelta

import numpy as np
import pytest

from scheduling.availability import (
    NoSlotReason,
    Pair,
    WorkingHours,
    availability_over,
    earliest_common_slot,
    intervals,
    kickoff_slots,
)
from scheduling.availability.epoch_minutes import minutes_floor
from tests.unit.scheduling.support import span, utc

START, END = utc(2026, 3, 2), utc(2026, 3, 30)
WEEKDAYS = (1, 2, 3, 4, 5)


def person(zone: str = "UTC", busy=(), hours=("09:00", "17:00")):
    return availability_over(WorkingHours(hours[0], hours[1], WEEKDAYS, zone), list(busy), START, END)


def kickoffs(pairs, people, minutes=60, not_before=START, end=END):
    return {result.pair_id: result for result in kickoff_slots(pairs, people, minutes, not_before, end)}


def test_a_mentor_with_five_new_mentees_gets_five_different_slots():
    people = {"mentor": person(), **{f"mentee-{n}": person() for n in range(5)}}
    results = kickoffs([Pair(f"pair-{n}", "mentor", f"mentee-{n}") for n in range(5)], people)
    starts = sorted(result.start for result in results.values())
    assert starts == [utc(2026, 3, 2, hour) for hour in range(9, 14)]


def test_a_pair_gets_its_earliest_common_slot_across_time_zones():
    people = {"berlin": person("Europe/Berlin"), "chicago": person("America/Chicago")}
    # Berlin 09:00-17:00 is 08:00-16:00 UTC, Chicago 15:00-23:00 UTC: one shared hour, 15:00
    assert kickoffs([Pair("p", "berlin", "chicago")], people)["p"].start == utc(2026, 3, 2, 15)


def test_the_kickoff_is_minute_exact_around_busy_times():
    busy_until = span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 10, 5))
    people = {"a": person(busy=[busy_until]), "b": person()}
    assert kickoffs([Pair("p", "a", "b")], people, minutes=50)["p"].start == utc(2026, 3, 2, 10, 15)


def test_a_pair_whose_working_hours_never_meet_is_reported_as_such():
    # Sydney 09:00-17:00 (UTC+11) is 22:00-06:00 UTC; New York's (UTC-5) is 14:00-22:00 UTC: they only touch
    people = {"sydney": person("Australia/Sydney"), "new-york": person("America/New_York")}
    result = kickoffs([Pair("p", "sydney", "new-york")], people, end=utc(2026, 3, 7))["p"]
    assert result.start is None and result.reason is NoSlotReason.NO_SHARED_WORKING_HOURS


def test_a_pair_whose_calendars_leave_no_common_slot_is_reported_as_such():
    people = {"busy": person(busy=[span(START, END)]), "free": person()}
    result = kickoffs([Pair("p", "busy", "free")], people)["p"]
    assert result.start is None and result.reason is NoSlotReason.CALENDARS_FULL


def test_a_pair_that_lost_its_only_slot_to_another_kickoff_is_reported_as_such():
    one_free_hour = [span(START, utc(2026, 3, 2, 9)), span(utc(2026, 3, 2, 10), END)]
    people = {"mentor": person(busy=one_free_hour), "first": person(), "second": person()}
    results = kickoffs([Pair("p1", "mentor", "first"), Pair("p2", "mentor", "second")], people)
    assert results["p1"].start == utc(2026, 3, 2, 9)
    assert results["p2"].start is None and results["p2"].reason is NoSlotReason.TAKEN_BY_OTHER_KICKOFFS


def test_a_pair_with_fewer_options_is_served_first():
    # "narrow" can only meet on Monday 09:00; "wide" could also meet later, so it must not take that hour
    only_monday_nine = [span(START, utc(2026, 3, 2, 9)), span(utc(2026, 3, 2, 10), END)]
    people = {"mentor": person(), "narrow": person(busy=only_monday_nine), "wide": person()}
    results = kickoffs([Pair("a-wide", "mentor", "wide"), Pair("z-narrow", "mentor", "narrow")], people)
    assert results["z-narrow"].start == utc(2026, 3, 2, 9)
    assert results["a-wide"].start == utc(2026, 3, 2, 10)


def test_results_come_in_the_order_of_the_pairs_and_do_not_depend_on_it():
    people = {f"p{n}": person(random.Random(n).choice(["UTC", "Europe/Paris", "Asia/Kolkata"])) for n in range(12)}
    pairs = [Pair(f"pair-{n}", f"p{n % 3}", f"p{n + 3}") for n in range(9)]
    forward = kickoff_slots(pairs, people, 60, START, END)
    shuffled = pairs[:]
    random.Random(1).shuffle(shuffled)
    backward = kickoff_slots(shuffled, people, 60, START, END)
    assert [result.pair_id for result in backward] == [pair.pair_id for pair in shuffled]
    assert {r.pair_id: r.start for r in forward} == {r.pair_id: r.start for r in backward}


def test_a_random_cohort_books_nobody_twice_and_only_in_free_time():
    rng = random.Random(3)
    zones = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Asia/Tokyo", "UTC"]
    people = {}
    for n in range(40):
        busy = []
        for _ in range(15):
            start = minutes_floor(START) + rng.randrange(0, 28 * 1440)
            busy.append(intervals.from_pairs([(start, start + rng.choice([30, 45, 60, 90]))]))
        people[f"p{n}"] = person(rng.choice(zones), busy)
    pairs = [Pair(f"pair-{n}", f"p{n % 8}", f"p{8 + n}") for n in range(32)]  # eight mentors with four mentees
    results = kickoff_slots(pairs, people, 45, START, END)
    booked = {name: [] for name in people}
    for pair, result in zip(pairs, results):
        if result.start is None:
            # fifteen meetings in four weeks cannot fill a calendar: only zones far apart fail
            assert result.reason is NoSlotReason.NO_SHARED_WORKING_HOURS
            continue
        start = minutes_floor(result.start)
        for name in (pair.first_person, pair.second_person):
            assert intervals.contains(people[name].free, start, start + 45)
            assert not any(start < other + 45 and other < start + 45 for other in booked[name])
            booked[name].append(start)
    assert sum(len(starts) for starts in booked.values()) > len(pairs)  # most pairs found a slot


def test_a_single_pair_gets_the_same_slot_as_earliest_common_slot():
    rng = random.Random(9)
    for trial in range(20):
        busy = [span(START + timedelta(minutes=m), START + timedelta(minutes=m + rng.randrange(5, 200)))
                for m in rng.sample(range(0, 10 * 1440), 20)]
        if trial % 5 == 0:  # someone away for days
            busy[0] = span(START + timedelta(minutes=rng.randrange(0, 5 * 1440)), START + timedelta(days=5))
        people = {"a": person("Europe/Paris", busy[:10]), "b": person("America/Sao_Paulo", busy[10:])}
        expected = earliest_common_slot(people["a"].free, people["b"].free, 50, START + timedelta(minutes=7))
        got = kickoff_slots([Pair("p", "a", "b")], people, 50, START + timedelta(minutes=7), END)[0].start
        assert got == expected


def test_a_pair_naming_an_unknown_person_or_the_same_person_twice_is_refused():
    people = {"a": person()}
    with pytest.raises(ValueError):
        kickoff_slots([Pair("p", "a", "ghost")], people, 60, START, END)
    with pytest.raises(ValueError):
        kickoff_slots([Pair("p", "a", "a")], people, 60, START, END)


def test_no_pairs_give_no_results():
    assert kickoff_slots([], {}, 60, START, END) == []


def test_the_feasibility_grid_matches_interval_containment():
    from scheduling.availability.start_grid import StartGrid

    rng = random.Random(4)
    grid = StartGrid.over(minutes_floor(START) + 7, minutes_floor(START) + 3 * 1440, 50, 15)
    free_sets = [intervals.from_pairs((s, s + rng.randrange(10, 300)) for s in
                                      (minutes_floor(START) + rng.randrange(-100, 3 * 1440) for _ in range(12)))
                 for _ in range(6)]
    matrix = grid.feasible_starts(free_sets)
    for row, free in enumerate(free_sets):
        expected = np.array([intervals.contains(free, grid.start_minute(c), grid.start_minute(c) + 50)
                             for c in range(grid.cells)])
        assert (matrix[row] == expected).all()
