"""How many recurrences expanding a rule walks through before the horizon ends: a bound checked
before expansion, because the expander steps from DTSTART one recurrence at a time, so a
`FREQ=MINUTELY` rule from years ago, or `BYMINUTE=0,1,...,59` on a daily rule, would take minutes
of CPU (and memory) before the per-horizon occurrence limit could ever be counted."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime

_PERIOD_MINUTES = {"SECONDLY": 1 / 60, "MINUTELY": 1, "HOURLY": 60, "DAILY": 1440, "WEEKLY": 7 * 1440,
                   "MONTHLY": 28 * 1440, "YEARLY": 365 * 1440}
_ORDER = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
# BY-parts that multiply the recurrences of a coarser frequency (a finer or equal one only filters)
_EXPANDERS = {"BYSECOND": "SECONDLY", "BYMINUTE": "MINUTELY", "BYHOUR": "HOURLY", "BYDAY": "DAILY",
              "BYMONTHDAY": "DAILY", "BYYEARDAY": "DAILY", "BYWEEKNO": "WEEKLY", "BYMONTH": "MONTHLY"}
# at most this many days a BY-day part can add per period (e.g. BYDAY=MO in a month: five Mondays)
_DAYS_PER_PERIOD = {"WEEKLY": 1, "MONTHLY": 5, "YEARLY": 53}


def recurrences_walked(rule: dict, first_start: int, horizon_end: int,
                       to_minute: Callable[[date | datetime], int]) -> float:
    """An upper estimate of the recurrences generated from `first_start` (DTSTART, epoch minutes)
    until `horizon_end`, for a decoded RRULE (`vRecur`: upper-case keys, list values)."""
    frequency = rule.get("FREQ", ["DAILY"])[0]
    if frequency not in _PERIOD_MINUTES:
        return math.inf
    interval = max(1, int(rule.get("INTERVAL", [1])[0]))
    last = horizon_end
    if rule.get("UNTIL"):
        last = min(last, to_minute(rule["UNTIL"][0]))
    periods = max(0.0, (last - first_start) / (_PERIOD_MINUTES[frequency] * interval)) + 1
    per_period = 1
    for part, unit in _EXPANDERS.items():
        values = rule.get(part) or []
        if values and _ORDER.index(unit) < _ORDER.index(frequency):
            per_period *= len(values) * (_DAYS_PER_PERIOD.get(frequency, 1) if part == "BYDAY" else 1)
    walked = periods * per_period
    if rule.get("COUNT"):
        walked = min(walked, int(rule["COUNT"][0]))
    return walked
