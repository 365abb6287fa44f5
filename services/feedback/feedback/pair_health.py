"""Pair health over time: a worker chore gathers every active pair's facts (sessions held and
called off, ratings, unanswered requests), evaluates its program's rules, stores each pair's status
and reasons, and publishes pair-at-risk and pair-recovered when a pair crosses that line."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update

from mentoring_shared.contracts import feedback as contracts
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.runtime import ServiceRuntime

from feedback import metrics, orm
from feedback.health import HealthRules, InvalidRule, PairFacts, PairFactsTable, evaluate, transitions
from feedback.health.evaluate import Status
from feedback.health.facts import RATINGS_KEPT
from feedback.repositories.pairs import Pairs

log = logging.getLogger(__name__)


class PairHealthClock:
    def __init__(self, runtime: ServiceRuntime, defaults: HealthRules = HealthRules()):
        self._runtime = runtime
        self._defaults = defaults

    def tick(self, now: datetime) -> dict[str, int]:
        """Evaluate every active pair of every tenant; returns how many pairs are in each status."""
        with self._runtime.unit_of_work() as uow:
            db = uow.session
            pairs = db.execute(select(orm.pairs).where(orm.pairs.c.status == "active")
                               .order_by(orm.pairs.c.match_id).with_for_update()).mappings().all()
            groups = self._by_rules(Pairs(db).all_health_overrides(), pairs)
            results, became_at_risk, recovered = [], [], []
            for rules, group in groups.items():
                facts = self._facts(db, group, rules, now)
                judged = evaluate(PairFactsTable.from_rows(facts), rules, now)
                worse, better = transitions({pair["match_id"]: pair["health"] for pair in group}, judged)
                results += judged
                became_at_risk += worse
                recovered += better
            by_id = {pair["match_id"]: pair for pair in pairs}
            changed = [{"changed_id": health.match_id, "new_health": str(health.status),
                        "new_reasons": _reasons(health)} for health in results
                       if health.status != by_id[health.match_id]["health"]
                       or by_id[health.match_id]["health_evaluated_at"] is None]
            if changed:  # one statement, many parameter sets: a round that changes every verdict stays fast
                db.execute(update(orm.pairs).where(orm.pairs.c.match_id == bindparam("changed_id")).values(
                    health=bindparam("new_health"), health_reasons=bindparam("new_reasons"),
                    health_evaluated_at=now, health_version=orm.pairs.c.health_version + 1), changed)
            uow.publish([_event(contracts.PAIR_AT_RISK_V1, by_id[h.match_id], now, reasons=_reasons(h))
                         for h in became_at_risk] +
                        [_event(contracts.PAIR_RECOVERED_V1, by_id[h.match_id], now, status=str(h.status))
                         for h in recovered])
            uow.commit()
        counts = Counter(str(health.status) for health in results)
        for status in Status:
            metrics.PAIRS_BY_HEALTH.labels(str(status)).set(counts.get(str(status), 0))
        metrics.PAIRS_BECAME_AT_RISK.inc(len(became_at_risk))
        return dict(counts)

    def _by_rules(self, overrides: dict, pairs) -> dict[HealthRules, list]:
        """Pairs grouped by the rules of their program: most programs keep the defaults, so usually one group."""
        rules_of: dict[tuple[str, str], HealthRules] = {}
        groups: dict[HealthRules, list] = defaultdict(list)
        for pair in pairs:
            key = (pair["tenant_id"], pair["program_id"])
            if key not in rules_of:
                try:
                    rules_of[key] = HealthRules.from_mapping(overrides.get(key, {}), base=self._defaults)
                except InvalidRule:  # checked when set; a setting retired since then falls back to the defaults
                    log.exception("program %s of tenant %s has unusable health rules; using the defaults", *key[::-1])
                    rules_of[key] = self._defaults
            groups[rules_of[key]].append(pair)
        return groups

    def _facts(self, db, pairs, rules: HealthRules, now: datetime) -> list[PairFacts]:
        sessions, requests, feedback = orm.sessions, orm.feedback_requests, orm.feedback
        active = select(orm.pairs.c.match_id).where(orm.pairs.c.status == "active")
        window_start = now - timedelta(days=rules.cancellations_window_days)
        last_held = dict(db.execute(select(sessions.c.match_id, func.max(sessions.c.starts_at)).where(
            sessions.c.status == "completed", sessions.c.match_id.in_(active)).group_by(sessions.c.match_id)).all())
        called_off = dict(db.execute(select(sessions.c.match_id, func.count()).where(
            sessions.c.status.in_(("cancelled", "no_show")), sessions.c.starts_at >= window_start,
            sessions.c.match_id.in_(active)).group_by(sessions.c.match_id)).all())
        unanswered = dict(db.execute(select(requests.c.match_id, func.count()).where(
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


def _reasons(health) -> list[dict[str, str]]:
    return [{"code": reason.code, "text": reason.text} for reason in health.reasons]


def _event(event_type: str, pair, now: datetime, **extra) -> DomainEvent:
    """A verdict change; `pair` is the row as it was before it, so the new health version is one more
    (a clock cannot order verdicts: ticks of two workers may commit in either order)."""
    return DomainEvent(event_type, pair["tenant_id"], pair["match_id"], {
        "match_id": pair["match_id"], "version": pair["health_version"] + 1,
        "cohort_id": pair["cohort_id"], "program_id": pair["program_id"],
        "mentee_id": pair["mentee_id"], "mentor_id": pair["mentor_id"], "evaluated_at": now.isoformat(), **extra})
