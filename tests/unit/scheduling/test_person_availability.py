"""A person's availability, one at a time or for a whole cohort at once: the same answer."""

import random

from scheduling.availability import WorkingHours, availability_over, cohort_availability, intervals
from scheduling.availability.epoch_minutes import minutes_floor
from tests.unit.scheduling.support import span, utc

START, END = utc(2026, 3, 2), utc(2026, 3, 16)


def test_free_time_is_working_hours_minus_every_busy_source():
    hours = WorkingHours("09:00", "17:00", (1,), "UTC")
    calendar = span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 10))
    booked = span(utc(2026, 3, 2, 9, 30), utc(2026, 3, 2, 11))
    person = availability_over(hours, [calendar, booked], START, utc(2026, 3, 3))
    assert person.free.tolist() == span(utc(2026, 3, 2, 11), utc(2026, 3, 2, 17)).tolist()
    assert person.busy.tolist() == span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 11)).tolist()


def test_someone_without_working_hours_is_never_free():
    assert len(availability_over(None, [], START, END).free) == 0


def test_a_cohort_at_once_equals_each_person_alone():
    rng = random.Random(2)
    zones = ["UTC", "Europe/Paris", "Asia/Kolkata", "Australia/Sydney", "America/Los_Angeles"]
    hours, busy = {}, {}
    for n in range(30):
        hours[n] = None if n == 7 else WorkingHours(rng.choice(["08:00", "09:30", "22:00"]), "17:00",
                                                    (1, 2, 3, 4, 5), rng.choice(zones))
        if n % 5:  # some people have no calendar
            starts = [minutes_floor(START) + rng.randrange(-2000, 16 * 1440) for _ in range(25)]
            busy[n] = intervals.from_pairs((s, s + rng.randrange(15, 600)) for s in starts)
    together = cohort_availability(hours, busy, START, END)
    for n in hours:
        alone = availability_over(hours[n], [busy[n]] if n in busy else [], START, END)
        assert together[n].working.tolist() == alone.working.tolist()
        assert together[n].free.tolist() == alone.free.tolist()
        assert together[n].busy.tolist() == alone.busy.tolist()
