"""People's calendars as busy time: an uploaded ICS file, a calendar URL (fetched under the
allow-list in the settings) or a CalDAV account. Each is read over the horizon ahead (now to now
+ SCHEDULING_CALENDAR_HORIZON_DAYS) in the person's own time zone, and stored as epoch-minute
intervals; slot finding reads them back with `CalendarsRepository.busy_of`.

Network reads happen outside any database transaction: a slow calendar server holds no locks.
A calendar that cannot be used is a 422 naming the field at fault (`file`, `url` or `password`)
with a stable `code`, and nothing is stored."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from mentoring_shared.actors import Actor
from mentoring_shared.errors import Conflict, Forbidden, InvalidField, NotFound
from mentoring_shared.ids import new_id
from scheduling.availability import CalendarFileError, busy_intervals_from_ics
from scheduling.availability import intervals as minute_sets
from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor
from scheduling.availability.model import zone_named
from scheduling.calendars import caldav_client
from scheduling.calendars.fetching import CalendarFetchError, check_destination, fetch_calendar
from scheduling.metrics import CALENDAR_READS
from scheduling.repositories.calendars import CalendarSource, CalendarsRepository
from scheduling.repositories.people import PeopleRepository
from scheduling.settings import SchedulingSettings
from scheduling.unit_of_work import SchedulingReads, SchedulingUnitOfWork


class CalendarUnusable(InvalidField):
    """A calendar that cannot be read: names the field at fault and carries a stable `code`
    (fetching: disallowed, unreachable, timeout, too_large, bad_status, not_a_calendar; files:
    malformed, bad_date, bad_event, too_many_occurrences, ...; CalDAV: unauthorized, not_found,
    bad_response)."""

    def __init__(self, field: str, code: str, message: str, location: str = "json"):
        super().__init__(field, message)
        self.code = code
        self.extensions["code"] = code
        self.extensions["errors"][0].update(code=code, location=location)


@dataclass(frozen=True)
class CalendarAccount:
    """What a person gives to have a calendar read by address: a URL (`ics_url`), or a CalDAV
    account (`caldav`: URL, user name and password, and optionally the path of a calendar on that
    server that their sessions are written back to)."""

    kind: str
    url: str
    username: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    write_back_path: str | None = None


@dataclass(frozen=True)
class _Horizon:
    start: datetime
    end: datetime

    @classmethod
    def ahead(cls, settings: SchedulingSettings, now: datetime) -> "_Horizon":
        start = now.replace(second=0, microsecond=0)  # whole minutes, like everything stored
        return cls(start, start + timedelta(days=settings.calendar_horizon_days))


def upload_calendar(tenant_id: str, person_id: str, calendar_file: bytes, actor: Actor,
                    settings: SchedulingSettings, uow: SchedulingUnitOfWork) -> CalendarSource:
    """Read an uploaded ICS file; it replaces the person's previous upload."""
    with uow:
        zone = _zone_of(uow, tenant_id, person_id, actor)
    horizon = _Horizon.ahead(settings, _now())
    try:
        busy = busy_intervals_from_ics(calendar_file, zone, horizon.start, horizon.end,
                                       max_bytes=settings.calendar_max_bytes)
    except CalendarFileError as error:
        CALENDAR_READS.labels("ics_upload", error.code).inc()
        raise CalendarUnusable("file", error.code, error.message, location="multipart") from None
    CALENDAR_READS.labels("ics_upload", "ok").inc()
    source = _source(tenant_id, person_id, "ics_upload", None, None, None, busy, horizon)
    with uow:
        # Lock the person: two uploads at once must still leave one.
        if uow.people.person(tenant_id, person_id, for_update=True) is None:
            raise NotFound(f"no person {person_id} in this tenant")
        uow.calendars.remove_of_kind(tenant_id, person_id, "ics_upload")
        uow.calendars.add(source)
        uow.commit()
    return source


