"""Goals with their milestones, and check-ins, of a pair."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session as DbSession

from feedback import orm
from feedback.domain.goals import CheckIn, Goal, Milestone
from mentoring_shared.db.records import RecordMapping, row_by_key

_GOALS = RecordMapping(Goal, "goal_id")
_MILESTONES = RecordMapping(Milestone, "milestone_id")
_CHECK_INS = RecordMapping(CheckIn, "check_in_id")


class GoalsRepository:
    """A pair's goals, each with its milestones, and the pair's check-ins."""

    def __init__(self, db: DbSession):
        self._db = db

    # --- goals ---
    def add_goal(self, goal: Goal, milestones: list[Milestone]) -> None:
        self._db.execute(insert(orm.goals), [_GOALS.row(goal)])
        if milestones:
            self._db.execute(insert(orm.milestones), [_MILESTONES.row(milestone) for milestone in milestones])

    def save_goal(self, goal: Goal) -> None:
        self._db.execute(update(orm.goals).where(orm.goals.c.goal_id == goal.id).values(**_GOALS.row(goal)))

    def goal(self, tenant_id: str, goal_id: str, for_update: bool = False) -> Goal | None:
        table = orm.goals
        row = row_by_key(self._db, table, for_update, tenant_id=tenant_id, goal_id=goal_id)
        return None if row is None else _GOALS.record(row)

    def goals_of_pair(self, tenant_id: str, match_id: str) -> list[Goal]:
        table = orm.goals
        rows = self._db.execute(select(table).where(table.c.tenant_id == tenant_id, table.c.match_id == match_id)
                                .order_by(table.c.goal_id)).mappings()
        return [_GOALS.record(row) for row in rows]

    # --- milestones ---
    def add_milestone(self, milestone: Milestone) -> None:
        self._db.execute(insert(orm.milestones), [_MILESTONES.row(milestone)])

    def save_milestone(self, milestone: Milestone) -> None:
        self._db.execute(update(orm.milestones).where(orm.milestones.c.milestone_id == milestone.id)
                         .values(**_MILESTONES.row(milestone)))

    def milestone(self, tenant_id: str, milestone_id: str, for_update: bool = False) -> Milestone | None:
        table = orm.milestones
        row = row_by_key(self._db, table, for_update, tenant_id=tenant_id, milestone_id=milestone_id)
        return None if row is None else _MILESTONES.record(row)

    def milestones_of_goals(self, tenant_id: str, goal_ids: list[str]) -> dict[str, list[Milestone]]:
        table = orm.milestones
        found: dict[str, list[Milestone]] = {goal_id: [] for goal_id in goal_ids}
        if goal_ids:
            rows = self._db.execute(select(table).where(table.c.tenant_id == tenant_id, table.c.goal_id.in_(goal_ids))
                                    .order_by(table.c.milestone_id)).mappings()
            for row in rows:
                found[row["goal_id"]].append(_MILESTONES.record(row))
        return found

    # --- check-ins ---
    def check_ins_of_pair(self, tenant_id: str, match_id: str) -> list[CheckIn]:
        table = orm.check_ins
        rows = self._db.execute(select(table).where(table.c.tenant_id == tenant_id, table.c.match_id == match_id)
                                .order_by(table.c.due_on)).mappings()
        return [_CHECK_INS.record(row) for row in rows]

    def add_check_ins(self, check_ins: list[CheckIn]) -> None:
        self._db.execute(insert(orm.check_ins), [_CHECK_INS.row(check_in) for check_in in check_ins])

    def check_in(self, tenant_id: str, check_in_id: str, for_update: bool = False) -> CheckIn | None:
        table = orm.check_ins
        row = row_by_key(self._db, table, for_update, tenant_id=tenant_id, check_in_id=check_in_id)
        return None if row is None else _CHECK_INS.record(row)

    def save_check_in(self, check_in: CheckIn) -> None:
        self._db.execute(update(orm.check_ins).where(orm.check_ins.c.check_in_id == check_in.id)
                         .values(**_CHECK_INS.row(check_in)))
