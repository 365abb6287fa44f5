"""Free time, the earliest common slot, and session series on a cadence."""

from datetime import timedelta

from scheduling.availability import (
    Cadence,
    WorkingHours,
    earliest_common_slot,
    free_time,
    intervals,
    series,
    working_intervals,
)
from tests.unit.scheduling.support import local, span, utc

WEEKDAYS = (1, 2, 3, 4, 5)


SPRING_START, SPRING_END = utc(2026, 3, 2), utc(2026, 5, 4)


def weekdays_nine_to_five(zone: str, start=SPRING_START, end=SPRING_END):
    return working_intervals(WorkingHours("09:00", "17:00", WEEKDAYS, zone), start, end)


def test_free_time_is_working_time_minus_busy_time():
    working = span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 17))
    busy = intervals.union(span(utc(2026, 3, 2, 8), utc(2026, 3, 2, 10)),
                           span(utc(2026, 3, 2, 12), utc(2026, 3, 2, 13)))
    assert free_time(working, busy).tolist() == intervals.union(span(utc(2026, 3, 2, 10), utc(2026, 3, 2, 12)),
                                                              span(utc(2026, 3, 2, 13), utc(2026, 3, 2, 17))).tolist()


def test_earliest_common_slot_is_the_first_shared_free_hour():
    london = weekdays_nine_to_five("Europe/London")
    new_york = weekdays_nine_to_five("America/New_York")
    # Monday 2 March: London 09:00-17:00 UTC, New York 14:00-22:00 UTC
    assert earliest_common_slot(london, new_york, 60, utc(2026, 3, 2)) == utc(2026, 3, 2, 14)


def test_a_busy_time_ending_between_grid_points_pushes_the_slot_to_the_next_quarter_hour():
    person = free_time(span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 17)), span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 10, 5)))
    assert earliest_common_slot(person, person, 30, utc(2026, 3, 2)) == utc(2026, 3, 2, 10, 15)


def test_the_slot_respects_not_before_rounded_up_to_the_grid():
    person = span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 17))
    assert earliest_common_slot(person, person, 30, utc(2026, 3, 2, 11, 1)) == utc(2026, 3, 2, 11, 15)


def test_a_slot_may_end_exactly_when_free_time_ends():
    person = span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 10))
    assert earliest_common_slot(person, person, 60, utc(2026, 3, 2)) == utc(2026, 3, 2, 9)


def test_no_slot_when_shared_free_time_is_shorter_than_the_session():
    first = span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 10))
    second = span(utc(2026, 3, 2, 9, 30), utc(2026, 3, 2, 11))
    assert earliest_common_slot(first, second, 45, utc(2026, 3, 2)) is None
    assert earliest_common_slot(first, second, 30, utc(2026, 3, 2)) == utc(2026, 3, 2, 9, 30)


def test_a_weekly_series_stays_at_ten_on_the_anchor_clock_across_dst():
    new_york = weekdays_nine_to_five("America/New_York")
    sessions = series(new_york, new_york, 60, Cadence.WEEKLY, local("America/New_York", 2026, 3, 2, 10), 4,
                      time_zone="America/New_York")
    assert [s.astimezone(new_york_zone()).strftime("%m-%d %H:%M") for s in sessions] == [
        "03-02 10:00", "03-09 10:00", "03-16 10:00", "03-23 10:00"]


def new_york_zone():
    from zoneinfo import ZoneInfo
    return ZoneInfo("America/New_York")


def test_a_series_takes_the_nearest_free_slot_when_the_usual_one_is_busy():
    person = weekdays_nine_to_five("UTC")
    busy_second_monday = free_time(person, span(utc(2026, 3, 9, 9), utc(2026, 3, 9, 11)))
    sessions = series(person, busy_second_monday, 60, Cadence.WEEKLY, utc(2026, 3, 2, 10), 3)
    assert sessions == [utc(2026, 3, 2, 10), utc(2026, 3, 9, 11), utc(2026, 3, 16, 11)]


def test_a_series_never_moves_earlier_than_the_tolerance_allows():
    person = weekdays_nine_to_five("UTC")
    away_monday_to_thursday = free_time(person, span(utc(2026, 3, 9), utc(2026, 3, 13)))
    # the target is Monday 9 March 10:00; Friday 6 March 16:00 is nearer (66 h before) than Friday 13 March
    # 09:00 (95 h after), but only a tolerance of more than 66 h lets the series move that far back
    sessions = series(person, away_monday_to_thursday, 60, Cadence.WEEKLY, utc(2026, 3, 2, 10), 2,
                      tolerance=timedelta(hours=12))
    assert sessions == [utc(2026, 3, 2, 10), utc(2026, 3, 13, 9)]
    earlier_allowed = series(person, away_monday_to_thursday, 60, Cadence.WEEKLY, utc(2026, 3, 2, 10), 2,
                             tolerance=timedelta(days=4))
    assert earlier_allowed == [utc(2026, 3, 2, 10), utc(2026, 3, 6, 16)]


def test_biweekly_sessions_are_two_weeks_apart():
    person = weekdays_nine_to_five("UTC")
    assert series(person, person, 30, Cadence.BIWEEKLY, utc(2026, 3, 3, 13), 3) == [
        utc(2026, 3, 3, 13), utc(2026, 3, 17, 13), utc(2026, 3, 31, 13)]


def test_monthly_sessions_keep_the_day_or_take_the_last_day_of_a_shorter_month():
    every_day = working_intervals(WorkingHours("09:00", "17:00", (1, 2, 3, 4, 5, 6, 7), "UTC"),
                                  utc(2026, 1, 1), utc(2026, 5, 1))
    assert series(every_day, every_day, 60, Cadence.MONTHLY, utc(2026, 1, 31, 9), 3) == [
        utc(2026, 1, 31, 9), utc(2026, 2, 28, 9), utc(2026, 3, 28, 9)]


def test_a_series_stops_when_the_free_time_runs_out():
    person = weekdays_nine_to_five("UTC", end=utc(2026, 3, 21))
    assert len(series(person, person, 60, Cadence.WEEKLY, utc(2026, 3, 2, 10), 10)) == 3


def test_sessions_of_a_series_never_overlap_even_with_a_large_tolerance():
    person = span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 12))
    sessions = series(person, person, 60, Cadence.WEEKLY, utc(2026, 3, 2), 3, tolerance=timedelta(days=30))
    assert sessions == [utc(2026, 3, 2, 9), utc(2026, 3, 2, 11)]  # after 11:00 nothing is left that does not overlap
