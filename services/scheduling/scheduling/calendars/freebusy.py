"""Busy periods from a VFREEBUSY (RFC 5545 §3.6.4), the answer to a CalDAV free-busy query: only
when someone is busy, never what they are doing. Periods marked FBTYPE=FREE are not busy; BUSY
(the default), BUSY-UNAVAILABLE and BUSY-TENTATIVE are."""

from __future__ import annotations

import datetime as dt

import icalendar

BUSY_TYPES = {"BUSY", "BUSY-UNAVAILABLE", "BUSY-TENTATIVE"}


class FreeBusyError(ValueError):
    pass


def busy_periods(data: bytes) -> list[tuple[dt.datetime, dt.datetime]]:
    """The busy (start, end) periods of every VFREEBUSY in `data`, in UTC, in the order given."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        raise FreeBusyError(f"the free-busy answer is not valid iCalendar: {str(error)[:200]}") from None
    periods = []
    for component in calendar.walk("VFREEBUSY"):
        for name, problem in component.errors:
            if name == "FREEBUSY":
                raise FreeBusyError(f"a FREEBUSY value cannot be read: {problem}")
        values = component.get("FREEBUSY", [])
        for period in values if isinstance(values, list) else [values]:
            if str(period.params.get("FBTYPE", "BUSY")).upper() not in BUSY_TYPES:
                continue
            start, end = period.dt
            if isinstance(end, dt.timedelta):
                end = start + end
            if start.tzinfo is None or end.tzinfo is None:
                # RFC 5545 requires UTC here; a floating time would have to be guessed.
                raise FreeBusyError("a FREEBUSY period is not in UTC")
            periods.append((start.astimezone(dt.UTC), end.astimezone(dt.UTC)))
    return periods
