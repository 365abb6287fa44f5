"""Matching runs and the pairs each proposes (`uow.runs`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from matching import orm
from matching.domain.runs import MatchingRun
from matching.repositories.scrubbing import scrubbed
from mentoring_shared.db.bulk import insert_many
from mentoring_shared.db.records import RecordMapping, page_query, row_by_key

_RUNS = RecordMapping(MatchingRun, "run_id")


class RunsRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, run: MatchingRun, pairs: list[dict[str, Any]]) -> None:
        """A run and its proposed pairs (mentee_id, mentor_id, score, pinned, factors)."""
        self._session.execute(insert(orm.matching_runs), [_RUNS.row(run)])
        insert_many(self._session, orm.run_pairs, [{"run_id": run.id, "tenant_id": run.tenant_id, **pair}
                                                   for pair in pairs])

    def save(self, run: MatchingRun) -> None:
        self._session.execute(update(orm.matching_runs).where(orm.matching_runs.c.run_id == run.id)
                              .values(status=run.status, approved_by=run.approved_by, approved_at=run.approved_at))

    def supersede_proposals(self, tenant_id: str, cohort_id: str) -> None:
        """The cohort's proposals still waiting for approval give way to a newer run."""
        table = orm.matching_runs
        self._session.execute(update(table).where(table.c.tenant_id == tenant_id, table.c.cohort_id == cohort_id,
                                                  table.c.status == "proposed").values(status="superseded"))

    def get(self, tenant_id: str, run_id: str, for_update: bool = False) -> MatchingRun | None:
        row = row_by_key(self._session, orm.matching_runs, for_update, tenant_id=tenant_id, run_id=run_id)
        return None if row is None else _RUNS.record(row)

    def of_cohort(self, tenant_id: str, cohort_id: str, limit: int, after: str | None) -> list[MatchingRun]:
        query = page_query(orm.matching_runs, "run_id", tenant_id, limit=limit, after=after, cohort_id=cohort_id)
        return [_RUNS.record(row) for row in self._session.execute(query).mappings()]

    def pairs(self, run_id: str) -> list[dict]:
        """Every pair the run proposes, by mentee then mentor."""
        table = orm.run_pairs
        rows = self._session.execute(select(table).where(table.c.run_id == run_id)
                                     .order_by(table.c.mentee_id, table.c.mentor_id)).mappings()
        return [dict(row) for row in rows]

    def mentees(self, run_id: str, limit: int, after: str | None) -> list[str]:
        """Mentees of a run's proposal in id order: its pairs page by mentee."""
        table = orm.run_pairs
        query = select(table.c.mentee_id).distinct().where(table.c.run_id == run_id)
        if after:
            query = query.where(table.c.mentee_id > after)
        return list(self._session.execute(query.order_by(table.c.mentee_id).limit(limit)).scalars())

    def pairs_of_mentees(self, run_id: str, mentee_ids: list[str]) -> list[dict]:
        table = orm.run_pairs
        rows = self._session.execute(select(table).where(table.c.run_id == run_id, table.c.mentee_id.in_(mentee_ids))
                                     .order_by(table.c.mentee_id, table.c.mentor_id)).mappings()
        return [dict(row) for row in rows]

    def pairs_naming(self, tenant_id: str, person_id: str) -> list[dict]:
        """Every proposed pair of every run that names the person, with its score and explanation."""
        table = orm.run_pairs
        rows = self._session.execute(select(table).where(
            table.c.tenant_id == tenant_id, (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
            .order_by(table.c.run_id, table.c.mentee_id, table.c.mentor_id)).mappings()
        return [dict(row) for row in rows]

    def scrub_explanations(self, tenant_id: str, person_id: str) -> None:
        """Explanations name skills, departments and goals: drop their details in pairs naming the person."""
        pairs = orm.run_pairs
        rows = self._session.execute(select(pairs).where(
            pairs.c.tenant_id == tenant_id,
            (pairs.c.mentee_id == person_id) | (pairs.c.mentor_id == person_id))).mappings().all()
        for row in rows:
            self._session.execute(update(pairs).where(
                pairs.c.run_id == row["run_id"], pairs.c.mentee_id == row["mentee_id"],
                pairs.c.mentor_id == row["mentor_id"]).values(factors=scrubbed(row["factors"])))
