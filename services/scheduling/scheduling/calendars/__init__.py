"""Calendars in and out of scheduling.

In: calendar files fetched from a URL under an allow-list (`fetching`; their busy time is read by
`scheduling.availability.busy_intervals_from_ics`, like an uploaded file), and busy time from a
CalDAV server (`caldav_client`). Out: a personal ICS feed (`feeds`), iTIP invitations and
cancellations (`itip`) and CalDAV write-back (`caldav_client`), all from one `CalendarEntry`
per session (`entries`).

Nothing here touches the database or the broker; the handlers that use it decide what to store
and publish."""
