"""Judge every pair of a cohort at once: each rule gives a verdict per pair (on track, needs check-in,
at risk) over whole columns, and a pair's status is the worst of its verdicts, with a reason for
every rule it failed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import numpy as np

from feedback.health.facts import PairFactsTable, epoch_seconds
from feedback.health.rules import HealthRules

DAY_S = 86_400


class Status(StrEnum):
    ON_TRACK = "on_track"
    NEEDS_CHECK_IN = "needs_check_in"
    AT_RISK = "at_risk"


# Verdict codes, ordered so that the worst verdict is the largest.
SEVERITY = (Status.ON_TRACK, Status.NEEDS_CHECK_IN, Status.AT_RISK)


@dataclass(frozen=True)
class Reason:
    code: str  # no_session, cancellations, low_rating, unanswered_feedback
    text: str
    status: Status  # the verdict this rule gave on its own


@dataclass(frozen=True)
class PairHealth:
    match_id: str
    status: Status
    reasons: tuple[Reason, ...]


def _verdicts(values: np.ndarray, check_in: float, at_risk: float) -> np.ndarray:
    """0 below check_in, 1 from check_in, 2 from at_risk (rules guarantee check_in <= at_risk)."""
    return (values >= check_in).astype(np.int8) + (values >= at_risk).astype(np.int8)


def _judged_ratings(table: PairFactsTable, rules: HealthRules) -> tuple[np.ndarray, np.ndarray]:
    """The rating each pair is judged on (NaN without ratings) and how many ratings it stands for."""
    if rules.rating_basis == "latest":
        latest = table.ratings[:, -1]
        return latest, (~np.isnan(latest)).astype(np.int64)
    last = table.ratings[:, -rules.ratings_in_mean:]
    counts = (~np.isnan(last)).sum(axis=1)
    totals = np.nansum(last, axis=1)
    # Dividing only where there are ratings keeps NumPy quiet and leaves NaN for pairs without any.
    means = np.divide(totals, counts, out=np.full(len(table), np.nan), where=counts > 0)
    return means, counts


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def evaluate(table: PairFactsTable, rules: HealthRules, now: datetime) -> list[PairHealth]:
    """Every pair's health at `now`, in the table's order; the same facts always give the same answer."""
    now_s = epoch_seconds(now)

    days_matched = (now_s - table.confirmed_at) // DAY_S
    has_session = table.last_completed_session_at >= table.confirmed_at
    # Without a session since the match, the clock runs from the match itself.
    since = np.where(has_session, table.last_completed_session_at, table.confirmed_at)
    days_without_session = (now_s - since) // DAY_S
    past_grace = days_matched >= rules.grace_days_after_match
    no_session = np.where(past_grace, _verdicts(days_without_session, rules.no_session_days_check_in,
                                                rules.no_session_days_at_risk), 0).astype(np.int8)

    cancellations = _verdicts(table.cancellations_in_window, rules.cancellations_check_in,
                              rules.cancellations_at_risk)

    rating, rating_count = _judged_ratings(table, rules)
    with np.errstate(invalid="ignore"):  # NaN (no rating yet) compares false: no verdict
        low_rating = (rating <= rules.low_rating).astype(np.int8) + (rating <= rules.low_rating_at_risk).astype(np.int8)

    unanswered = _verdicts(table.unanswered_feedback_requests, rules.unanswered_check_in, rules.unanswered_at_risk)

    verdicts = np.stack([no_session, cancellations, low_rating, unanswered])
    worst = verdicts.max(axis=0)

    def no_session_text(i: int) -> str:
        days = int(days_without_session[i])
        return f"no session in {days} days" if has_session[i] else f"no session in {days} days since the match"

    def cancellations_text(i: int) -> str:
        count = int(table.cancellations_in_window[i])
        return f"{_plural(count, 'session', 'sessions')} cancelled in {rules.cancellations_window_days} days"

    def low_rating_text(i: int) -> str:
        value = f"{_number(rating[i])}/{rules.rating_scale}"
        if rules.rating_basis == "latest":
            return f"last rating {value}"
        count = int(rating_count[i])
        return f"last rating {value}" if count == 1 else f"mean of last {count} ratings {value}"

    def unanswered_text(i: int) -> str:
        count = int(table.unanswered_feedback_requests[i])
        return (f"{_plural(count, 'feedback request', 'feedback requests')} unanswered for "
                f"{rules.unanswered_feedback_days}+ days")

    rules_in_order = (("no_session", no_session_text), ("cancellations", cancellations_text),
                      ("low_rating", low_rating_text), ("unanswered_feedback", unanswered_text))

    on_track_reasons: tuple[Reason, ...] = ()
    health = [PairHealth(match_id, Status.ON_TRACK, on_track_reasons) for match_id in table.match_ids]
    # Only pairs that failed a rule need Python-level work: their reasons.
    failing = np.flatnonzero(worst)
    for i, pair_verdicts in zip(failing.tolist(), verdicts[:, failing].T.tolist()):
        failed = [(verdict, rule) for rule, verdict in enumerate(pair_verdicts) if verdict]
        failed.sort(key=lambda item: (-item[0], item[1]))  # worst first, then the rules' fixed order
        reasons = tuple(Reason(rules_in_order[rule][0], rules_in_order[rule][1](i), SEVERITY[verdict])
                        for verdict, rule in failed)
        health[i] = PairHealth(table.match_ids[i], SEVERITY[int(worst[i])], reasons)
    return health


def transitions(previous: Mapping[str, Status | str], current: Iterable[PairHealth]
                ) -> tuple[list[PairHealth], list[PairHealth]]:
    """(became at risk, recovered) between two evaluations, in `current`'s order.

    A pair evaluated for the first time and found at risk counts as having become at risk; recovered
    means it was at risk and now is not. Pairs missing from `current` (ended matches) are neither."""
    became_at_risk, recovered = [], []
    for pair in current:
        was_at_risk = previous.get(pair.match_id) == Status.AT_RISK
        if pair.status == Status.AT_RISK and not was_at_risk:
            became_at_risk.append(pair)
        elif was_at_risk and pair.status != Status.AT_RISK:
            recovered.append(pair)
    return became_at_risk, recovered
