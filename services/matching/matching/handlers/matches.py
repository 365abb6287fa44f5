"""Ending a match, and proposing a new mentor to the mentee it leaves without one (rematch), while
every other pair stays as it is."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from matching import metrics
from matching.cohort_inputs import load_cohort_inputs
from matching.domain import requests
from matching.domain.matches import Match, end_match
from matching.engine.runner import suggest_mentors
from matching.handlers.self_match import OPEN_COHORT_STATUSES
from matching.unit_of_work import MatchingUnitOfWork
from mentoring_shared.actors import Actor
from mentoring_shared.errors import ApplicationError, NotFound
from mentoring_shared.ids import new_id


def end_match_on_request(tenant_id: str, match_id: str, reason: str, note: str | None, rematch: bool, actor: Actor,
                         time_to_live: timedelta,
                         uow: MatchingUnitOfWork) -> tuple[Match, requests.MatchRequest | None]:
    with uow:
        match = uow.matches.get(tenant_id, match_id, for_update=True)
        if match is None:
            raise NotFound(f"no match {match_id} in this tenant")
        if not actor.organizer:
            actor.require("mentee or mentor", match.mentee_id, match.mentor_id)
            reason = "asked"  # other reasons are the organizers' or the platform's to give
        ended, events = end_match(match, reason, note, datetime.now(UTC))
        uow.matches.save(ended)
        uow.publish(events)
        proposal = propose_rematch(uow, ended, time_to_live) if rematch else None
        uow.commit()
    metrics.MATCHES_ENDED.labels(reason).inc()
    return ended, proposal


def propose_rematch(uow: MatchingUnitOfWork, ended: Match, time_to_live: timedelta) -> requests.MatchRequest | None:
    """The best eligible mentor with capacity left, put to them as a proposal; None if there is none
    (the cohort is over, the mentee left or needs no one, or no mentor fits)."""
    try:
        inputs = load_cohort_inputs(uow, ended.tenant_id, ended.cohort_id)
    except ApplicationError:
        return None
    if inputs.cohort.status not in OPEN_COHORT_STATUSES or inputs.mentee(ended.mentee_id) is None:
        return None
    now = datetime.now(UTC)
    asked = {r.mentor_id for r in uow.match_requests.open_of(ended.tenant_id, ended.mentee_id, now)
             if r.mentee_id == ended.mentee_id}
    problem = replace(inputs.problem, forbidden_pairs=frozenset((ended.mentee_id, mentor) for mentor in asked))
    best = suggest_mentors(problem, ended.mentee_id, 1)
    if not best:
        return None
    proposal, events = requests.propose(
        request_id=new_id(), tenant_id=ended.tenant_id, cohort_id=ended.cohort_id, program_id=ended.program_id,
        mentee_id=ended.mentee_id, mentor_id=best[0].mentor_id, origin="rematch", score=best[0].score,
        factors=best[0].explanation.as_dict()["factors"], now=now, time_to_live=time_to_live,
        replaces_match_id=ended.id)
    uow.match_requests.add(proposal)
    uow.publish(events)
    return proposal
