"""The rules a proposed session must keep for every attendee: within working hours, over nothing busy."""

import pytest

from scheduling.availability import SessionRule, SessionViolation, WorkingHours, availability_over, check_session
from tests.unit.scheduling.support import span, utc

START, END = utc(2026, 3, 2), utc(2026, 3, 9)


def person(zone: str, busy=()):
    return availability_over(WorkingHours("09:00", "17:00", (1, 2, 3, 4, 5), zone), list(busy), START, END)


MENTOR = person("Europe/London", [span(utc(2026, 3, 3, 14), utc(2026, 3, 3, 15))])  # a booked session
MENTEE = person("America/New_York")  # works 14:00-22:00 UTC in early March


def test_a_session_in_both_working_days_and_clear_of_busy_times_is_accepted():
    assert check_session({"mentor": MENTOR, "mentee": MENTEE}, utc(2026, 3, 2, 14), utc(2026, 3, 2, 15)) == []


def test_a_session_outside_one_persons_working_hours_names_that_person():
    violations = check_session({"mentor": MENTOR, "mentee": MENTEE}, utc(2026, 3, 2, 13), utc(2026, 3, 2, 14))
    assert violations == [SessionViolation("mentee", SessionRule.OUTSIDE_WORKING_HOURS)]


def test_a_session_running_past_the_end_of_the_day_is_outside_working_hours():
    violations = check_session({"mentor": MENTOR, "mentee": MENTEE}, utc(2026, 3, 2, 16, 30), utc(2026, 3, 2, 17, 30))
    assert violations == [SessionViolation("mentor", SessionRule.OUTSIDE_WORKING_HOURS)]


def test_a_session_overlapping_a_booked_one_is_a_double_booking():
    violations = check_session({"mentor": MENTOR, "mentee": MENTEE}, utc(2026, 3, 3, 14, 30), utc(2026, 3, 3, 15, 30))
    assert violations == [SessionViolation("mentor", SessionRule.OVERLAPS_BUSY_TIME)]


def test_a_session_right_after_a_busy_time_is_accepted():
    assert check_session({"mentor": MENTOR, "mentee": MENTEE}, utc(2026, 3, 3, 15), utc(2026, 3, 3, 16)) == []


def test_every_broken_rule_of_every_attendee_is_reported():
    violations = check_session({"mentor": MENTOR, "mentee": MENTEE}, utc(2026, 3, 3, 13, 30), utc(2026, 3, 3, 14, 30))
    assert violations == [SessionViolation("mentor", SessionRule.OVERLAPS_BUSY_TIME),
                          SessionViolation("mentee", SessionRule.OUTSIDE_WORKING_HOURS)]


def test_a_session_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        check_session({"mentor": MENTOR}, utc(2026, 3, 2, 15), utc(2026, 3, 2, 14))
