"""Whether a proposed session can be held: for each attendee it must lie wholly within their
working hours and overlap nothing that makes them busy. Booked sessions are part of `busy`, which
is how a person is never double-booked (leave out the session being moved when rescheduling)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from scheduling.availability import intervals
from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor
from scheduling.availability.model import PersonAvailability, PersonKey, SessionRule, SessionViolation


def check_session(attendees: Mapping[PersonKey, PersonAvailability], start: datetime,
                  end: datetime) -> list[SessionViolation[PersonKey]]:
    """Every rule the session [start, end) breaks, per attendee, in the attendees' order; empty when
    it can be held. The availabilities must cover the session's time (their horizon)."""
    if end <= start:
        raise ValueError("a session must end after it starts")
    first_minute, last_minute = minutes_floor(start), minutes_ceil(end)
    violations: list[SessionViolation[PersonKey]] = []
    for person, availability in attendees.items():
        if not intervals.contains(availability.working, first_minute, last_minute):
            violations.append(SessionViolation(person, SessionRule.OUTSIDE_WORKING_HOURS))
        if intervals.overlaps(availability.busy, first_minute, last_minute):
            violations.append(SessionViolation(person, SessionRule.OVERLAPS_BUSY_TIME))
    return violations
