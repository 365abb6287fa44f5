"""Goals, milestones and check-ins of a pair: its two people and the organizers act on them; anyone
else is told there is no such pair (404), so pairs do not leak across people."""

from __future__ import annotations

from datetime import datetime, timezone

from mentoring_shared.actors import Actor
from mentoring_shared.unit_of_work import UnitOfWork
from mentoring_shared.errors import NotFound
from mentoring_shared.ids import new_id, new_ids

from feedback.domain import goals as domain
from feedback.repositories.goals import Goals
from feedback.repositories.pairs import Pairs


def visible_pair(db, tenant_id: str, match_id: str, actor: Actor) -> domain.Pair:
    """An organizer sees every pair of the tenant; a mentor or mentee only their own."""
    pair = Pairs(db).pair(tenant_id, match_id)
    if pair is None or not actor.may_see(pair.mentee_id, pair.mentor_id):
        raise NotFound(f"no pair {match_id} in this tenant")
    return pair


def _pair_of(db, item, what: str, item_id: str, actor: Actor) -> domain.Pair:
    """The pair a goal, milestone or check-in belongs to; a 404 naming the item when it is missing or
    the caller is not one of the pair (so the item's existence does not leak)."""
    missing = NotFound(f"no {what} {item_id} in this tenant")
    if item is None:
        raise missing
    try:
        return visible_pair(db, item.tenant_id, item.match_id, actor)
    except NotFound:
        raise missing from None


def _goal_and_pair(db, tenant_id: str, goal_id: str, actor: Actor,
                   for_update: bool = False) -> tuple[domain.Goal, domain.Pair]:
    goal = Goals(db).goal(tenant_id, goal_id, for_update=for_update)
    return goal, _pair_of(db, goal, "goal", goal_id, actor)


def goals_with_milestones(db, tenant_id: str, match_id: str, actor: Actor) -> list[dict]:
    visible_pair(db, tenant_id, match_id, actor)
    goals = Goals(db)
    found = goals.goals_of_pair(tenant_id, match_id)
    milestones = goals.milestones_of_goals(tenant_id, [goal.id for goal in found])
    return [{**vars(goal), "milestones": milestones[goal.id]} for goal in found]


def goal_with_milestones(db, tenant_id: str, goal_id: str, actor: Actor) -> dict:
    goal, _ = _goal_and_pair(db, tenant_id, goal_id, actor)
    return {**vars(goal), "milestones": Goals(db).milestones_of_goals(tenant_id, [goal.id])[goal.id]}


def set_goal(tenant_id: str, match_id: str, actor: Actor, body: dict, uow: UnitOfWork) -> dict:
    with uow:
        pair = visible_pair(uow.session, tenant_id, match_id, actor)
        goal, milestones = domain.new_goal(
            pair, goal_id=new_id(), title=body["title"], description=body.get("description"),
            target_date=body["target_date"], milestone_ids=new_ids(),
            milestone_titles=[milestone["title"] for milestone in body.get("milestones", [])],
            now=datetime.now(timezone.utc))
        Goals(uow.session).add_goal(goal, milestones)
        uow.commit()
    return {**vars(goal), "milestones": milestones}


def change_goal(tenant_id: str, goal_id: str, actor: Actor, changes: dict, uow: UnitOfWork) -> dict:
    with uow:
        goal, pair = _goal_and_pair(uow.session, tenant_id, goal_id, actor, for_update=True)
        changed = domain.update_goal(pair, goal, changes, datetime.now(timezone.utc))
        goals = Goals(uow.session)
        goals.save_goal(changed)
        milestones = goals.milestones_of_goals(tenant_id, [goal.id])[goal.id]
        uow.commit()
    return {**vars(changed), "milestones": milestones}


def add_milestone(tenant_id: str, goal_id: str, actor: Actor, title: str,
                  uow: UnitOfWork) -> domain.Milestone:
    with uow:
        goal, pair = _goal_and_pair(uow.session, tenant_id, goal_id, actor, for_update=True)
        milestone = domain.new_milestone(pair, goal, milestone_id=new_id(), title=title)
        Goals(uow.session).add_milestone(milestone)
        uow.commit()
    return milestone


def reach_milestone(tenant_id: str, milestone_id: str, actor: Actor,
                    uow: UnitOfWork) -> domain.Milestone:
    with uow:
        goals = Goals(uow.session)
        milestone = goals.milestone(tenant_id, milestone_id, for_update=True)
        pair = _pair_of(uow.session, milestone, "milestone", milestone_id, actor)
        reached, events = domain.reach_milestone(pair, milestone, datetime.now(timezone.utc))
        goals.save_milestone(reached)
        uow.publish(events)
        uow.commit()
    return reached


def check_ins(db, tenant_id: str, match_id: str, actor: Actor) -> list[domain.CheckIn]:
    visible_pair(db, tenant_id, match_id, actor)
    return Goals(db).check_ins_of_pair(tenant_id, match_id)


def complete_check_in(tenant_id: str, check_in_id: str, actor: Actor, note: str | None,
                      uow: UnitOfWork) -> domain.CheckIn:
    with uow:
        goals = Goals(uow.session)
        check_in = goals.check_in(tenant_id, check_in_id, for_update=True)
        _pair_of(uow.session, check_in, "check-in", check_in_id, actor)
        completed = domain.complete_check_in(check_in, note, datetime.now(timezone.utc))
        goals.save_check_in(completed)
        uow.commit()
    return completed
