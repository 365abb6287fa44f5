"""A person's CalDAV server (RFC 4791), both ways: busy times read from it, and sessions written
back to one of its calendars.

Busy times come from a free-busy query (REPORT free-busy-query, RFC 4791 §7.10), which returns
only busy periods, never event details. A server that does not support it gets a time-range
calendar-query instead (§7.8), whose events are read by the same code as an uploaded calendar
file (`scheduling.availability.busy_intervals_from_ics`: recurrences, time zones, what blocks
time). Busy times are whole minutes, widened outward, like everything in availability.

Write-back stores each session as `<calendar>/<uid>.ics`. A PUT is conditional on what was read
(If-Match / If-None-Match) and never replaces a copy with a higher SEQUENCE, so retries and
out-of-order deliveries are harmless. The events carry SCHEDULE-AGENT=CLIENT so that servers with
implicit scheduling (RFC 6638) do not send invitations of their own: the platform sends them.

Plain `requests` with Basic auth; the account URL is the server's, the principal's or a calendar's.
Callers should check a user-supplied account URL like any other outbound URL
(`fetching.check_destination`) before using it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote, urljoin

import icalendar
import numpy as np
import requests

from scheduling.availability import CalendarFileError, busy_intervals_from_ics
from scheduling.availability import intervals as minute_sets
from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor
from scheduling.calendars import caldav_xml as dav
from scheduling.calendars.entries import CalendarEntry
from scheduling.calendars.freebusy import FreeBusyError, busy_periods
from scheduling.calendars.vevent import new_calendar, to_bytes, vevent

MAX_RESPONSE_BYTES = 20 * 1024 * 1024
# Answers that mean "free-busy-query is not supported here"; the calendar-query is tried instead.
FREE_BUSY_UNSUPPORTED = {400, 403, 405, 415, 422, 501}
PUT_ATTEMPTS = 3

BusyQuery = Literal["auto", "free-busy", "events"]
PutOutcome = Literal["created", "updated", "unchanged", "stale"]


@dataclass(frozen=True)
class CalDavAccount:
    url: str
    username: str
    password: str = field(repr=False)
    timeout_s: float = 15.0


class CalDavError(Exception):
    """`code` is one of: unreachable, unauthorized, not_found, bad_response."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def busy_intervals(account: CalDavAccount, start: dt.datetime, end: dt.datetime, *,
                   calendar_paths: list[str] | None = None, query: BusyQuery = "auto",
                   time_zone: str = "UTC") -> list[tuple[dt.datetime, dt.datetime]]:
    """Busy (start, end) intervals in [start, end) across the given calendars (paths relative to
    the account URL), or across every event calendar the account has: UTC, sorted, merged.

    `query` chooses the method: "auto" is free-busy with the calendar-query as fallback; the
    other two force one (to test them, or for a server known to misreport). `time_zone` (the
    person's) places all-day and floating events in the fallback."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    if calendar_paths is None:
        urls = discover_calendars(account)
    else:
        urls = [calendar_url(account, path) for path in calendar_paths]
    busy = minute_sets.union(*(_calendar_busy(account, url, start, end, query, time_zone) for url in urls))
    busy = minute_sets.clip(busy, minutes_floor(start), minutes_ceil(end))
    return [(interval.start, interval.end) for interval in minute_sets.to_intervals(busy)]


def discover_calendars(account: CalDavAccount) -> list[str]:
    """The URLs of the account's calendars that hold events: the account URL itself if it is a
    calendar; else those in its calendar home (RFC 4791 §6.2.1), found through the principal."""
    found = _propfind_one(account, account.url, (dav.DAV, "resourcetype"), (dav.DAV, "current-user-principal"),
                          (dav.CALDAV, "calendar-home-set"))
    if found.has_child(dav.DAV, "resourcetype", dav.clark(dav.CALDAV, "calendar")):
        return [account.url]
    homes = found.hrefs(dav.CALDAV, "calendar-home-set")
    if not homes:
        for principal in found.hrefs(dav.DAV, "current-user-principal"):
            principal_url = urljoin(account.url, principal)
            homes = _propfind_one(account, principal_url, (dav.CALDAV, "calendar-home-set")).hrefs(
                dav.CALDAV, "calendar-home-set")
    home = urljoin(account.url, homes[0]) if homes else account.url
    listing = _propfind(account, home, "1", (dav.DAV, "resourcetype"),
                        (dav.CALDAV, "supported-calendar-component-set"))
    calendars = []
    for resource in listing:
        if not resource.has_child(dav.DAV, "resourcetype", dav.clark(dav.CALDAV, "calendar")):
            continue
        components = resource.properties.get(dav.clark(dav.CALDAV, "supported-calendar-component-set"))
        names = {c.get("name", "").upper() for c in components} if components is not None else {"VEVENT"}
        if "VEVENT" in names:
            calendars.append(urljoin(home, resource.href))
    return calendars


def create_calendar(account: CalDavAccount, calendar_path: str, display_name: str) -> bool:
    """Make an event calendar at `calendar_path` (MKCALENDAR). False if one is already there."""
    url = calendar_url(account, calendar_path)
    response = _request(account, "MKCALENDAR", url, body=dav.mkcalendar(display_name))
    if response.status == 201:
        return True
    if response.status in (405, 409):  # the URL is taken: fine if by a calendar
        found = _propfind_one(account, url, (dav.DAV, "resourcetype"))
        if found.has_child(dav.DAV, "resourcetype", dav.clark(dav.CALDAV, "calendar")):
            return False
        raise CalDavError("bad_response", f"{calendar_path} exists and is not a calendar")
    _check(response, {201}, "creating the calendar")
    return False  # unreachable: _check raised


def put_entry(account: CalDavAccount, calendar_path: str, entry: CalendarEntry) -> PutOutcome:
    """Write `entry` as `<calendar>/<uid>.ics`. "unchanged" when that SEQUENCE is already stored
    (a retry), "stale" when a higher one is (a late, older revision): both write nothing."""
    url = entry_url(account, calendar_path, entry.uid)
    body = entry_object(entry)
    for _ in range(PUT_ATTEMPTS):
        current = _request(account, "GET", url)
        if current.status == 404:
            outcome: PutOutcome = "created"
            condition = {"If-None-Match": "*"}
        else:
            _check(current, {200}, "reading the stored event")
            stored = _stored_sequence(current.content, entry.uid)
            if stored is not None and stored > entry.sequence:
                return "stale"
            if stored == entry.sequence:
                return "unchanged"
            outcome = "updated"
            etag = current.headers.get("ETag")
            condition = {"If-Match": etag} if etag else {}
        response = _request(account, "PUT", url, body=body,
                            headers={"Content-Type": "text/calendar; charset=utf-8", **condition})
        if response.status == 412:
            continue  # changed between our read and write: read again
        _check(response, {200, 201, 204}, "writing the event")
        return outcome
    raise CalDavError("bad_response", f"the event kept changing while being written ({PUT_ATTEMPTS} tries)")


def delete_entry(account: CalDavAccount, calendar_path: str, uid: str) -> bool:
    """Remove the session's event. False if it was not there (already deleted: a retry)."""
    response = _request(account, "DELETE", entry_url(account, calendar_path, uid))
    if response.status in (404, 410):
        return False
    _check(response, {200, 202, 204}, "deleting the event")
    return True


