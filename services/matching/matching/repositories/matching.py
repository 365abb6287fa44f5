"""Matching's own records: runs and their proposed pairs, matches, and requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from mentoring_shared.db.bulk import insert_many
from mentoring_shared.db.records import RecordMapping

from matching import orm
from matching.domain.matches import Match
from matching.domain.requests import OPEN, MatchRequest
from matching.domain.runs import MatchingRun

_MATCHES = RecordMapping(Match, "match_id", sequences=("factors", "health_reasons"))
_REQUESTS = RecordMapping(MatchRequest, "request_id", sequences=("factors",))
_RUNS = RecordMapping(MatchingRun, "run_id")


class MatchingRecords:
    def __init__(self, session: Session):
        self._session = session

    # --- runs ---
    def add_run(self, run: MatchingRun, pairs: list[dict[str, Any]]) -> None:
        self._session.execute(insert(orm.matching_runs), [_RUNS.row(run)])
        insert_many(self._session, orm.run_pairs, [{"run_id": run.id, "tenant_id": run.tenant_id, **pair}
                                                   for pair in pairs])

    def save_run(self, run: MatchingRun) -> None:
        self._session.execute(update(orm.matching_runs).where(orm.matching_runs.c.run_id == run.id)
                              .values(status=run.status, approved_by=run.approved_by, approved_at=run.approved_at))

    def supersede_proposals(self, tenant_id: str, cohort_id: str) -> None:
        table = orm.matching_runs
        self._session.execute(update(table).where(table.c.tenant_id == tenant_id, table.c.cohort_id == cohort_id,
                                                  table.c.status == "proposed").values(status="superseded"))

    def run(self, tenant_id: str, run_id: str, for_update: bool = False) -> MatchingRun | None:
        query = select(orm.matching_runs).where(orm.matching_runs.c.tenant_id == tenant_id,
                                                orm.matching_runs.c.run_id == run_id)
        row = self._session.execute(query.with_for_update() if for_update else query).mappings().first()
        return None if row is None else _RUNS.record(row)

    def runs(self, tenant_id: str, cohort_id: str, limit: int, after: str | None) -> list[MatchingRun]:
        table = orm.matching_runs
        query = select(table).where(table.c.tenant_id == tenant_id, table.c.cohort_id == cohort_id)
        if after:
            query = query.where(table.c.run_id > after)
        return [_RUNS.record(row) for row in self._session.execute(query.order_by(table.c.run_id).limit(limit)).mappings()]

    def run_pairs(self, run_id: str) -> list[dict]:
        table = orm.run_pairs
        rows = self._session.execute(select(table).where(table.c.run_id == run_id)
                                     .order_by(table.c.mentee_id, table.c.mentor_id)).mappings()
        return [dict(row) for row in rows]

    def run_mentees(self, run_id: str, limit: int, after: str | None) -> list[str]:
        """Mentees of a run's proposal in id order: its pairs page by mentee."""
        table = orm.run_pairs
        query = select(table.c.mentee_id).distinct().where(table.c.run_id == run_id)
        if after:
            query = query.where(table.c.mentee_id > after)
        return list(self._session.execute(query.order_by(table.c.mentee_id).limit(limit)).scalars())

    def run_pairs_of(self, run_id: str, mentee_ids: list[str]) -> list[dict]:
        table = orm.run_pairs
        rows = self._session.execute(select(table).where(table.c.run_id == run_id, table.c.mentee_id.in_(mentee_ids))
                                     .order_by(table.c.mentee_id, table.c.mentor_id)).mappings()
        return [dict(row) for row in rows]

    # --- matches ---
    def add_matches(self, matches: list[Match]) -> None:
        insert_many(self._session, orm.matches, [_MATCHES.row(match) for match in matches])

    def save_match(self, match: Match) -> None:
        row = _MATCHES.row(match)
        self._session.execute(update(orm.matches).where(orm.matches.c.match_id == match.id).values(**row))

    def match(self, tenant_id: str, match_id: str, for_update: bool = False) -> Match | None:
        query = select(orm.matches).where(orm.matches.c.tenant_id == tenant_id, orm.matches.c.match_id == match_id)
        row = self._session.execute(query.with_for_update() if for_update else query).mappings().first()
        return None if row is None else _MATCHES.record(row)

    def matches(self, tenant_id: str, *, limit: int, after: str | None = None, cohort_id: str | None = None,
                person_id: str | None = None, status: str | None = None, health: str | None = None) -> list[Match]:
        table = orm.matches
        query = select(table).where(table.c.tenant_id == tenant_id)
        if health:
            query = query.where(table.c.health == health)
        if cohort_id:
            query = query.where(table.c.cohort_id == cohort_id)
        if person_id:
            query = query.where((table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
        if status:
            query = query.where(table.c.status == status)
        if after:
            query = query.where(table.c.match_id > after)
        rows = self._session.execute(query.order_by(table.c.match_id).limit(limit)).mappings()
        return [_MATCHES.record(row) for row in rows]

    def record_health(self, tenant_id: str, match_id: str, health: str, reasons: list[dict[str, str]],
                      evaluated_at: datetime, version: int | None = None) -> bool:
        """Feedback's verdict on an active match, unless a later one is already recorded; False if not applied.
        Later means a higher version; a verdict without one (sent before feedback versioned them, so
        older than any with one) is later only by its evaluation time."""
        table = orm.matches
        if version is None:
            newer = (table.c.health_version == 0) & ((table.c.health_evaluated_at.is_(None))
                                                     | (table.c.health_evaluated_at < evaluated_at))
        else:
            newer = table.c.health_version < version
        applied = self._session.execute(update(table).where(
            table.c.tenant_id == tenant_id, table.c.match_id == match_id, table.c.status == "active", newer)
            .values(health=health, health_reasons=reasons, health_evaluated_at=evaluated_at,
                    health_version=version or 0))
        return applied.rowcount == 1

    def matches_of(self, tenant_id: str, person_id: str, *, active_only: bool, for_update: bool = False) -> list[Match]:
        table = orm.matches
        query = select(table).where(table.c.tenant_id == tenant_id,
                                    (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
        if active_only:
            query = query.where(table.c.status == "active")
        query = query.order_by(table.c.match_id)
        return [_MATCHES.record(row) for row in self._session.execute(query.with_for_update() if for_update else query).mappings()]

    def pairings(self, tenant_id: str) -> list[tuple[str, str, str, str]]:
        """(mentee, mentor, status, cohort) of every match in the tenant: previous pairs and load."""
        table = orm.matches
        return [tuple(row) for row in self._session.execute(
            select(table.c.mentee_id, table.c.mentor_id, table.c.status, table.c.cohort_id)
            .where(table.c.tenant_id == tenant_id).order_by(table.c.match_id))]

    # --- requests ---
    def add_request(self, request: MatchRequest) -> None:
        self._session.execute(insert(orm.match_requests), [_REQUESTS.row(request)])

    def save_request(self, request: MatchRequest) -> None:
        row = _REQUESTS.row(request)
        self._session.execute(update(orm.match_requests).where(orm.match_requests.c.request_id == request.id)
                              .values(**row))

    def request(self, tenant_id: str, request_id: str, for_update: bool = False) -> MatchRequest | None:
        table = orm.match_requests
        query = select(table).where(table.c.tenant_id == tenant_id, table.c.request_id == request_id)
        row = self._session.execute(query.with_for_update() if for_update else query).mappings().first()
        return None if row is None else _REQUESTS.record(row)

    def requests(self, tenant_id: str, *, limit: int, after: str | None = None, cohort_id: str | None = None,
                 person_id: str | None = None) -> list[MatchRequest]:
        table = orm.match_requests
        query = select(table).where(table.c.tenant_id == tenant_id)
        if cohort_id:
            query = query.where(table.c.cohort_id == cohort_id)
        if person_id:
            query = query.where((table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
        if after:
            query = query.where(table.c.request_id > after)
        query = query.order_by(table.c.request_id).limit(limit)
        return [_REQUESTS.record(row) for row in self._session.execute(query).mappings()]

    def open_requests_of(self, tenant_id: str, person_id: str, now: datetime) -> list[MatchRequest]:
        table = orm.match_requests
        rows = self._session.execute(select(table).where(
            table.c.tenant_id == tenant_id, table.c.status == OPEN,
            (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
            .order_by(table.c.request_id)).mappings()
        return [request for request in map(_REQUESTS.record, rows) if request.is_open(now)]

    def requests_involving(self, tenant_id: str, person_id: str) -> list[MatchRequest]:
        """Every request the person made or received, whatever became of it."""
        table = orm.match_requests
        rows = self._session.execute(select(table).where(
            table.c.tenant_id == tenant_id, (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
            .order_by(table.c.request_id)).mappings()
        return [_REQUESTS.record(row) for row in rows]

    def run_pairs_naming(self, tenant_id: str, person_id: str) -> list[dict]:
        """Every proposed pair of every run that names the person, with its score and explanation."""
        table = orm.run_pairs
        rows = self._session.execute(select(table).where(
            table.c.tenant_id == tenant_id, (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
            .order_by(table.c.run_id, table.c.mentee_id, table.c.mentor_id)).mappings()
        return [dict(row) for row in rows]

    # --- erasure ---
    def scrub_explanations(self, tenant_id: str, person_id: str) -> None:
        """Explanations name skills, departments and goals: drop their details where the person took part."""
        for table in (orm.matches, orm.match_requests):
            rows = self._session.execute(select(table).where(
                table.c.tenant_id == tenant_id,
                (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))).mappings().all()
            key = table.primary_key.columns.values()[0]
            for row in rows:
                self._session.execute(update(table).where(key == row[key.name])
                                      .values(factors=_scrubbed(row["factors"])))
        pairs = orm.run_pairs
        rows = self._session.execute(select(pairs).where(
            pairs.c.tenant_id == tenant_id,
            (pairs.c.mentee_id == person_id) | (pairs.c.mentor_id == person_id))).mappings().all()
        for row in rows:
            self._session.execute(update(pairs).where(
                pairs.c.run_id == row["run_id"], pairs.c.mentee_id == row["mentee_id"],
                pairs.c.mentor_id == row["mentor_id"]).values(factors=_scrubbed(row["factors"])))


def _scrubbed(factors: Iterable[dict]) -> list[dict]:
    return [{**factor, "detail": "erased"} for factor in factors]
