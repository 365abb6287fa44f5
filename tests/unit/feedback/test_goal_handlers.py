"""Goals, milestones and check-ins (handlers/goals.py) over fake repositories: no server."""

from datetime import date, timedelta

import pytest

from feedback.domain.goals import CheckIn, Goal, Milestone
from feedback.handlers import goals as handlers
from mentoring_shared.actors import Actor
from mentoring_shared.contracts import feedback as contracts
from mentoring_shared.errors import Conflict, InvalidField, NotFound
from tests.unit.feedback.builders import MENTEE, MENTOR, NOW, ORGANIZER, STRANGER, TENANT, pair_row
from tests.unit.feedback.fakes import FakeGoalsRepository, FakePairsRepository, feedback_uow

NEXT_MONTH = (NOW + timedelta(days=30)).date()


def a_goal(goal_id="goal-1", **changes) -> Goal:
    return Goal(**{"id": goal_id, "tenant_id": TENANT, "match_id": "match-1", "cohort_id": "cohort-1",
                   "program_id": "program-1", "title": "Learn Rust", "description": None, "target_date": NEXT_MONTH,
                   "status": "open", "progress": 0, "created_at": NOW, "achieved_at": None, "version": 1, **changes})


def a_milestone(milestone_id="milestone-1", **changes) -> Milestone:
    return Milestone(**{"id": milestone_id, "tenant_id": TENANT, "goal_id": "goal-1", "match_id": "match-1",
                        "title": "Ownership", "reached_at": None, **changes})


def a_check_in(**changes) -> CheckIn:
    return CheckIn(**{"id": "check-in-1", "tenant_id": TENANT, "match_id": "match-1", "due_on": NEXT_MONTH,
                      "label": "1 month", "completed_at": None, "note": None, **changes})


def uow_with(pair_status="active", goals=(), milestones=(), check_ins=()):
    return feedback_uow(pairs=FakePairsRepository([pair_row(status=pair_status)]),
                        goals=FakeGoalsRepository(goals, milestones, check_ins))


def test_one_of_the_pair_sets_a_goal_with_its_milestones():
    uow = uow_with()
    goal = handlers.set_goal(TENANT, "match-1", Actor(MENTEE), {
        "title": "Learn Rust", "target_date": NEXT_MONTH, "milestones": [{"title": "Ownership"}]}, uow)
    assert uow.committed and goal["status"] == "open" and [m.title for m in goal["milestones"]] == ["Ownership"]
    assert uow.goals.goal(TENANT, goal["id"]).title == "Learn Rust"
    assert list(uow.goals.milestones_by_id.values()) == goal["milestones"]
    assert uow.published == []


def test_someone_outside_the_pair_is_told_there_is_no_pair():
    uow = uow_with()
    with pytest.raises(NotFound, match="no pair match-1"):
        handlers.set_goal(TENANT, "match-1", Actor(STRANGER), {"title": "x", "target_date": NEXT_MONTH}, uow)
    assert not uow.committed and uow.goals.goals_by_id == {}


def test_an_ended_pair_sets_no_goal():
    uow = uow_with(pair_status="ended")
    with pytest.raises(Conflict):
        handlers.set_goal(TENANT, "match-1", Actor(MENTOR), {"title": "x", "target_date": NEXT_MONTH}, uow)
    assert not uow.committed


def test_a_goal_in_the_past_is_refused():
    uow = uow_with()
    with pytest.raises(InvalidField, match="target_date"):
        handlers.set_goal(TENANT, "match-1", ORGANIZER, {"title": "x", "target_date": date(2000, 1, 1)}, uow)
    assert not uow.committed


def test_achieving_a_goal_sets_its_progress_and_returns_its_milestones():
    uow = uow_with(goals=[a_goal()], milestones=[a_milestone()])
    changed = handlers.change_goal(TENANT, "goal-1", Actor(MENTOR), {"status": "achieved"}, uow)
    assert uow.committed and changed["progress"] == 100 and changed["version"] == 2
    assert changed["milestones"] == [a_milestone()] and uow.goals.goal(TENANT, "goal-1").status == "achieved"


def test_an_unknown_or_hidden_goal_is_not_found_by_its_own_name():
    uow = uow_with(goals=[a_goal()])
    for goal_id, actor in (("goal-2", ORGANIZER), ("goal-1", Actor(STRANGER))):
        with pytest.raises(NotFound, match=f"no goal {goal_id}"):
            handlers.change_goal(TENANT, goal_id, actor, {"progress": 50}, uow)
    assert not uow.committed


