"""A person's personal ICS feed: the sessions they take part in, published (METHOD:PUBLISH) for
Google Calendar, Outlook and Apple Calendar to subscribe to by URL.

The feed URL's secret token, its storage and its revocation belong to the web layer; this module
only writes the calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import icalendar

from scheduling.calendars.entries import CalendarEntry, EntryStatus
from scheduling.calendars.vevent import new_calendar, to_bytes, vevent

# How often subscribers should fetch again. REFRESH-INTERVAL is RFC 7986; Outlook and Google
# read the older X-PUBLISHED-TTL, so both are written.
REFRESH_INTERVAL = dt.timedelta(hours=1)

CONTENT_TYPE = "text/calendar; charset=utf-8"


def personal_feed(calendar_name: str, entries: Iterable[CalendarEntry], now: dt.datetime, *,
                  include_cancelled: bool = False) -> bytes:
    """The VCALENDAR of `entries`, stamped `now`.

    Cancelled sessions are left out unless asked for: a subscriber drops an event that vanishes
    from the feed, while some clients ignore STATUS:CANCELLED and would keep showing it."""
    calendar = new_calendar(method="PUBLISH")
    calendar.add("name", calendar_name)            # RFC 7986
    calendar.add("x-wr-calname", calendar_name)    # what Google, Outlook and Apple display
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    for entry in sorted(entries, key=lambda e: (e.start, e.uid)):
        if entry.status is EntryStatus.CANCELLED and not include_cancelled:
            continue
        calendar.add_component(vevent(entry, dtstamp=now))
    if not calendar.subcomponents:
        # RFC 5545 wants at least one component; strict validators reject an empty VCALENDAR.
        calendar.add_component(_utc_timezone())
    return to_bytes(calendar)


def _utc_timezone() -> icalendar.Timezone:
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(0))
    standard.add("tzoffsetto", dt.timedelta(0))
    standard.add("tzname", "UTC")
    timezone = icalendar.Timezone()
    timezone.add("tzid", "UTC")
    timezone.add_component(standard)
    return timezone
