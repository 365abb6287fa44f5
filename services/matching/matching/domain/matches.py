"""Matches: a mentor and a mentee paired in a cohort, from confirmation until they end."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import mentoring_shared.contracts.matching as contracts
from matching.engine.model import SCORE_SCALE
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import Conflict

TOP_FACTORS_IN_EVENTS = 3


@dataclass(frozen=True)
class Match:
    id: str
    tenant_id: str
    cohort_id: str
    program_id: str
    mentee_id: str
    mentor_id: str
    status: str            # active | ended
    origin: str            # run | self_match | rematch
    run_id: str | None
    score: int             # 0..SCORE_SCALE
    factors: tuple[dict[str, Any], ...]
    version: int
    confirmed_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = None
    end_note: str | None = None
    health: str | None = "on_track"  # feedback's verdict: on_track | needs_check_in | at_risk; None where hidden
    health_reasons: tuple[dict[str, str], ...] = ()
    health_evaluated_at: datetime | None = None
    health_version: int = 0

    @property
    def active(self) -> bool:
        return self.status == "active"

    def involves(self, person_id: str) -> bool:
        return person_id in (self.mentee_id, self.mentor_id)


def public_score(score: int) -> float:
    return round(score / SCORE_SCALE, 3)


def event_factors(factors) -> list[dict[str, Any]]:
    """The few factors that explain a pair best, in the shape events carry."""
    return [{"name": f["name"], "value": f["value"], "weight": f["weight"], "detail": f["detail"]}
            for f in list(factors)[:TOP_FACTORS_IN_EVENTS]]


def confirm_match(*, match_id: str, tenant_id: str, cohort_id: str, program_id: str, mentee_id: str, mentor_id: str,
                  origin: str, run_id: str | None, score: int, factors,
                  now: datetime) -> tuple[Match, list[DomainEvent]]:
    match = Match(id=match_id, tenant_id=tenant_id, cohort_id=cohort_id, program_id=program_id, mentee_id=mentee_id,
                  mentor_id=mentor_id, status="active", origin=origin, run_id=run_id, score=score,
                  factors=tuple(factors), version=1, confirmed_at=now)
    return match, [DomainEvent(contracts.MATCH_CONFIRMED_V1, tenant_id, match_id, {
        "match_id": match_id, "version": 1, "cohort_id": cohort_id, "program_id": program_id,
        "mentee_id": mentee_id, "mentor_id": mentor_id, "origin": origin, "run_id": run_id,
        "score": public_score(score), "top_factors": event_factors(factors), "confirmed_at": now.isoformat()})]


def end_match(match: Match, reason: str, note: str | None, now: datetime) -> tuple[Match, list[DomainEvent]]:
    if reason not in contracts.END_REASONS:
        raise ValueError(f"unknown end reason {reason!r}")
    if not match.active:
        raise Conflict(f"this match already ended ({match.end_reason})", end_reason=match.end_reason)
    ended = replace(match, status="ended", version=match.version + 1, ended_at=now, end_reason=reason, end_note=note)
    return ended, [DomainEvent(contracts.MATCH_ENDED_V1, match.tenant_id, match.id, {
        "match_id": match.id, "version": ended.version, "cohort_id": match.cohort_id, "program_id": match.program_id,
        "mentee_id": match.mentee_id, "mentor_id": match.mentor_id, "reason": reason, "note": note,
        "ended_at": now.isoformat()})]