def add_calendar(tenant_id: str, person_id: str, account: CalendarAccount, actor: Actor,
                 settings: SchedulingSettings, uow: SchedulingUnitOfWork) -> CalendarSource:
    """Read a calendar by URL or CalDAV now, and keep it (with what it takes to read it again)."""
    with uow:
        zone = _zone_of(uow, tenant_id, person_id, actor)
    horizon = _Horizon.ahead(settings, _now())
    url = account.url.strip()
    busy = _read(account.kind, url, account.username, account.password, zone, horizon, settings)
    source = _source(tenant_id, person_id, account.kind, url, account.username, account.password, busy, horizon)
    if account.kind == "caldav" and account.write_back_path:
        source = dataclasses.replace(source, write_back_path=account.write_back_path)
    with uow:
        if uow.people.person(tenant_id, person_id) is None:
            raise NotFound(f"no person {person_id} in this tenant")
        uow.calendars.add(source)
        uow.commit()
    return source


def refresh_calendar(tenant_id: str, source_id: str, actor: Actor, settings: SchedulingSettings,
                     uow: SchedulingUnitOfWork) -> CalendarSource:
    """Read a URL or CalDAV source again over the horizon from now. On failure its `last_error`
    records why and the busy time read before stays; the failure is answered like a first read's."""
    with uow:
        source = _source_in_reach(uow.calendars, tenant_id, source_id, actor)
        if source.kind == "ics_upload":
            raise Conflict("an uploaded calendar file is read once; upload the file again to refresh it")
        assert source.url is not None, "URL and CalDAV sources are stored with their address"
        zone = _zone_of(uow, tenant_id, source.person_id, actor)
    horizon = _Horizon.ahead(settings, _now())
    try:
        busy = _read(source.kind, source.url, source.username, source.secret, zone, horizon, settings)
    except CalendarUnusable as error:
        with uow:
            uow.calendars.record_error(tenant_id, source_id, f"{error.code}: {error.message}")
            uow.commit()
        raise
    refreshed = dataclasses.replace(source, busy=_pairs(busy), horizon_start=minutes_floor(horizon.start),
                                    horizon_end=minutes_ceil(horizon.end), refreshed_at=_now(), last_error=None)
    with uow:
        if uow.calendars.source(tenant_id, source_id, for_update=True) is None:
            raise NotFound(f"no calendar {source_id} in this tenant")  # removed while it was being read
        uow.calendars.save(refreshed)
        uow.commit()
    return refreshed


def remove_calendar(tenant_id: str, source_id: str, actor: Actor, uow: SchedulingUnitOfWork) -> None:
    with uow:
        _source_in_reach(uow.calendars, tenant_id, source_id, actor)
        uow.calendars.remove(tenant_id, source_id)
        uow.commit()


def calendars_of(tenant_id: str, person_id: str, actor: Actor, limit: int, after: str | None,
                 reads: SchedulingReads | SchedulingUnitOfWork) -> list[CalendarSource]:
    person_in_reach(reads.people, tenant_id, person_id, actor)
    return reads.calendars.sources_of(tenant_id, person_id, limit=limit, after=after)


def forget_calendars(uow: SchedulingUnitOfWork, tenant_id: str, person_id: str) -> int:
    """Drop a person's calendar sources (busy time, URLs, CalDAV credentials), within the caller's
    transaction: for their erasure."""
    return uow.calendars.remove_all_of(tenant_id, person_id)


# --- reading -------------------------------------------------------------------------------------

def _read(kind: str, url: str, username: str | None, password: str | None, zone: str, horizon: _Horizon,
          settings: SchedulingSettings) -> np.ndarray:
    try:
        busy = _read_ics_url(url, zone, horizon, settings) if kind == "ics_url" else \
            _read_caldav(url, username, password, zone, horizon, settings)
    except CalendarUnusable as error:
        CALENDAR_READS.labels(kind, error.code).inc()
        raise
    CALENDAR_READS.labels(kind, "ok").inc()
    return busy


