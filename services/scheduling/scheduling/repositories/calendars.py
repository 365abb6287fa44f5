"""People's calendar sources (an uploaded file, a calendar URL, a CalDAV account) and the busy time
read from each, as UTC epoch-minute intervals over the horizon it was read for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from mentoring_shared.db.engine import rows_affected
from mentoring_shared.db.records import page_query, row_by_key
from scheduling import orm
from scheduling.availability import intervals

KINDS = ("ics_upload", "ics_url", "caldav")


@dataclass(frozen=True)
class CalendarSource:
    id: str
    tenant_id: str
    person_id: str
    kind: str  # ics_upload | ics_url | caldav
    url: str | None
    username: str | None
    secret: str | None = field(repr=False)  # the CalDAV password: never rendered
    busy: tuple[tuple[int, int], ...]  # a normal interval set of epoch minutes
    horizon_start: int  # epoch minutes: the busy time read covers [horizon_start, horizon_end)
    horizon_end: int
    refreshed_at: datetime
    last_error: str | None = None
    write_back_path: str | None = None  # caldav only: the calendar sessions are written back to

    @property
    def busy_minutes(self) -> int:
        return sum(end - start for start, end in self.busy)


def _row(source: CalendarSource) -> dict:
    return {"source_id": source.id, "tenant_id": source.tenant_id, "person_id": source.person_id,
            "kind": source.kind, "url": source.url, "username": source.username, "secret": source.secret,
            "busy": [list(pair) for pair in source.busy], "horizon_start": source.horizon_start,
            "horizon_end": source.horizon_end, "refreshed_at": source.refreshed_at, "last_error": source.last_error,
            "write_back_path": source.write_back_path}


def _source(row) -> CalendarSource:
    return CalendarSource(id=row["source_id"], tenant_id=row["tenant_id"], person_id=row["person_id"],
                          kind=row["kind"], url=row["url"], username=row["username"], secret=row["secret"],
                          busy=tuple((int(start), int(end)) for start, end in row["busy"]),
                          horizon_start=int(row["horizon_start"]), horizon_end=int(row["horizon_end"]),
                          refreshed_at=row["refreshed_at"], last_error=row["last_error"],
                          write_back_path=row["write_back_path"])


class CalendarsRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, source: CalendarSource) -> None:
        self._session.execute(insert(orm.calendar_sources).values(**_row(source)))

    def save(self, source: CalendarSource) -> None:
        row = _row(source)
        del row["source_id"], row["tenant_id"], row["person_id"], row["kind"]
        table = orm.calendar_sources
        self._session.execute(update(table).where(table.c.tenant_id == source.tenant_id,
                                                  table.c.source_id == source.id).values(**row))

    def record_error(self, tenant_id: str, source_id: str, message: str | None) -> None:
        """The source's `last_error` (None: cleared)."""
        table = orm.calendar_sources
        self._session.execute(update(table).where(table.c.tenant_id == tenant_id, table.c.source_id == source_id)
                              .values(last_error=message))

    def write_back_sources(self, tenant_id: str, person_ids: Iterable[str]) -> list[CalendarSource]:
        """The CalDAV sources of these people that opted into write-back, oldest id first."""
        table = orm.calendar_sources
        rows = self._session.execute(select(table).where(
            table.c.tenant_id == tenant_id, table.c.person_id.in_(sorted(set(person_ids))),
            table.c.kind == "caldav", table.c.write_back_path.is_not(None)).order_by(table.c.source_id)).mappings()
        return [_source(row) for row in rows]

    def source(self, tenant_id: str, source_id: str, for_update: bool = False) -> CalendarSource | None:
        row = row_by_key(self._session, orm.calendar_sources, for_update, tenant_id=tenant_id, source_id=source_id)
        return None if row is None else _source(row)

    def sources_of(self, tenant_id: str, person_id: str, *, limit: int,
                   after: str | None = None) -> list[CalendarSource]:
        query = page_query(orm.calendar_sources, "source_id", tenant_id, limit=limit, after=after,
                           person_id=person_id)
        return [_source(row) for row in self._session.execute(query).mappings()]

    def remove(self, tenant_id: str, source_id: str) -> bool:
        table = orm.calendar_sources
        result = self._session.execute(delete(table).where(table.c.tenant_id == tenant_id,
                                                           table.c.source_id == source_id))
        return rows_affected(result) > 0

    def remove_of_kind(self, tenant_id: str, person_id: str, kind: str) -> int:
        table = orm.calendar_sources
        return rows_affected(self._session.execute(delete(table).where(
            table.c.tenant_id == tenant_id, table.c.person_id == person_id, table.c.kind == kind)))

    def remove_all_of(self, tenant_id: str, person_id: str) -> int:
        table = orm.calendar_sources
        return rows_affected(self._session.execute(delete(table).where(
            table.c.tenant_id == tenant_id, table.c.person_id == person_id)))

    def busy_of(self, tenant_id: str, person_ids: Iterable[str], horizon_start_minute: int,
                horizon_end_minute: int) -> dict[str, np.ndarray]:
        """Each person's busy time in [horizon_start_minute, horizon_end_minute), the union of all their
        calendar sources, as a normal interval set (`availability.intervals`); an empty set for anyone
        without calendars. Time beyond what a source was read for counts as free."""
        wanted = sorted(set(person_ids))
        sets: dict[str, list[np.ndarray]] = {person_id: [] for person_id in wanted}
        table = orm.calendar_sources
        for first in range(0, len(wanted), 1000):  # bounded IN lists
            rows = self._session.execute(select(table.c.person_id, table.c.busy).where(
                table.c.tenant_id == tenant_id, table.c.person_id.in_(wanted[first:first + 1000]),
                table.c.horizon_end > horizon_start_minute, table.c.horizon_start < horizon_end_minute))
            for person_id, busy in rows:
                sets[person_id].append(np.asarray(busy, dtype=np.int64).reshape(-1, 2))
        return {person_id: intervals.clip(intervals.union(*found), horizon_start_minute, horizon_end_minute)
                for person_id, found in sets.items()}
