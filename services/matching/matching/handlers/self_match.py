"""Self-match: a mentee sees ranked suggestions and asks a mentor, who accepts or declines before
the request expires. Capacity is checked when the mentor accepts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from matching import metrics
from matching.capacity import mentee_slots_left, mentor_slots_left
from matching.cohort_inputs import CohortInputs, load_cohort_inputs
from matching.domain import requests as domain
from matching.engine.explanations import explain_pair
from matching.engine.runner import Suggestion, suggest_mentors
from matching.repositories.match_requests import MatchRequestsRepository
from matching.unit_of_work import MatchingRepositories, MatchingUnitOfWork
from mentoring_shared.actors import Actor
from mentoring_shared.errors import Conflict, InvalidField, NotFound
from mentoring_shared.ids import new_id

OPEN_COHORT_STATUSES = ("matching", "active")


def _now() -> datetime:
    return datetime.now(UTC)


def _open_cohort_inputs(repositories: MatchingRepositories | MatchingUnitOfWork, tenant_id: str,
                        cohort_id: str) -> CohortInputs:
    inputs = load_cohort_inputs(repositories, tenant_id, cohort_id)
    if inputs.cohort.status not in OPEN_COHORT_STATUSES:
        raise Conflict(f"the cohort is {inputs.cohort.status}; mentees choose mentors only while it is "
                       f"{' or '.join(OPEN_COHORT_STATUSES)}", current_status=inputs.cohort.status)
    return inputs


def _waiting_mentee(inputs: CohortInputs, mentee_id: str, field: str = "mentee_id"):
    mentee = inputs.mentee(mentee_id)
    if mentee is None:
        raise InvalidField(field, f"{mentee_id} is not an active mentee of this cohort who still needs a mentor")
    return mentee


def suggestions(tenant_id: str, cohort_id: str, mentee_id: str, limit: int,
                uow: MatchingUnitOfWork) -> list[Suggestion]:
    """Read only: the inputs are read, then ranked outside any transaction."""
    with uow.reading() as reads:
        inputs = _open_cohort_inputs(reads, tenant_id, cohort_id)
        _waiting_mentee(inputs, mentee_id)
        asked = {request.mentor_id for request in reads.match_requests.open_of(tenant_id, mentee_id, _now())}
    problem = replace(inputs.problem, forbidden_pairs=frozenset((mentee_id, mentor) for mentor in asked))
    return suggest_mentors(problem, mentee_id, limit)


def request_mentor(tenant_id: str, cohort_id: str, mentee_id: str, mentor_id: str, actor: Actor,
                   time_to_live: timedelta, uow: MatchingUnitOfWork) -> domain.MatchRequest:
    actor.require("mentee", mentee_id)
    with uow:
        inputs = _open_cohort_inputs(uow, tenant_id, cohort_id)
        mentee = _waiting_mentee(inputs, mentee_id)
        if inputs.mentor(mentor_id) is None:
            raise InvalidField("mentor_id", f"{mentor_id} is not an active mentor of this cohort with capacity left")
        now = _now()
        waiting = [r for r in uow.match_requests.open_of(tenant_id, mentee_id, now)
                   if r.mentee_id == mentee_id and r.cohort_id == cohort_id]
        if any(r.mentor_id == mentor_id for r in waiting):
            raise Conflict("this mentee already asked this mentor; the request is pending", fields=["mentor_id"])
        if len(waiting) >= mentee.slots:
            raise Conflict(f"the mentee already has {len(waiting)} pending request(s) for the "
                           f"{mentee.slots} mentor(s) they still need")
        explanation = explain_pair(inputs.problem, mentee_id, mentor_id)
        if explanation.exclusions:
            raise Conflict("this pair breaks a hard rule: " + "; ".join(text for _, text in explanation.exclusions),
                           rules=[code for code, _ in explanation.exclusions])
        request, events = domain.propose(
            request_id=new_id(), tenant_id=tenant_id, cohort_id=cohort_id, program_id=inputs.program.program_id,
            mentee_id=mentee_id, mentor_id=mentor_id, origin="self_match", score=explanation.score,
            factors=explanation.as_dict()["factors"], now=now, time_to_live=time_to_live)
        uow.match_requests.add(request)
        uow.publish(events)
        uow.commit()
    return request


def accept_request(tenant_id: str, request_id: str, actor: Actor, uow: MatchingUnitOfWork) -> domain.MatchRequest:
    with uow:
        request = _request(uow.match_requests, tenant_id, request_id)
        actor.require("mentor", request.mentor_id)
        cohort = uow.cohorts.get(tenant_id, request.cohort_id)
        if cohort is None or cohort.status not in OPEN_COHORT_STATUSES:
            status = cohort.status if cohort else "unknown"
            raise Conflict(f"the cohort is {status}; pairs start only while it is matching or active",
                           current_status=status)
        mentor = uow.people.profile(tenant_id, request.mentor_id)
        if mentor is None or mentor.status != "active":
            raise Conflict("the mentor is no longer active")
        if request.is_open(_now()):
            if mentor_slots_left(uow.matches, tenant_id, request.mentor_id, mentor.profile) <= 0:
                raise Conflict("the mentor has no capacity left", fields=["mentor_id"])
            enrollment = next((e for e in uow.enrollments.of_person(tenant_id, request.mentee_id)
                               if e.cohort_id == request.cohort_id and e.status == "enrolled"), None)
            if enrollment is None or mentee_slots_left(uow.matches, tenant_id, request.cohort_id, request.mentee_id,
                                                       enrollment.mentors_wanted) <= 0:
                raise Conflict("the mentee has all the mentors they asked for, or left the cohort")
        accepted, match, events = domain.accept(request, _now())
        uow.match_requests.save(accepted)
        uow.matches.add([match])
        uow.publish(events)
        uow.commit()
    metrics.MATCHES_CONFIRMED.labels(match.origin).inc()
    return accepted


def decline_request(tenant_id: str, request_id: str, note: str | None, actor: Actor,
                    uow: MatchingUnitOfWork) -> domain.MatchRequest:
    with uow:
        request = _request(uow.match_requests, tenant_id, request_id)
        actor.require("mentor", request.mentor_id)
        declined = domain.decline(request, note, _now())
        uow.match_requests.save(declined)
        uow.commit()
    return declined


def cancel_request(tenant_id: str, request_id: str, note: str | None, actor: Actor,
                   uow: MatchingUnitOfWork) -> domain.MatchRequest:
    with uow:
        request = _request(uow.match_requests, tenant_id, request_id)
        actor.require("mentee", request.mentee_id)
        cancelled = domain.cancel(request, note, _now())
        uow.match_requests.save(cancelled)
        uow.commit()
    return cancelled


def _request(requests: MatchRequestsRepository, tenant_id: str, request_id: str) -> domain.MatchRequest:
    request = requests.get(tenant_id, request_id, for_update=True)
    if request is None:
        raise NotFound(f"no match request {request_id} in this tenant")
    return request
