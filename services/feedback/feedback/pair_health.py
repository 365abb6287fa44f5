"""Pair health over time: a worker chore gathers every active pair's facts (sessions held and
called off, ratings, unanswered requests), evaluates the rules, stores each pair's status and
reasons, and publishes pair-at-risk and pair-recovered when a pair crosses that line."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from mentoring_shared.contracts import feedback as contracts
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.runtime import ServiceRuntime

from feedback import orm
from feedback.health import HealthRules, PairFacts, PairFactsTable, evaluate, transitions

log = logging.getLogger(__name__)


class PairHealthClock:
    def __init__(self, runtime: ServiceRuntime, rules: HealthRules = HealthRules(), every_s: float = 300.0):
        self._runtime = runtime
        self._rules = rules
        self._every_s = every_s

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.evaluate_all(datetime.now(timezone.utc))
            except Exception:  # a database away: try again at the next round
                log.exception("pair health evaluation failed")
            stop.wait(self._every_s)

    def evaluate_all(self, now: datetime) -> dict[str, int]:
        """Evaluate every active pair of every tenant; returns how many pairs are in each status."""
        with self._runtime.unit_of_work() as uow:
            db = uow.session
            pairs = db.execute(select(orm.pairs).where(orm.pairs.c.status == "active")
                               .order_by(orm.pairs.c.match_id).with_for_update()).mappings().all()
            if not pairs:
                return {}
            facts = self._facts(db, pairs, now)
            results = evaluate(PairFactsTable.from_rows(facts), self._rules, now)
            previous = {pair["match_id"]: pair["health"] for pair in pairs}
            became_at_risk, recovered = transitions(previous, results)
            by_id = {pair["match_id"]: pair for pair in pairs}
            for health in results:
                if health.status != previous[health.match_id] or by_id[health.match_id]["health_evaluated_at"] is None:
                    db.execute(update(orm.pairs).where(orm.pairs.c.match_id == health.match_id).values(
                        health=str(health.status), health_reasons=_reasons(health), health_evaluated_at=now))
            uow.publish([_event(contracts.PAIR_AT_RISK_V1, by_id[h.match_id], now, reasons=_reasons(h))
                         for h in became_at_risk] +
                        [_event(contracts.PAIR_RECOVERED_V1, by_id[h.match_id], now, status=str(h.status))
                         for h in recovered])
            uow.commit()
        counts: dict[str, int] = defaultdict(int)
        for health in results:
            counts[str(health.status)] += 1
        return dict(counts)

    def _facts(self, db, pairs, now: datetime) -> list[PairFacts]:
        sessions, requests, feedback = orm.sessions, orm.feedback_requests, orm.feedback
        window_start = now - timedelta(days=self._rules.cancellations_window_days)
        last_held = dict(db.execute(select(sessions.c.match_id, func.max(sessions.c.starts_at)).where(
            sessions.c.status == "completed").group_by(sessions.c.match_id)).all())
        called_off = dict(db.execute(select(sessions.c.match_id, func.count()).where(
            sessions.c.status.in_(("cancelled", "no_show")), sessions.c.starts_at >= window_start)
            .group_by(sessions.c.match_id)).all())
        unanswered = dict(db.execute(select(requests.c.match_id, func.count()).where(
            requests.c.status == "open",
            requests.c.created_at <= now - timedelta(days=self._rules.unanswered_feedback_days))
            .group_by(requests.c.match_id)).all())
        ratings: dict[str, list[int]] = defaultdict(list)
        for match_id, rating in db.execute(select(feedback.c.match_id, feedback.c.rating).where(
                feedback.c.rating.is_not(None)).order_by(feedback.c.match_id, feedback.c.submitted_at)):
            ratings[match_id].append(rating)
        return [PairFacts(match_id=pair["match_id"], confirmed_at=pair["confirmed_at"],
                          last_completed_session_at=last_held.get(pair["match_id"]),
                          cancellations_in_window=called_off.get(pair["match_id"], 0),
                          recent_ratings=tuple(ratings.get(pair["match_id"], ())[-10:]),
                          unanswered_feedback_requests=unanswered.get(pair["match_id"], 0)) for pair in pairs]


def _reasons(health) -> list[dict[str, str]]:
    return [{"code": reason.code, "text": reason.text} for reason in health.reasons]


def _event(event_type: str, pair, now: datetime, **extra) -> DomainEvent:
    return DomainEvent(event_type, pair["tenant_id"], pair["match_id"], {
        "match_id": pair["match_id"], "cohort_id": pair["cohort_id"], "program_id": pair["program_id"],
        "mentee_id": pair["mentee_id"], "mentor_id": pair["mentor_id"], "evaluated_at": now.isoformat(), **extra})
