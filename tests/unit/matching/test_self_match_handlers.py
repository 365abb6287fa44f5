"""Self-match (handlers/self_match.py) on a fake unit of work: suggestions, a mentee's request, the
mentor's answer, the mentee withdrawing it."""

from datetime import timedelta

import pytest

from matching.handlers.self_match import accept_request, cancel_request, decline_request, request_mentor, suggestions
from mentoring_shared.actors import Actor
from mentoring_shared.contracts import matching as contracts
from mentoring_shared.errors import Conflict, Forbidden, InvalidField, NotFound
from tests.unit.matching.fakes import COHORT, TENANT, active_match, cohort_uow

TTL = timedelta(days=7)
MENTEE, MENTOR, ORGANIZER = Actor("mentee-1"), Actor("mentor-1"), Actor(None)


def asked(uow, mentor_id="mentor-1"):
    return request_mentor(TENANT, COHORT, "mentee-1", mentor_id, MENTEE, TTL, uow)


def test_suggestions_rank_mentors_and_leave_out_those_already_asked():
    uow = cohort_uow(mentors=("mentor-1", "mentor-2"))
    assert {s.mentor_id for s in suggestions(TENANT, COHORT, "mentee-1", 5, uow)} == {"mentor-1", "mentor-2"}
    asked(uow)
    assert [s.mentor_id for s in suggestions(TENANT, COHORT, "mentee-1", 5, uow)] == ["mentor-2"]


def test_suggestions_need_an_open_cohort_and_a_waiting_mentee():
    with pytest.raises(Conflict):
        suggestions(TENANT, COHORT, "mentee-1", 5, cohort_uow(status="closed"))
    with pytest.raises(InvalidField):
        suggestions(TENANT, COHORT, "mentor-1", 5, cohort_uow())


def test_a_request_is_stored_pending_and_proposed_to_the_mentor():
    uow = cohort_uow()
    request = asked(uow)
    assert request.status == "pending" and request.origin == "self_match"
    assert request.expires_at - request.created_at == TTL
    assert uow.match_requests.get(TENANT, request.id) == request
    assert uow.published_types() == [contracts.MATCH_PROPOSED_V1]
    assert uow.published[0].data["mentor_id"] == "mentor-1" and uow.published[0].data["origin"] == "self_match"


def test_a_request_is_refused_when_repeated_for_someone_else_or_to_a_stranger():
    uow = cohort_uow()
    asked(uow)
    with pytest.raises(Conflict, match="already asked"):
        asked(uow)
    with pytest.raises(Forbidden):
        request_mentor(TENANT, COHORT, "mentee-1", "mentor-1", Actor("mentee-2"), TTL, uow)
    with pytest.raises(InvalidField):
        asked(uow, mentor_id="not-enrolled")
    assert uow.commits == 1 and len(uow.match_requests.items) == 1


def test_accepting_confirms_the_pair_as_a_match_with_the_requests_id():
    uow = cohort_uow()
    request = asked(uow)
    accepted = accept_request(TENANT, request.id, MENTOR, uow)
    assert accepted.status == "accepted" and uow.match_requests.get(TENANT, request.id).status == "accepted"
    match = uow.matches.get(TENANT, request.id)
    assert match.active and (match.mentee_id, match.mentor_id, match.origin) == ("mentee-1", "mentor-1", "self_match")
    assert uow.published_types() == [contracts.MATCH_PROPOSED_V1, contracts.MATCH_CONFIRMED_V1]


def test_accepting_is_refused_without_capacity_and_to_anyone_but_the_mentor():
    uow = cohort_uow(mentees=("mentee-1", "mentee-2"))
    request = asked(uow)
    with pytest.raises(Forbidden):
        accept_request(TENANT, request.id, MENTEE, uow)
    active_match(uow, "mentee-2", "mentor-1")  # the mentor's one slot is taken meanwhile
    with pytest.raises(Conflict, match="no capacity"):
        accept_request(TENANT, request.id, MENTOR, uow)
    with pytest.raises(NotFound):
        accept_request(TENANT, "no-such-request", MENTOR, uow)
    assert uow.match_requests.get(TENANT, request.id).status == "pending" and uow.commits == 1


def test_accepting_in_a_closed_cohort_is_refused():
    uow = cohort_uow()
    request = asked(uow)
    uow.cohorts.change_status(TENANT, COHORT, "closed", 2)
    with pytest.raises(Conflict, match="closed"):
        accept_request(TENANT, request.id, MENTOR, uow)


def test_the_mentor_declines_and_nothing_is_published():
    uow = cohort_uow()
    request = asked(uow)
    with pytest.raises(Forbidden):
        decline_request(TENANT, request.id, "busy", MENTEE, uow)
    declined = decline_request(TENANT, request.id, "busy", MENTOR, uow)
    assert declined.status == "declined" and declined.decision_note == "busy"
    assert uow.match_requests.get(TENANT, request.id).status == "declined" and uow.commits == 2
    assert uow.published_types() == [contracts.MATCH_PROPOSED_V1]
    with pytest.raises(Conflict):
        decline_request(TENANT, request.id, None, ORGANIZER, uow)


def test_the_mentee_cancels_their_request():
    uow = cohort_uow()
    request = asked(uow)
    with pytest.raises(Forbidden):
        cancel_request(TENANT, request.id, None, MENTOR, uow)
    cancelled = cancel_request(TENANT, request.id, "found one", MENTEE, uow)
    assert cancelled.status == "cancelled" and uow.match_requests.get(TENANT, request.id).status == "cancelled"
    with pytest.raises(NotFound):
        cancel_request(TENANT, "no-such-request", None, MENTEE, uow)
