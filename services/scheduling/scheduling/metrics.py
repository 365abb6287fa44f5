"""Scheduling's figures for dashboards, about people's calendars: reads of a calendar source by kind
and outcome (`ok` or the stable error code: disallowed, unreachable, timeout, too_large,
unauthorized, ...), counted after the read whether or not it was stored; feeds served; sessions
written back to CalDAV calendars."""

from prometheus_client import Counter

CALENDAR_READS = Counter("scheduling_calendar_reads_total", "Calendar sources read (uploaded, fetched, CalDAV), "
                         "by kind and outcome.", ["kind", "outcome"])
FEEDS_SERVED = Counter("scheduling_feeds_served_total", "Personal ICS feeds served, by outcome.", ["outcome"])
WRITE_BACKS = Counter("scheduling_calendar_write_backs_total", "Sessions written back to people's CalDAV "
                      "calendars, by outcome (created, updated, unchanged, stale, deleted, absent, or the "
                      "error code).", ["outcome"])
