"""A pair's goals: specific, with a target date and progress; milestones on the way, each reached
once and celebrated with an event; check-ins at one and three months, completed with a note."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import mentoring_shared.contracts.feedback as contracts
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import Conflict, InvalidField

OPEN, ACHIEVED, DROPPED = "open", "achieved", "dropped"


@dataclass(frozen=True)
class Pair:
    """Feedback's copy of a confirmed match."""

    match_id: str
    tenant_id: str
    cohort_id: str
    program_id: str
    mentee_id: str
    mentor_id: str
    status: str  # active | ended


@dataclass(frozen=True)
class Goal:
    id: str
    tenant_id: str
    match_id: str
    cohort_id: str
    program_id: str
    title: str
    description: str | None
    target_date: date
    status: str
    progress: int  # percent
    created_at: datetime
    achieved_at: datetime | None
    version: int


@dataclass(frozen=True)
class Milestone:
    id: str
    tenant_id: str
    goal_id: str
    match_id: str
    title: str
    reached_at: datetime | None


@dataclass(frozen=True)
class CheckIn:
    id: str
    tenant_id: str
    match_id: str
    due_on: date
    label: str
    completed_at: datetime | None
    note: str | None


def _require_active(pair: Pair) -> None:
    if pair.status != "active":
        raise Conflict("this pair has ended; its goals can no longer change", current_status=pair.status)


def _check_target_date(target_date: date, today: date) -> None:
    if target_date < today:
        raise InvalidField("target_date", f"must be today ({today.isoformat()}) or later")


def new_goal(pair: Pair, *, goal_id: str, title: str, description: str | None, target_date: date,
             milestone_ids, milestone_titles: list[str], now: datetime) -> tuple[Goal, list[Milestone]]:
    _require_active(pair)
    _check_target_date(target_date, now.date())
    goal = Goal(id=goal_id, tenant_id=pair.tenant_id, match_id=pair.match_id, cohort_id=pair.cohort_id,
                program_id=pair.program_id, title=title, description=description, target_date=target_date,
                status=OPEN, progress=0, created_at=now, achieved_at=None, version=1)
    return goal, [new_milestone(pair, goal, milestone_id=next(milestone_ids), title=milestone_title)
                  for milestone_title in milestone_titles]


def new_milestone(pair: Pair, goal: Goal, *, milestone_id: str, title: str) -> Milestone:
    _require_active(pair)
    return Milestone(id=milestone_id, tenant_id=goal.tenant_id, goal_id=goal.id, match_id=goal.match_id,
                     title=title, reached_at=None)


def update_goal(pair: Pair, goal: Goal, changes: dict[str, Any], now: datetime) -> Goal:
    """Achieving a goal sets its progress to 100 and stamps the day; reopening one clears the stamp."""
    _require_active(pair)
    if "target_date" in changes and changes["target_date"] != goal.target_date:
        _check_target_date(changes["target_date"], now.date())
    updated = replace(goal, **changes, version=goal.version + 1)
    if updated.status == ACHIEVED and goal.status != ACHIEVED:
        updated = replace(updated, progress=100, achieved_at=now)
    elif updated.status != ACHIEVED:
        updated = replace(updated, achieved_at=None)
    return updated


def reach_milestone(pair: Pair, milestone: Milestone, now: datetime) -> tuple[Milestone, list[DomainEvent]]:
    _require_active(pair)
    if milestone.reached_at is not None:
        raise Conflict("this milestone was already reached", reached_at=milestone.reached_at.isoformat())
    reached = replace(milestone, reached_at=now)
    return reached, [DomainEvent(contracts.MILESTONE_REACHED_V1, pair.tenant_id, pair.match_id, {
        "milestone_id": reached.id, "goal_id": reached.goal_id, "match_id": pair.match_id,
        "cohort_id": pair.cohort_id, "program_id": pair.program_id, "mentee_id": pair.mentee_id,
        "mentor_id": pair.mentor_id, "reached_at": now.isoformat()})]


def complete_check_in(check_in: CheckIn, note: str | None, now: datetime) -> CheckIn:
    if check_in.completed_at is not None:
        raise Conflict("this check-in was already completed", completed_at=check_in.completed_at.isoformat())
    return replace(check_in, completed_at=now, note=note)
