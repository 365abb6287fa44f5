"""Mentees' requests to mentors and rematch proposals (`uow.match_requests`)."""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from matching import orm
from matching.domain.requests import OPEN, MatchRequest
from matching.repositories.scrubbing import scrub_pairs_naming
from mentoring_shared.db.records import RecordMapping, page_query, row_by_key

_REQUESTS = RecordMapping(MatchRequest, "request_id", sequences=("factors",))


class MatchRequestsRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, request: MatchRequest) -> None:
        self._session.execute(insert(orm.match_requests), [_REQUESTS.row(request)])

    def save(self, request: MatchRequest) -> None:
        row = _REQUESTS.row(request)
        self._session.execute(update(orm.match_requests).where(orm.match_requests.c.request_id == request.id)
                              .values(**row))

    def get(self, tenant_id: str, request_id: str, for_update: bool = False) -> MatchRequest | None:
        row = row_by_key(self._session, orm.match_requests, for_update, tenant_id=tenant_id, request_id=request_id)
        return None if row is None else _REQUESTS.record(row)

    def list(self, tenant_id: str, *, limit: int, after: str | None = None, cohort_id: str | None = None,
             person_id: str | None = None) -> list[MatchRequest]:
        """A page of the tenant's requests in id order, filtered."""
        query = page_query(orm.match_requests, "request_id", tenant_id, limit=limit, after=after,
                           involving=person_id, cohort_id=cohort_id)
        return [_REQUESTS.record(row) for row in self._session.execute(query).mappings()]

    # From here on `list` in an annotation names the method above: the builtin is `builtins.list`.

    def open_of(self, tenant_id: str, person_id: str, now: datetime) -> builtins.list[MatchRequest]:
        """The person's requests (made or received) still waiting for an answer at `now`."""
        table = orm.match_requests
        rows = self._session.execute(select(table).where(
            table.c.tenant_id == tenant_id, table.c.status == OPEN,
            (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
            .order_by(table.c.request_id)).mappings()
        return [request for request in map(_REQUESTS.record, rows) if request.is_open(now)]

    def involving(self, tenant_id: str, person_id: str) -> builtins.list[MatchRequest]:
        """Every request the person made or received, whatever became of it."""
        table = orm.match_requests
        rows = self._session.execute(select(table).where(
            table.c.tenant_id == tenant_id, (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
            .order_by(table.c.request_id)).mappings()
        return [_REQUESTS.record(row) for row in rows]

    def scrub_explanations(self, tenant_id: str, person_id: str) -> None:
        """Explanations name skills, departments and goals: drop their details where the person took part."""
        scrub_pairs_naming(self._session, orm.match_requests, tenant_id, person_id)
