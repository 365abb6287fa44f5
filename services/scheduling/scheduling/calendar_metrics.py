"""Figures about people's calendars for dashboards: reads of a calendar source by kind and outcome
(`ok` or the stable error code: disallowed, unreachable, timeout, too_large, unauthorized, ...).
Counted after the read, whether or not it was stored."""

from prometheus_client import Counter

CALENDAR_READS = Counter("scheduling_calendar_reads_total", "Calendar sources read (uploaded, fetched, CalDAV), "
                         "by kind and outcome.", ["kind", "outcome"])
FEEDS_SERVED = Counter("scheduling_feeds_served_total", "Personal ICS feeds served, by outcome.", ["outcome"])