def _read_ics_url(url: str, zone: str, horizon: _Horizon, settings: SchedulingSettings) -> np.ndarray:
    try:
        calendar_file = fetch_calendar(url, settings.calendar_fetch)
        return busy_intervals_from_ics(calendar_file, zone, horizon.start, horizon.end,
                                       max_bytes=settings.calendar_max_bytes)
    except CalendarFetchError as error:
        raise CalendarUnusable("url", error.code, error.message) from None
    except CalendarFileError as error:
        raise CalendarUnusable("url", error.code, f"the calendar at this URL cannot be read: {error.message}") from None


def _read_caldav(url: str, username: str | None, password: str | None, zone: str, horizon: _Horizon,
                 settings: SchedulingSettings) -> np.ndarray:
    account = caldav_client.CalDavAccount(_checked(url, settings), username or "", password or "",
                                          timeout_s=settings.calendar_fetch.read_timeout_s)
    try:
        periods = caldav_client.busy_intervals(account, horizon.start, horizon.end, time_zone=zone)
    except caldav_client.CalDavError as error:
        field = "password" if error.code == "unauthorized" else "url"
        raise CalendarUnusable(field, error.code, error.message) from None
    return minute_sets.from_pairs((minutes_floor(start), minutes_ceil(end)) for start, end in periods)


def _checked(url: str, settings: SchedulingSettings) -> str:
    """A CalDAV URL passes the same allow-list as a calendar URL before any credentials go to it."""
    try:
        checked, _ = check_destination(url, settings.calendar_fetch)
    except CalendarFetchError as error:
        raise CalendarUnusable("url", error.code, error.message) from None
    return checked


# --- helpers -------------------------------------------------------------------------------------

def person_in_reach(people: PeopleRepository, tenant_id: str, person_id: str, actor: Actor) -> dict:
    """The person, if the actor may manage their calendars: organizers anyone's in the tenant (404
    for someone it does not know), mentors and mentees only their own (403 for anyone else's)."""
    if not actor.may_see(person_id):
        raise Forbidden("mentors and mentees manage only their own calendars and feeds")
    person = people.person(tenant_id, person_id)
    if person is None:
        raise NotFound(f"no person {person_id} in this tenant")
    return person


def _zone_of(uow: SchedulingUnitOfWork, tenant_id: str, person_id: str, actor: Actor) -> str:
    """The zone the person's calendars are read in (all-day and floating events land on their clock)."""
    person_in_reach(uow.people, tenant_id, person_id, actor)
    zone = uow.people.time_zone_of(tenant_id, person_id) or "UTC"
    try:
        zone_named(zone)
    except ValueError:
        return "UTC"  # a zone this server's tz database lacks: read in UTC rather than not at all
    return zone


def _source_in_reach(sources: CalendarsRepository, tenant_id: str, source_id: str, actor: Actor) -> CalendarSource:
    source = sources.source(tenant_id, source_id)
    if source is None:
        raise NotFound(f"no calendar {source_id} in this tenant")
    if not actor.may_see(source.person_id):
        raise Forbidden("mentors and mentees manage only their own calendars")
    return source


def _pairs(busy: np.ndarray) -> tuple[tuple[int, int], ...]:
    return tuple((int(start), int(end)) for start, end in minute_sets.merge(busy).tolist())


def _source(tenant_id: str, person_id: str, kind: str, url: str | None, username: str | None,
            secret: str | None, busy: np.ndarray, horizon: _Horizon) -> CalendarSource:
    return CalendarSource(id=new_id(), tenant_id=tenant_id, person_id=person_id, kind=kind, url=url,
                          username=username, secret=secret, busy=_pairs(busy),
                          horizon_start=minutes_floor(horizon.start), horizon_end=minutes_ceil(horizon.end),
                          refreshed_at=_now())


def _now() -> datetime:
    return datetime.now(UTC)
