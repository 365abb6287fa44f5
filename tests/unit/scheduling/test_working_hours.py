"""Working hours on a person's own wall clock, placed in UTC day by day across DST changes."""

import pytest

from scheduling.availability import WorkingHours, working_intervals
from tests.unit.scheduling.support import as_local_pairs, as_utc_pairs, utc

WEEKDAYS = (1, 2, 3, 4, 5)


def test_hours_stay_on_the_local_clock_when_new_york_moves_to_summer_time():
    hours = WorkingHours("09:00", "17:00", WEEKDAYS, "America/New_York")
    friday_and_monday = working_intervals(hours, utc(2026, 3, 6), utc(2026, 3, 10))  # US change on Sun 8 March
    assert as_utc_pairs(friday_and_monday) == [(utc(2026, 3, 6, 14), utc(2026, 3, 6, 22)),
                                               (utc(2026, 3, 9, 13), utc(2026, 3, 9, 21))]


def test_paris_hours_are_one_hour_earlier_in_utc_in_summer():
    hours = WorkingHours("09:00", "17:00", (1,), "Europe/Paris")
    winter = working_intervals(hours, utc(2026, 1, 5), utc(2026, 1, 6))
    summer = working_intervals(hours, utc(2026, 7, 6), utc(2026, 7, 7))
    assert as_utc_pairs(winter) == [(utc(2026, 1, 5, 8), utc(2026, 1, 5, 16))]
    assert as_utc_pairs(summer) == [(utc(2026, 7, 6, 7), utc(2026, 7, 6, 15))]


def test_only_the_listed_weekdays_are_worked():
    hours = WorkingHours("09:00", "17:00", (2, 4), "UTC")
    week = working_intervals(hours, utc(2026, 3, 2), utc(2026, 3, 9))  # Monday to Monday
    assert [start.isoweekday() for start, _ in as_utc_pairs(week)] == [2, 4]


def test_india_half_hour_offset_is_kept():
    hours = WorkingHours("09:00", "17:30", (1,), "Asia/Kolkata")
    assert as_utc_pairs(working_intervals(hours, utc(2026, 3, 1), utc(2026, 3, 3))) == [
        (utc(2026, 3, 2, 3, 30), utc(2026, 3, 2, 12))]


def test_an_end_before_the_start_is_a_shift_ending_the_next_morning():
    hours = WorkingHours("22:00", "06:00", (5,), "UTC")
    assert as_utc_pairs(working_intervals(hours, utc(2026, 3, 1), utc(2026, 3, 9))) == [
        (utc(2026, 3, 6, 22), utc(2026, 3, 7, 6))]


def test_a_shift_from_the_previous_local_day_reaches_into_the_horizon():
    # Sydney's Monday 09:00-17:00 (UTC+11 in March) is Sunday 22:00 to Monday 06:00 UTC
    hours = WorkingHours("09:00", "17:00", (1,), "Australia/Sydney")
    assert as_utc_pairs(working_intervals(hours, utc(2026, 3, 1, 23), utc(2026, 3, 2, 12))) == [
        (utc(2026, 3, 1, 23), utc(2026, 3, 2, 6))]


def test_a_start_in_the_skipped_hour_moves_forward_by_the_gap():
    # New York's clocks go from 02:00 to 03:00 on 8 March 2026: 02:30 does not exist
    hours = WorkingHours("02:30", "05:00", (7,), "America/New_York")
    assert as_local_pairs(working_intervals(hours, utc(2026, 3, 8), utc(2026, 3, 9)), "America/New_York") == [
        ("2026-03-08 03:30", "2026-03-08 05:00")]


def test_a_repeated_local_time_means_its_first_occurrence():
    # New York's clocks go back from 02:00 to 01:00 on 1 November 2026: 01:30 happens twice
    hours = WorkingHours("01:30", "03:00", (7,), "America/New_York")
    shift = working_intervals(hours, utc(2026, 11, 1), utc(2026, 11, 2))
    assert as_utc_pairs(shift) == [(utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 8))]  # 01:30 EDT to 03:00 EST: 2.5 h


def test_the_horizon_clips_the_hours():
    hours = WorkingHours("09:00", "17:00", WEEKDAYS, "UTC")
    assert as_utc_pairs(working_intervals(hours, utc(2026, 3, 2, 12), utc(2026, 3, 3, 10))) == [
        (utc(2026, 3, 2, 12), utc(2026, 3, 2, 17)), (utc(2026, 3, 3, 9), utc(2026, 3, 3, 10))]


def test_twenty_four_hour_end_is_midnight():
    hours = WorkingHours("18:00", "24:00", (1,), "UTC")
    assert as_utc_pairs(working_intervals(hours, utc(2026, 3, 2), utc(2026, 3, 3))) == [
        (utc(2026, 3, 2, 18), utc(2026, 3, 3))]


@pytest.mark.parametrize("start, end, days, zone", [
    ("9:00", "17:00", WEEKDAYS, "UTC"), ("09:00", "25:00", WEEKDAYS, "UTC"), ("09:60", "17:00", WEEKDAYS, "UTC"),
    ("24:00", "17:00", WEEKDAYS, "UTC"), ("09:00", "17:00", (0, 1), "UTC"), ("09:00", "17:00", (8,), "UTC"),
    ("09:00", "17:00", (), "UTC"), ("09:00", "17:00", WEEKDAYS, "Mars/Olympus_Mons")])
def test_malformed_working_hours_are_refused(start, end, days, zone):
    with pytest.raises(ValueError):
        WorkingHours(start, end, days, zone)
