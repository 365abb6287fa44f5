"""Giving and editing feedback (handlers/submissions.py) and a program's health rules
(handlers/health_rules.py), over fake repositories: no server."""

from datetime import timedelta

import pytest

from feedback.handlers import health_rules
from feedback.handlers import submissions as handlers
from feedback.settings import FeedbackSettings
from mentoring_shared.actors import Actor
from mentoring_shared.contracts import feedback as contracts
from mentoring_shared.errors import Conflict, Forbidden, InvalidField, NotFound
from tests.unit.feedback.builders import MENTEE, MENTOR, NOW, ORGANIZER, STRANGER, TENANT, answer, program_row, request
from tests.unit.feedback.fakes import FakeProgramsRepository, FakeSubmissionsRepository, feedback_uow

SETTINGS = FeedbackSettings(edit_window=timedelta(hours=72), answer_within=timedelta(days=14), chore_interval_s=60)


def test_the_person_asked_gives_feedback_and_it_is_published():
    uow = feedback_uow(submissions=FakeSubmissionsRepository([request()]))
    given = handlers.give_feedback(TENANT, "request-1", Actor(MENTEE), {"rating": 4, "text": "clear"}, SETTINGS, uow)
    assert uow.committed and given.rating == 4 and given.editable_until == given.submitted_at + timedelta(hours=72)
    assert uow.submissions.request(TENANT, "request-1").status == "answered"
    assert uow.submissions.feedback(TENANT, given.id) == given
    assert uow.published_types() == [contracts.FEEDBACK_SUBMITTED_V1]
    assert uow.published[0].data["rating"] == 4 and uow.published[0].data["version"] == 1


@pytest.mark.parametrize("actor", [Actor(STRANGER), ORGANIZER])
def test_nobody_else_answers(actor):
    uow = feedback_uow(submissions=FakeSubmissionsRepository([request()]))
    with pytest.raises(NotFound if actor.person_id else Forbidden):
        handlers.give_feedback(TENANT, "request-1", actor, {"rating": 4}, SETTINGS, uow)
    assert not uow.committed and uow.published == []


@pytest.mark.parametrize("status", ["answered", "closed"])
def test_an_answered_or_closed_request_takes_no_answer(status):
    uow = feedback_uow(submissions=FakeSubmissionsRepository([request(status=status)]))
    with pytest.raises(Conflict):
        handlers.give_feedback(TENANT, "request-1", Actor(MENTEE), {"rating": 4}, SETTINGS, uow)
    assert not uow.committed and uow.submissions.feedback_by_id == {}


def test_a_session_answer_needs_a_rating():
    uow = feedback_uow(submissions=FakeSubmissionsRepository([request()]))
    with pytest.raises(InvalidField):
        handlers.give_feedback(TENANT, "request-1", Actor(MENTEE), {"text": "no rating"}, SETTINGS, uow)
    assert uow.published == []


def test_its_author_edits_an_answer_within_the_window_and_it_is_published_again():
    uow = feedback_uow(submissions=FakeSubmissionsRepository(feedback=[answer()]))
    edited = handlers.edit_feedback(TENANT, "feedback-1", Actor(MENTEE), {"rating": 2}, uow)
    assert uow.committed and edited.rating == 2 and edited.version == 2
    assert uow.submissions.feedback(TENANT, "feedback-1").rating == 2
    assert uow.published_types() == [contracts.FEEDBACK_SUBMITTED_V1] and uow.published[0].data["version"] == 2


def test_an_answer_is_not_edited_after_its_window_nor_by_others():
    uow = feedback_uow(submissions=FakeSubmissionsRepository(feedback=[answer(editable_until=NOW - timedelta(hours=1))]))
    with pytest.raises(Conflict, match="has passed"):
        handlers.edit_feedback(TENANT, "feedback-1", Actor(MENTEE), {"rating": 2}, uow)
    with pytest.raises(NotFound, match="no feedback feedback-1"):
        handlers.edit_feedback(TENANT, "feedback-1", Actor(MENTOR), {"rating": 2}, uow)
    assert not uow.committed and uow.published == []


def test_an_answer_is_visible_to_its_author_and_organizers_only():
    submissions = FakeSubmissionsRepository(feedback=[answer()])
    assert handlers.visible_feedback(submissions, TENANT, "feedback-1", Actor(MENTEE)) == answer()
    assert handlers.visible_feedback(submissions, TENANT, "feedback-1", ORGANIZER) == answer()
    for tenant, actor in ((TENANT, Actor(MENTOR)), ("other", ORGANIZER)):
        with pytest.raises(NotFound):
            handlers.visible_feedback(submissions, tenant, "feedback-1", actor)


def test_a_program_s_health_rules_are_its_overrides_over_the_defaults():
    programs = FakeProgramsRepository([program_row()])
    programs.set_health_overrides(TENANT, "program-1", {"grace_days_after_match": 7}, NOW, "admin")
    rules = health_rules.program_health_rules(programs, TENANT, "program-1")
    assert rules["overrides"] == {"grace_days_after_match": 7} and rules["rules"]["grace_days_after_match"] == 7
    assert rules["rules"]["no_session_days_at_risk"] == 60
    with pytest.raises(NotFound, match="no program program-2"):
        health_rules.program_health_rules(programs, TENANT, "program-2")


def test_an_organizer_sets_a_program_s_health_rules():
    uow = feedback_uow(programs=FakeProgramsRepository([program_row()]))
    rules = health_rules.set_program_health_rules(TENANT, "program-1", {"low_rating": 3}, "admin", uow)
    assert uow.committed and rules["rules"]["low_rating"] == 3
    assert uow.programs.health_overrides(TENANT, "program-1") == {"low_rating": 3} and uow.published == []


def test_health_rules_out_of_order_or_for_an_unknown_program_are_refused():
    uow = feedback_uow(programs=FakeProgramsRepository([program_row()]))
    with pytest.raises(InvalidField):
        health_rules.set_program_health_rules(TENANT, "program-1", {"no_session_days_check_in": 90}, "admin", uow)
    with pytest.raises(NotFound):
        health_rules.set_program_health_rules(TENANT, "program-2", {}, "admin", uow)
    assert not uow.committed and uow.programs.overrides == {}
