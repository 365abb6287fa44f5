"""Goals, milestones and check-ins of a pair: its two people and the organizers act on them; anyone
else is told there is no such pair (404), so pairs do not leak across people.

Reads take the repositories they read (on a read session); changes take feedback's unit of work."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol, TypeVar

from feedback.domain import goals as domain
from feedback.repositories.goals import GoalsRepository
from feedback.repositories.pairs import PairsRepository
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.actors import Actor
from mentoring_shared.errors import NotFound
from mentoring_shared.ids import new_id, new_ids


def visible_pair(pairs: PairsRepository, tenant_id: str, match_id: str, actor: Actor) -> domain.Pair:
    """An organizer sees every pair of the tenant; a mentor or mentee only their own."""
    pair = pairs.pair(tenant_id, match_id)
    if pair is None or not actor.may_see(pair.mentee_id, pair.mentor_id):
        raise NotFound(f"no pair {match_id} in this tenant")
    return pair


class _OfAPair(Protocol):
    """A goal, milestone or check-in: it belongs to one pair of one tenant."""

    @property
    def tenant_id(self) -> str: ...

    @property
    def match_id(self) -> str: ...


_Item = TypeVar("_Item", bound=_OfAPair)


def _item_and_pair(pairs: PairsRepository, item: _Item | None, what: str, item_id: str,
                   actor: Actor) -> tuple[_Item, domain.Pair]:
    """A goal, milestone or check-in that was found, with the pair it belongs to; a 404 naming the item
    when it is missing or the caller is not one of the pair (so the item's existence does not leak)."""
    missing = NotFound(f"no {what} {item_id} in this tenant")
    if item is None:
        raise missing
    try:
        return item, visible_pair(pairs, item.tenant_id, item.match_id, actor)
    except NotFound:
        raise missing from None


def _goal_and_pair(pairs: PairsRepository, goals: GoalsRepository, tenant_id: str, goal_id: str, actor: Actor,
                   for_update: bool = False) -> tuple[domain.Goal, domain.Pair]:
    return _item_and_pair(pairs, goals.goal(tenant_id, goal_id, for_update=for_update), "goal", goal_id, actor)


def goals_with_milestones(pairs: PairsRepository, goals: GoalsRepository, tenant_id: str, match_id: str,
                          actor: Actor) -> list[dict]:
    visible_pair(pairs, tenant_id, match_id, actor)
    found = goals.goals_of_pair(tenant_id, match_id)
    milestones = goals.milestones_of_goals(tenant_id, [goal.id for goal in found])
    return [{**vars(goal), "milestones": milestones[goal.id]} for goal in found]


def goal_with_milestones(pairs: PairsRepository, goals: GoalsRepository, tenant_id: str, goal_id: str,
                         actor: Actor) -> dict:
    goal, _ = _goal_and_pair(pairs, goals, tenant_id, goal_id, actor)
    return {**vars(goal), "milestones": goals.milestones_of_goals(tenant_id, [goal.id])[goal.id]}


def set_goal(tenant_id: str, match_id: str, actor: Actor, body: dict, uow: FeedbackUnitOfWork) -> dict:
    with uow:
        pair = visible_pair(uow.pairs, tenant_id, match_id, actor)
        goal, milestones = domain.new_goal(
            pair, goal_id=new_id(), title=body["title"], description=body.get("description"),
            target_date=body["target_date"], milestone_ids=new_ids(),
            milestone_titles=[milestone["title"] for milestone in body.get("milestones", [])],
            now=datetime.now(UTC))
        uow.goals.add_goal(goal, milestones)
        uow.commit()
    return {**vars(goal), "milestones": milestones}


def change_goal(tenant_id: str, goal_id: str, actor: Actor, changes: dict, uow: FeedbackUnitOfWork) -> dict:
    with uow:
        goal, pair = _goal_and_pair(uow.pairs, uow.goals, tenant_id, goal_id, actor, for_update=True)
        changed = domain.update_goal(pair, goal, changes, datetime.now(UTC))
        uow.goals.save_goal(changed)
        milestones = uow.goals.milestones_of_goals(tenant_id, [goal.id])[goal.id]
        uow.commit()
    return {**vars(changed), "milestones": milestones}


def add_milestone(tenant_id: str, goal_id: str, actor: Actor, title: str,
                  uow: FeedbackUnitOfWork) -> domain.Milestone:
    with uow:
        goal, pair = _goal_and_pair(uow.pairs, uow.goals, tenant_id, goal_id, actor, for_update=True)
        milestone = domain.new_milestone(pair, goal, milestone_id=new_id(), title=title)
        uow.goals.add_milestone(milestone)
        uow.commit()
    return milestone


def reach_milestone(tenant_id: str, milestone_id: str, actor: Actor,
                    uow: FeedbackUnitOfWork) -> domain.Milestone:
    with uow:
        milestone, pair = _item_and_pair(uow.pairs, uow.goals.milestone(tenant_id, milestone_id, for_update=True),
                                         "milestone", milestone_id, actor)
        reached, events = domain.reach_milestone(pair, milestone, datetime.now(UTC))
        uow.goals.save_milestone(reached)
        uow.publish(events)
        uow.commit()
    return reached


def check_ins(pairs: PairsRepository, goals: GoalsRepository, tenant_id: str, match_id: str,
              actor: Actor) -> list[domain.CheckIn]:
    visible_pair(pairs, tenant_id, match_id, actor)
    return goals.check_ins_of_pair(tenant_id, match_id)


def complete_check_in(tenant_id: str, check_in_id: str, actor: Actor, note: str | None,
                      uow: FeedbackUnitOfWork) -> domain.CheckIn:
    with uow:
        check_in, _ = _item_and_pair(uow.pairs, uow.goals.check_in(tenant_id, check_in_id, for_update=True),
                                     "check-in", check_in_id, actor)
        completed = domain.complete_check_in(check_in, note, datetime.now(UTC))
        uow.goals.save_check_in(completed)
        uow.commit()
    return completed
