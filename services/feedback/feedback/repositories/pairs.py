"""Feedback's copy of the pairs (from matching's events), with their health: what the pair-health
chore reads to judge them (the facts of every active pair) and the verdicts it stores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import RowMapping, bindparam, func, select, update
from sqlalchemy.orm import Session as DbSession

from feedback import orm
from feedback.domain.goals import Pair
from feedback.health import HealthRules, PairFacts
from feedback.health.facts import RATINGS_KEPT
from mentoring_shared.db.dialects import dialect_insert
from mentoring_shared.db.records import page_query

_PAIR_FIELDS = ("match_id", "tenant_id", "cohort_id", "program_id", "mentee_id", "mentor_id", "status")


def _by_name(rows: Sequence[RowMapping]) -> Sequence[Mapping[str, Any]]:
    """The rows as their readers (and the unit tests' fake) see them: looked up by column name. A
    RowMapping also takes Column keys, so it types as Mapping[str | Column, Any], which the invariant
    key of Mapping will not pass as Mapping[str, Any]; the cast only says so (the rows pass through)."""
    return cast(Sequence[Mapping[str, Any]], rows)


class PairsRepository:
    def __init__(self, db: DbSession):
        self._db = db

    def pair(self, tenant_id: str, match_id: str) -> Pair | None:
        table = orm.pairs
        row = self._db.execute(select(*(table.c[name] for name in _PAIR_FIELDS)).where(
            table.c.tenant_id == tenant_id, table.c.match_id == match_id)).mappings().first()
        return None if row is None else Pair(**row)

    def pair_with_health(self, tenant_id: str, match_id: str) -> dict[str, Any] | None:
        table = orm.pairs
        row = self._db.execute(select(table).where(table.c.tenant_id == tenant_id, table.c.match_id == match_id)
                               ).mappings().first()
        return None if row is None else dict(row)

    def pairs_of_person(self, tenant_id: str, person_id: str) -> list[dict[str, Any]]:
        """The pairs the person is mentor or mentee in, with their health."""
        table = orm.pairs
        rows = self._db.execute(select(table).where(
            table.c.tenant_id == tenant_id, (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
            .order_by(table.c.confirmed_at, table.c.match_id)).mappings()
        return [dict(row) for row in rows]

    # --- from matching's events: each write holds the match's version, so an older event is ignored ---
    def add_confirmed(self, tenant_id: str, match: dict[str, Any]) -> bool:
        """A confirmed match becomes an active pair, unless the pair is known already (this
        confirmation again, or its end, which arrived first). True if added."""
        return self._add_if_absent({
            **self._pair_of(tenant_id, match), "status": "active", "confirmed_at": match["confirmed_at"],
            "match_version": match["version"]})

    def record_end(self, tenant_id: str, match: dict[str, Any]) -> bool:
        """The match ended: so does the pair, unless it already holds this end (or a later state of
        the match). A pair not known yet is kept as ended, so that its late confirmation is ignored:
        known only from its end, it was confirmed and ended at once. True if the end is news."""
        table = orm.pairs
        ended = {"status": "ended", "ended_at": match["ended_at"], "end_reason": match["reason"],
                 "match_version": match["version"]}
        updated = self._db.execute(update(table).where(
            table.c.tenant_id == tenant_id, table.c.match_id == match["match_id"],
            table.c.match_version < match["version"]).values(**ended).returning(table.c.match_id))
        if updated.first() is not None:
            return True
        return self._add_if_absent({**self._pair_of(tenant_id, match), "confirmed_at": match["ended_at"], **ended})

    def _add_if_absent(self, row: dict[str, Any]) -> bool:
        added = self._db.execute(dialect_insert(self._db, orm.pairs).values(
            health="on_track", health_reasons=[], **row).on_conflict_do_nothing(index_elements=["match_id"])
            .returning(orm.pairs.c.match_id))
        return added.first() is not None

    @staticmethod
    def _pair_of(tenant_id: str, match: dict[str, Any]) -> dict[str, Any]:
        return {"match_id": match["match_id"], "tenant_id": tenant_id, "cohort_id": match["cohort_id"],
                "program_id": match["program_id"], "mentee_id": match["mentee_id"], "mentor_id": match["mentor_id"]}

    def pairs_of_cohort(self, tenant_id: str, cohort_id: str, *, limit: int, after: str | None,
                        health: str | None, status: str | None) -> list[dict[str, Any]]:
        """Each pair with its latest health verdict and the reasons, in match id order."""
        query = page_query(orm.pairs, "match_id", tenant_id, limit=limit, after=after, cohort_id=cohort_id,
                           health=health, status=status)
        return [dict(row) for row in self._db.execute(query).mappings()]

    # --- the pair-health and pulse-survey chores: every active pair, locked while it is judged or asked ---
    def active_pairs_for_update(self) -> Sequence[Mapping[str, Any]]:
        """Every active pair of every tenant, in match id order, locked until the transaction ends."""
        return _by_name(self._db.execute(select(orm.pairs).where(orm.pairs.c.status == "active")
                                         .order_by(orm.pairs.c.match_id).with_for_update()).mappings().all())

    def active_pairs_with_pulse_schedule_for_update(self) -> Sequence[Mapping[str, Any]]:
        """Every active pair with its program's pulse schedule (`pulse_first_after_days`,
        `pulse_every_days`), in match id order, the pairs locked until the transaction ends."""
        pairs, programs = orm.pairs, orm.programs
        return _by_name(self._db.execute(
            select(pairs, programs.c.pulse_first_after_days, programs.c.pulse_every_days)
            .join(programs, (programs.c.tenant_id == pairs.c.tenant_id)
                  & (programs.c.program_id == pairs.c.program_id))
            .where(pairs.c.status == "active").order_by(pairs.c.match_id).with_for_update(of=pairs)).mappings().all())

    def health_facts(self, pairs: Sequence[Mapping[str, Any]], rules: HealthRules, now: datetime) -> list[PairFacts]:
        """What the rules look at for each of these active pairs: its last completed session, sessions
        called off within the rules' window, its latest ratings and its requests left unanswered."""
        sessions, requests, feedback = orm.sessions, orm.feedback_requests, orm.feedback
        db = self._db
        active = select(orm.pairs.c.match_id).where(orm.pairs.c.status == "active")
        window_start = now - timedelta(days=rules.cancellations_window_days)
        last_held = dict(db.execute(select(sessions.c.match_id, func.max(sessions.c.starts_at)).where(
            sessions.c.status == "completed", sessions.c.match_id.in_(active)).group_by(sessions.c.match_id)).all())
        called_off: dict[str, int] = dict(db.execute(select(sessions.c.match_id, func.count()).where(
            sessions.c.status.in_(("cancelled", "no_show")), sessions.c.starts_at >= window_start,
            sessions.c.match_id.in_(active)).group_by(sessions.c.match_id)).all())
        unanswered: dict[str, int] = dict(db.execute(select(requests.c.match_id, func.count()).where(
            requests.c.status == "open", requests.c.match_id.in_(active),
            requests.c.created_at <= now - timedelta(days=rules.unanswered_feedback_days))
            .group_by(requests.c.match_id)).all())
        # only each pair's last ratings (the rules read at most the latest few), oldest first
        newest_first = func.row_number().over(partition_by=feedback.c.match_id,
                                              order_by=feedback.c.submitted_at.desc()).label("newest_first")
        recent = select(feedback.c.match_id, feedback.c.rating, feedback.c.submitted_at, newest_first).where(
            feedback.c.rating.is_not(None), feedback.c.match_id.in_(active)).subquery()
        ratings: dict[str, list[int]] = defaultdict(list)
        for match_id, rating in db.execute(select(recent.c.match_id, recent.c.rating).where(
                recent.c.newest_first <= RATINGS_KEPT).order_by(recent.c.match_id, recent.c.submitted_at)):
            ratings[match_id].append(rating)
        return [PairFacts(match_id=pair["match_id"], confirmed_at=pair["confirmed_at"],
                          last_completed_session_at=last_held.get(pair["match_id"]),
                          cancellations_in_window=called_off.get(pair["match_id"], 0),
                          recent_ratings=tuple(ratings.get(pair["match_id"], ())),
                          unanswered_feedback_requests=unanswered.get(pair["match_id"], 0)) for pair in pairs]

    def save_health_verdicts(self, verdicts: list[dict[str, Any]], now: datetime) -> None:
        """Store new verdicts, each `{"match_id", "health", "health_reasons"}`, evaluated at `now`; each
        stored verdict takes the pair's next health version."""
        if not verdicts:
            return
        # one statement, many parameter sets: a round that changes every verdict stays fast
        self._db.execute(update(orm.pairs).where(orm.pairs.c.match_id == bindparam("changed_id")).values(
            health=bindparam("new_health"), health_reasons=bindparam("new_reasons"),
            health_evaluated_at=now, health_version=orm.pairs.c.health_version + 1),
            [{"changed_id": verdict["match_id"], "new_health": verdict["health"],
              "new_reasons": verdict["health_reasons"]} for verdict in verdicts])
