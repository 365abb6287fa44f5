"""Pair health over time: a worker chore gathers every active pair's facts (sessions held and
called off, ratings, unanswered requests), evaluates its program's rules, stores each pair's status
and reasons, and publishes pair-at-risk and pair-recovered when a pair crosses that line."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime

import mentoring_shared.contracts.feedback as contracts
from feedback import metrics
from feedback.health import HealthRules, InvalidRule, PairFactsTable, evaluate, transitions
from feedback.health.evaluate import Status
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

# the rules of a program that overrides none of them
DEFAULT_RULES = HealthRules()


class PairHealthClock:
    def __init__(self, runtime: ServiceRuntime[FeedbackUnitOfWork], defaults: HealthRules = DEFAULT_RULES):
        self._runtime = runtime
        self._defaults = defaults

    def tick(self, now: datetime) -> dict[str, int]:
        """Evaluate every active pair of every tenant; returns how many pairs are in each status."""
        with self._runtime.unit_of_work() as uow:
            pairs = uow.pairs.active_pairs_for_update()
            groups = self._by_rules(uow.programs.all_health_overrides(), pairs)
            results, became_at_risk, recovered = [], [], []
            for rules, group in groups.items():
                judged = evaluate(PairFactsTable.from_rows(uow.pairs.health_facts(group, rules, now)), rules, now)
                worse, better = transitions({pair["match_id"]: pair["health"] for pair in group}, judged)
                results += judged
                became_at_risk += worse
                recovered += better
            by_id = {pair["match_id"]: pair for pair in pairs}
            uow.pairs.save_health_verdicts([
                {"match_id": health.match_id, "health": str(health.status), "health_reasons": _reasons(health)}
                for health in results if health.status != by_id[health.match_id]["health"]
                or by_id[health.match_id]["health_evaluated_at"] is None], now)
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


def _reasons(health) -> list[dict[str, str]]:
    return [{"code": reason.code, "text": reason.text} for reason in health.reasons]


def _event(event_type: str, pair, now: datetime, **extra) -> DomainEvent:
    """A verdict change; `pair` is the row as it was before it, so the new health version is one more
    (a clock cannot order verdicts: ticks of two workers may commit in either order)."""
    return DomainEvent(event_type, pair["tenant_id"], pair["match_id"], {
        "match_id": pair["match_id"], "version": pair["health_version"] + 1,
        "cohort_id": pair["cohort_id"], "program_id": pair["program_id"],
        "mentee_id": pair["mentee_id"], "mentor_id": pair["mentor_id"], "evaluated_at": now.isoformat(), **extra})