def entry_object(entry: CalendarEntry) -> bytes:
    """The calendar object resource for `entry`: one VEVENT, no METHOD (RFC 4791 §4.1)."""
    calendar = new_calendar()
    calendar.add_component(vevent(entry, dtstamp=entry.last_modified, server_schedules=False))
    return to_bytes(calendar)


def calendar_url(account: CalDavAccount, calendar_path: str) -> str:
    if "://" in calendar_path:
        raise ValueError("calendar_path is a path on the account's server, not a URL")
    base = account.url if account.url.endswith("/") else account.url + "/"
    url = urljoin(base, calendar_path)
    return url if url.endswith("/") else url + "/"


def entry_url(account: CalDavAccount, calendar_path: str, uid: str) -> str:
    # The UID names the resource, so a retried PUT lands on the same one; quoting keeps any UID
    # a single path segment.
    return calendar_url(account, calendar_path) + quote(uid, safe="@-_.") + ".ics"


def _calendar_busy(account: CalDavAccount, url: str, start: dt.datetime, end: dt.datetime,
                   query: BusyQuery, time_zone: str) -> np.ndarray:
    """One calendar's busy time, as a set of epoch minutes (`availability.intervals`)."""
    if query in ("auto", "free-busy"):
        response = _request(account, "REPORT", url, body=dav.free_busy_query(start, end),
                            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"})
        if response.status == 200 and response.content.lstrip().startswith(b"BEGIN:VCALENDAR"):
            return _free_busy_minutes(response.content)
        if query == "free-busy" or response.status not in FREE_BUSY_UNSUPPORTED | {200, 207}:
            _check(response, set(), "the free-busy query")
        # Not supported here (or answered with something else): ask for the events instead.
    response = _request(account, "REPORT", url, body=dav.events_query(start, end),
                        headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"})
    _check(response, {207}, "the calendar query")
    sets = []
    for resource in _multistatus(response):
        data = resource.text(dav.CALDAV, "calendar-data")
        if not data:
            continue
        try:
            sets.append(busy_intervals_from_ics(data.encode("utf-8"), time_zone, start, end,
                                                max_bytes=MAX_RESPONSE_BYTES))
        except CalendarFileError as error:
            raise CalDavError("bad_response", f"{resource.href} cannot be read: {error.message}") from None
    return minute_sets.union(*sets)


def _free_busy_minutes(data: bytes) -> np.ndarray:
    try:
        periods = busy_periods(data)
    except FreeBusyError as error:
        raise CalDavError("bad_response", str(error)) from None
    return minute_sets.from_pairs((minutes_floor(a), minutes_ceil(b)) for a, b in periods)


def _stored_sequence(data: bytes, uid: str) -> int | None:
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError:
        return None  # unreadable: overwrite it
    for event in calendar.walk("VEVENT"):
        if str(event.get("UID")) == uid and "RECURRENCE-ID" not in event:
            try:
                return int(event.get("SEQUENCE", 0))
            except (TypeError, ValueError):
                return None
    return None


def _propfind(account: CalDavAccount, url: str, depth: str, *properties: tuple[str, str]) -> list[dav.DavResource]:
    response = _request(account, "PROPFIND", url, body=dav.propfind(*properties),
                        headers={"Depth": depth, "Content-Type": "application/xml; charset=utf-8"})
    _check(response, {207}, "PROPFIND")
    return _multistatus(response)


def _propfind_one(account: CalDavAccount, url: str, *properties: tuple[str, str]) -> dav.DavResource:
    resources = _propfind(account, url, "0", *properties)
    if not resources:
        raise CalDavError("bad_response", f"PROPFIND on {url} returned no resource")
    return resources[0]


def _multistatus(response: _Answer) -> list[dav.DavResource]:
    try:
        return dav.parse_multistatus(response.content)
    except dav.BadXml as error:
        raise CalDavError("bad_response", str(error)) from None


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str


def _request(account: CalDavAccount, method: str, url: str, *, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> _Answer:
    """The server's answer, its body read (up to MAX_RESPONSE_BYTES); network failures as
    CalDavError. Redirects are not followed: a server could send the credentials' requests
    anywhere, so the account URL must name the DAV resource itself."""
    try:
        response = requests.request(method, url, data=body, headers=headers or {}, stream=True,
                                    auth=(account.username, account.password), allow_redirects=False,
                                    timeout=(account.timeout_s, account.timeout_s))
    except requests.Timeout:
        raise CalDavError("unreachable", f"the CalDAV server did not answer within {account.timeout_s:g} s") from None
    except requests.RequestException as error:
        raise CalDavError("unreachable", f"could not reach the CalDAV server: {type(error).__name__}") from None
    with response:
        content = bytearray()
        try:
            for chunk in response.iter_content(64 * 1024):
                content += chunk
                if len(content) > MAX_RESPONSE_BYTES:
                    raise CalDavError("bad_response", f"the server's answer is over {MAX_RESPONSE_BYTES} bytes")
        except requests.RequestException as error:
            raise CalDavError("unreachable", f"the CalDAV answer broke off: {type(error).__name__}") from None
        return _Answer(response.status_code, response.headers, bytes(content), url)


def _check(response: _Answer, expected: set[int], what: str) -> None:
    status = response.status
    if status in expected:
        return
    if status in (401, 403):
        raise CalDavError("unauthorized", f"the CalDAV server refused the credentials ({status}) for {what}")
    if status in (404, 410):
        raise CalDavError("not_found", f"nothing at {response.url} ({status}) for {what}")
    raise CalDavError("bad_response", f"unexpected HTTP {status} from the CalDAV server for {what}")
