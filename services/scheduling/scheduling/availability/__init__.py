"""Availability and slot finding for scheduling: working hours across time zones, busy time from
calendar files, free time, common slots, session series on a cadence, whole-cohort kickoffs and the
rules a proposed session must keep. Pure Python and NumPy: no web, database or broker.

Time inside is interval sets of UTC epoch minutes (`intervals`); datetimes at the edges."""

from scheduling.availability.cohort_kickoffs import kickoff_slots
from scheduling.availability.ics_busy import (
                                              MAX_CALENDAR_BYTES,
                                              MAX_OCCURRENCES,
                                              CalendarFileError,
                                              busy_intervals_from_ics,
)
from scheduling.availability.model import (
                                              Cadence,
                                              Interval,
                                              KickoffResult,
                                              NoSlotReason,
                                              Pair,
                                              PersonAvailability,
                                              SessionRule,
                                              SessionViolation,
                                              WorkingHours,
)
from scheduling.availability.person_availability import availability_over, cohort_availability
from scheduling.availability.session_rules import check_session
from scheduling.availability.slots import earliest_common_slot, free_time, series
from scheduling.availability.working_hours import working_intervals

__all__ = ["Cadence", "CalendarFileError", "Interval", "KickoffResult", "MAX_CALENDAR_BYTES", "MAX_OCCURRENCES",
           "NoSlotReason", "Pair", "PersonAvailability", "SessionRule", "SessionViolation", "WorkingHours",
           "availability_over", "busy_intervals_from_ics", "check_session", "cohort_availability",
           "earliest_common_slot", "free_time", "kickoff_slots", "series", "working_intervals"]