def test_a_milestone_is_added_to_a_goal():
    uow = uow_with(goals=[a_goal()])
    milestone = handlers.add_milestone(TENANT, "goal-1", Actor(MENTEE), "Borrowing", uow)
    assert uow.committed and uow.goals.milestone(TENANT, milestone.id).title == "Borrowing"


def test_no_milestone_is_added_once_the_pair_has_ended():
    uow = uow_with(pair_status="ended", goals=[a_goal()])
    with pytest.raises(Conflict):
        handlers.add_milestone(TENANT, "goal-1", Actor(MENTEE), "Borrowing", uow)
    assert not uow.committed and uow.goals.milestones_by_id == {}


def test_reaching_a_milestone_publishes_milestone_reached():
    uow = uow_with(goals=[a_goal()], milestones=[a_milestone()])
    reached = handlers.reach_milestone(TENANT, "milestone-1", Actor(MENTEE), uow)
    assert uow.committed and reached.reached_at is not None
    assert uow.published_types() == [contracts.MILESTONE_REACHED_V1]
    [celebrated] = uow.published
    assert celebrated.subject == "match-1" and celebrated.data["milestone_id"] == "milestone-1"
    assert (celebrated.data["mentee_id"], celebrated.data["mentor_id"]) == (MENTEE, MENTOR)


def test_a_milestone_is_reached_once():
    uow = uow_with(goals=[a_goal()], milestones=[a_milestone(reached_at=NOW)])
    with pytest.raises(Conflict, match="already reached"):
        handlers.reach_milestone(TENANT, "milestone-1", Actor(MENTEE), uow)
    assert not uow.committed and uow.published == []


def test_a_hidden_milestone_is_not_found():
    uow = uow_with(goals=[a_goal()], milestones=[a_milestone()])
    with pytest.raises(NotFound, match="no milestone milestone-1"):
        handlers.reach_milestone(TENANT, "milestone-1", Actor(STRANGER), uow)
    assert uow.published == []


def test_a_check_in_is_completed_once_with_its_note():
    uow = uow_with(check_ins=[a_check_in()])
    completed = handlers.complete_check_in(TENANT, "check-in-1", Actor(MENTOR), "went well", uow)
    assert uow.committed and completed.note == "went well" and completed.completed_at is not None
    with pytest.raises(Conflict, match="already completed"):
        handlers.complete_check_in(TENANT, "check-in-1", Actor(MENTOR), None, uow)
    assert uow.commits == 1


def test_an_unknown_check_in_is_not_found():
    with pytest.raises(NotFound, match="no check-in nope"):
        handlers.complete_check_in(TENANT, "nope", ORGANIZER, None, uow_with())


def test_reads_show_a_pair_its_goals_and_check_ins_and_hide_them_from_others():
    pairs = FakePairsRepository([pair_row()])
    goals = FakeGoalsRepository([a_goal(), a_goal("goal-0", match_id="match-2")], [a_milestone()], [a_check_in()])
    [goal] = handlers.goals_with_milestones(pairs, goals, TENANT, "match-1", Actor(MENTEE))
    assert goal["id"] == "goal-1" and goal["milestones"] == [a_milestone()]
    assert handlers.goal_with_milestones(pairs, goals, TENANT, "goal-1", ORGANIZER)["milestones"] == [a_milestone()]
    assert handlers.check_ins(pairs, goals, TENANT, "match-1", Actor(MENTOR)) == [a_check_in()]
    for read in (lambda: handlers.goals_with_milestones(pairs, goals, TENANT, "match-1", Actor(STRANGER)),
                 lambda: handlers.goal_with_milestones(pairs, goals, TENANT, "goal-1", Actor(STRANGER)),
                 lambda: handlers.check_ins(pairs, goals, "other-tenant", "match-1", ORGANIZER)):
        with pytest.raises(NotFound):
            read()


def test_an_unknown_goal_reads_as_not_found():
    with pytest.raises(NotFound, match="no goal goal-9"):
        handlers.goal_with_milestones(FakePairsRepository([pair_row()]), FakeGoalsRepository(), TENANT, "goal-9",
                                      ORGANIZER)
