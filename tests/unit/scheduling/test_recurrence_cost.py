"""The bound on how many recurrences expanding a rule steps through, checked before expanding."""

from datetime import UTC, datetime

from scheduling.availability.epoch_minutes import minutes_floor
from scheduling.availability.recurrence_cost import recurrences_walked

DAY = 1440
START = minutes_floor(datetime(2026, 3, 1, tzinfo=UTC))


def walked(rule: dict, days: int = 10, first_start: int = START) -> float:
    return recurrences_walked(rule, first_start, START + days * DAY, minutes_floor)


def test_a_daily_rule_walks_one_recurrence_a_day():
    assert walked({"FREQ": ["DAILY"]}) == 11  # both ends included


def test_time_of_day_lists_multiply_a_coarser_frequency():
    every_minute_of_the_day = {"FREQ": ["DAILY"], "BYHOUR": list(range(24)), "BYMINUTE": list(range(60))}
    assert walked(every_minute_of_the_day) >= 10 * 24 * 60


def test_a_by_part_at_or_below_the_frequency_only_filters():
    assert walked({"FREQ": ["HOURLY"], "BYHOUR": [9, 10]}) == walked({"FREQ": ["HOURLY"]})


def test_count_until_and_interval_bound_the_walk():
    assert walked({"FREQ": ["MINUTELY"], "COUNT": [5]}) == 5
    until = datetime(2026, 3, 2, tzinfo=UTC)
    assert walked({"FREQ": ["HOURLY"], "UNTIL": [until]}) == 25
    assert walked({"FREQ": ["DAILY"], "INTERVAL": [2]}) == 6


def test_a_rule_started_long_ago_walks_all_the_years_since():
    since_2000 = minutes_floor(datetime(2000, 1, 1, tzinfo=UTC))
    assert walked({"FREQ": ["HOURLY"]}, first_start=since_2000) > 200_000


def test_an_unknown_frequency_is_unbounded():
    assert walked({"FREQ": ["SOMETIMES"]}) == float("inf")
