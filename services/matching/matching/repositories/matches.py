"""Matches: confirmed pairs, their end and their health (`uow.matches`)."""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from matching import orm
from matching.domain.matches import Match
from matching.repositories.scrubbing import scrub_pairs_naming
from mentoring_shared.db.bulk import insert_many
from mentoring_shared.db.engine import rows_affected
from mentoring_shared.db.records import RecordMapping, locked_if, page_query, row_by_key

_MATCHES = RecordMapping(Match, "match_id", sequences=("factors", "health_reasons"))


class MatchesRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, matches: list[Match]) -> None:
        insert_many(self._session, orm.matches, [_MATCHES.row(match) for match in matches])

    def save(self, match: Match) -> None:
        row = _MATCHES.row(match)
        self._session.execute(update(orm.matches).where(orm.matches.c.match_id == match.id).values(**row))

    def get(self, tenant_id: str, match_id: str, for_update: bool = False) -> Match | None:
        row = row_by_key(self._session, orm.matches, for_update, tenant_id=tenant_id, match_id=match_id)
        return None if row is None else _MATCHES.record(row)

    def list(self, tenant_id: str, *, limit: int, after: str | None = None, cohort_id: str | None = None,
             person_id: str | None = None, status: str | None = None, health: str | None = None) -> list[Match]:
        """A page of the tenant's matches in id order, filtered."""
        query = page_query(orm.matches, "match_id", tenant_id, limit=limit, after=after, involving=person_id,
                           health=health, cohort_id=cohort_id, status=status)
        rows = self._session.execute(query).mappings()
        return [_MATCHES.record(row) for row in rows]

    # From here on `list` in an annotation names the method above: the builtin is `builtins.list`.

    def active_in_cohort(self, tenant_id: str, cohort_id: str, for_update: bool = False) -> builtins.list[Match]:
        table = orm.matches
        query = (select(table).where(table.c.tenant_id == tenant_id, table.c.cohort_id == cohort_id,
                                     table.c.status == "active").order_by(table.c.match_id))
        rows = self._session.execute(locked_if(query, for_update)).mappings()
        return [_MATCHES.record(row) for row in rows]

    def of_person(self, tenant_id: str, person_id: str, *, active_only: bool,
                  for_update: bool = False) -> builtins.list[Match]:
        """The person's matches as mentee or mentor, in id order."""
        table = orm.matches
        query = select(table).where(table.c.tenant_id == tenant_id,
                                    (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
        if active_only:
            query = query.where(table.c.status == "active")
        query = query.order_by(table.c.match_id)
        rows = self._session.execute(locked_if(query, for_update)).mappings()
        return [_MATCHES.record(row) for row in rows]

    def pairings(self, tenant_id: str) -> builtins.list[tuple[str, str, str, str]]:
        """(mentee, mentor, status, cohort) of every match in the tenant: previous pairs and load."""
        table = orm.matches
        return [tuple(row) for row in self._session.execute(
            select(table.c.mentee_id, table.c.mentor_id, table.c.status, table.c.cohort_id)
            .where(table.c.tenant_id == tenant_id).order_by(table.c.match_id))]

    def count_active_mentored_by(self, tenant_id: str, mentor_id: str) -> int:
        """How many people the mentor mentors now, across all cohorts."""
        table = orm.matches
        return self._session.execute(select(func.count()).select_from(table).where(
            table.c.tenant_id == tenant_id, table.c.mentor_id == mentor_id,
            table.c.status == "active")).scalar_one()

    def count_active_mentors_of(self, tenant_id: str, cohort_id: str, mentee_id: str) -> int:
        """How many mentors the mentee has now in the cohort."""
        table = orm.matches
        return self._session.execute(select(func.count()).select_from(table).where(
            table.c.tenant_id == tenant_id, table.c.cohort_id == cohort_id,
            table.c.mentee_id == mentee_id, table.c.status == "active")).scalar_one()

    def record_health(self, tenant_id: str, match_id: str, health: str, reasons: builtins.list[dict[str, str]],
                      evaluated_at: datetime, version: int | None = None) -> bool:
        """Feedback's verdict on an active match, unless a later one is already recorded; False if not applied.
        Later means a higher version; a verdict without one (sent before feedback versioned them, so
        older than any with one) is later only by its evaluation time."""
        table = orm.matches
        newer: ColumnElement[bool]
        if version is None:
            newer = (table.c.health_version == 0) & ((table.c.health_evaluated_at.is_(None))
                                                     | (table.c.health_evaluated_at < evaluated_at))
        else:
            newer = table.c.health_version < version
        applied = self._session.execute(update(table).where(
            table.c.tenant_id == tenant_id, table.c.match_id == match_id, table.c.status == "active", newer)
            .values(health=health, health_reasons=reasons, health_evaluated_at=evaluated_at,
                    health_version=version or 0))
        return rows_affected(applied) == 1

    def scrub_explanations(self, tenant_id: str, person_id: str) -> None:
        """Explanations name skills, departments and goals: drop their details where the person took part."""
        scrub_pairs_naming(self._session, orm.matches, tenant_id, person_id)
