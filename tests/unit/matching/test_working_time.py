"""Working time on the UTC week of the reference date: DST-aware, wrapping, shared minutes."""

from datetime import date

from matching.engine.working_time import (
    MINUTES_PER_WEEK,
    overlap_minutes,
    week_start,
    weekly_window,
    window_of,
    working_time_table,
)
from tests.unit.matching.support import hours, person

WEEKDAYS = (1, 2, 3, 4, 5)


def shared_hours(first_zone: str, second_zone: str, day: date) -> float:
    return overlap_minutes(weekly_window(first_zone, "09:00", "17:00", WEEKDAYS, day),
                           weekly_window(second_zone, "09:00", "17:00", WEEKDAYS, day)) / 60


def test_the_week_is_monday_to_monday_utc_around_the_reference_date():
    assert week_start(date(2026, 3, 12)).isoformat() == "2026-03-09T00:00:00+00:00"
    assert week_start(date(2026, 3, 9)).isoformat() == "2026-03-09T00:00:00+00:00"


def test_new_york_and_london_share_three_hours_a_day_in_winter():
    assert shared_hours("America/New_York", "Europe/London", date(2026, 1, 5)) == 15


def test_new_york_and_london_share_four_hours_a_day_when_only_new_york_has_switched_to_summer_time():
    # the US moves its clocks on 8 March 2026, the UK only on 29 March
    assert shared_hours("America/New_York", "Europe/London", date(2026, 3, 11)) == 20
    assert shared_hours("America/New_York", "Europe/London", date(2026, 4, 8)) == 15


def test_a_window_in_utc_is_shifted_by_the_offset_of_that_week():
    summer = weekly_window("Europe/Paris", "09:00", "17:00", (1,), date(2026, 7, 6))
    winter = weekly_window("Europe/Paris", "09:00", "17:00", (1,), date(2026, 1, 5))
    assert summer.intervals == ((7 * 60, 15 * 60),)
    assert winter.intervals == ((8 * 60, 16 * 60),)


def test_monday_morning_in_sydney_wraps_to_the_end_of_the_utc_week():
    window = weekly_window("Australia/Sydney", "09:00", "17:00", (1,), date(2026, 1, 5))  # UTC+11
    assert window.intervals == ((0, 6 * 60), (MINUTES_PER_WEEK - 2 * 60, MINUTES_PER_WEEK))
    sunday_evening_utc = weekly_window("UTC", "20:00", "23:00", (7,), date(2026, 1, 5))
    assert overlap_minutes(window, sunday_evening_utc) == 60


def test_a_shift_ending_after_midnight_continues_the_next_day():
    window = weekly_window("UTC", "22:00", "02:00", (1,), date(2026, 1, 5))
    assert window.intervals == ((22 * 60, 26 * 60),)


def test_overlapping_days_are_not_counted_twice():
    window = weekly_window("UTC", "00:00", "24:00", (1, 2), date(2026, 1, 5))
    assert window.intervals == ((0, 2 * 24 * 60),)
    assert overlap_minutes(window, window) == 2 * 24 * 60


def test_people_on_different_continents_may_share_nothing():
    assert shared_hours("America/Los_Angeles", "Asia/Kolkata", date(2026, 1, 5)) == 0


def test_a_cohort_table_has_one_row_per_distinct_pattern_and_matches_the_pairwise_overlap():
    mentees = [person(f"m{i}", time_zone=zone, working_hours=hours(start, end))
               for i, (zone, start, end) in enumerate([("Europe/London", "09:00", "17:00"),
                                                      ("America/New_York", "09:00", "17:00"),
                                                      ("Europe/London", "09:00", "17:00"),
                                                      ("Asia/Kolkata", "10:00", "18:30")])]
    mentors = [person("t0", time_zone="Europe/Paris"),
               person("t1", time_zone="America/New_York", working_hours=hours("08:00", "16:00"))]
    table = working_time_table(mentees, mentors, date(2026, 1, 5))
    assert table.table.shape == (3, 2)
    for mentee_index, mentee in enumerate(mentees):
        for mentor_index, mentor in enumerate(mentors):
            expected = overlap_minutes(window_of(mentee, date(2026, 1, 5)), window_of(mentor, date(2026, 1, 5)))
            assert table.value(mentee_index, mentor_index) == expected
    assert table.value(3, 0) == 5 * 5 * 60  # Kolkata 10:00-18:30 is 04:30-13:00 UTC; Paris 08:00-16:00 UTC
