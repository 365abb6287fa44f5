"""Mentees' requests and rematch proposals: a pair put to the mentor, who accepts or declines
before the proposal expires. An accepted request becomes a match with the same id."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import mentoring_shared.contracts.matching as contracts
from matching.domain.matches import Match, confirm_match, event_factors, public_score
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import Conflict

OPEN = "pending"


@dataclass(frozen=True)
class MatchRequest:
    id: str
    tenant_id: str
    cohort_id: str
    program_id: str
    mentee_id: str
    mentor_id: str
    origin: str            # self_match | rematch
    status: str            # pending | accepted | declined | cancelled | expired
    score: int
    factors: tuple[dict[str, Any], ...]
    replaces_match_id: str | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None = None
    decision_note: str | None = None

    def status_at(self, now: datetime) -> str:
        """Expiry needs no sweeper: a pending request past its time is expired to everyone."""
        if self.status == OPEN and now >= self.expires_at:
            return "expired"
        return self.status

    def is_open(self, now: datetime) -> bool:
        return self.status_at(now) == OPEN


def propose(*, request_id: str, tenant_id: str, cohort_id: str, program_id: str, mentee_id: str, mentor_id: str,
            origin: str, score: int, factors, now: datetime, time_to_live: timedelta,
            replaces_match_id: str | None = None) -> tuple[MatchRequest, list[DomainEvent]]:
    request = MatchRequest(id=request_id, tenant_id=tenant_id, cohort_id=cohort_id, program_id=program_id,
                           mentee_id=mentee_id, mentor_id=mentor_id, origin=origin, status=OPEN, score=score,
                           factors=tuple(factors), replaces_match_id=replaces_match_id, created_at=now,
                           expires_at=now + time_to_live)
    return request, [DomainEvent(contracts.MATCH_PROPOSED_V1, tenant_id, request_id, {
        "proposal_id": request_id, "cohort_id": cohort_id, "program_id": program_id, "mentee_id": mentee_id,
        "mentor_id": mentor_id, "origin": origin, "score": public_score(score), "top_factors": event_factors(factors),
        "expires_at": request.expires_at.isoformat(), "replaces_match_id": replaces_match_id})]


def _decide(request: MatchRequest, status: str, note: str | None, now: datetime) -> MatchRequest:
    current = request.status_at(now)
    if current != OPEN:
        raise Conflict(f"this request is {current}; only a pending request can be {status}", current_status=current)
    return replace(request, status=status, decided_at=now, decision_note=note)


def accept(request: MatchRequest, now: datetime) -> tuple[MatchRequest, Match, list[DomainEvent]]:
    accepted = _decide(request, "accepted", None, now)
    match, events = confirm_match(match_id=request.id, tenant_id=request.tenant_id, cohort_id=request.cohort_id,
                                  program_id=request.program_id, mentee_id=request.mentee_id,
                                  mentor_id=request.mentor_id, origin=request.origin, run_id=None,
                                  score=request.score, factors=request.factors, now=now)
    return accepted, match, events


def decline(request: MatchRequest, note: str | None, now: datetime) -> MatchRequest:
    return _decide(request, "declined", note, now)


def cancel(request: MatchRequest, note: str | None, now: datetime) -> MatchRequest:
    return _decide(request, "cancelled", note, now)
