"""Ending a match and rematch (handlers/matches.py) on a fake unit of work."""

from datetime import timedelta

import pytest

from matching.handlers.matches import end_match_on_request, propose_rematch
from mentoring_shared.actors import Actor
from mentoring_shared.contracts import matching as contracts
from mentoring_shared.errors import Conflict, Forbidden, NotFound
from tests.unit.matching.fakes import TENANT, active_match, cohort_uow

TTL = timedelta(days=7)
ORGANIZER = Actor(None)


def test_an_organizer_ends_a_match_and_the_mentee_is_proposed_the_best_other_mentor():
    uow = cohort_uow(mentors=("mentor-1", "mentor-2"))
    match = active_match(uow)
    ended, proposal = end_match_on_request(TENANT, match.id, "pair_at_risk", "drifting", True, ORGANIZER, TTL, uow)
    assert ended.status == "ended" and ended.end_reason == "pair_at_risk"
    assert uow.matches.get(TENANT, match.id).status == "ended"
    assert proposal.origin == "rematch" and proposal.replaces_match_id == match.id
    assert proposal.mentor_id == "mentor-2" and uow.match_requests.get(TENANT, proposal.id) == proposal
    assert uow.published_types() == [contracts.MATCH_ENDED_V1, contracts.MATCH_PROPOSED_V1] and uow.commits == 1
    assert uow.published[0].data["reason"] == "pair_at_risk"


def test_without_rematch_only_the_end_is_published():
    uow = cohort_uow(mentors=("mentor-1", "mentor-2"))
    match = active_match(uow)
    ended, proposal = end_match_on_request(TENANT, match.id, "cohort_closed", None, False, ORGANIZER, TTL, uow)
    assert proposal is None and uow.published_types() == [contracts.MATCH_ENDED_V1]


def test_a_person_in_the_pair_ends_it_only_as_asked_and_a_stranger_not_at_all():
    uow = cohort_uow()
    match = active_match(uow)
    with pytest.raises(Forbidden):
        end_match_on_request(TENANT, match.id, "pair_at_risk", None, False, Actor("someone"), TTL, uow)
    ended, _ = end_match_on_request(TENANT, match.id, "pair_at_risk", None, False, Actor("mentee-1"), TTL, uow)
    assert ended.end_reason == "asked"


def test_an_unknown_or_ended_match_is_refused_without_commit():
    uow = cohort_uow()
    with pytest.raises(NotFound):
        end_match_on_request(TENANT, "no-such-match", "asked", None, True, ORGANIZER, TTL, uow)
    match = active_match(uow)
    end_match_on_request(TENANT, match.id, "asked", None, False, ORGANIZER, TTL, uow)
    with pytest.raises(Conflict, match="already ended"):
        end_match_on_request(TENANT, match.id, "asked", None, False, ORGANIZER, TTL, uow)
    assert uow.commits == 1


def test_no_rematch_in_a_closed_cohort_or_when_no_mentor_is_left():
    uow = cohort_uow(status="closed", mentors=("mentor-1", "mentor-2"))
    match = active_match(uow)
    with uow:
        assert propose_rematch(uow, match, TTL) is None
    lonely = cohort_uow()
    match = active_match(lonely)
    _, proposal = end_match_on_request(TENANT, match.id, "asked", None, True, ORGANIZER, TTL, lonely)
    assert proposal is None  # the only mentor is the one the pair just ended with
