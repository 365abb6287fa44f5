"""Everything feedback holds about one person, for their right of access: its copy of them, the
feedback requests addressed to them and the answers they gave, and their pairs with each pair's
health, goals (with milestones) and check-ins. Queries are by tenant and person, then by pair;
nothing is paged: an export is one person's."""

from __future__ import annotations

from sqlalchemy.orm import Session

from feedback.repositories.goals import GoalsRepository
from feedback.repositories.pairs import PairsRepository
from feedback.repositories.people import PeopleRepository
from feedback.repositories.submissions import SubmissionsRepository


def export_person(session: Session, tenant_id: str, person_id: str) -> dict | None:
    """None if feedback does not know the person in this tenant."""
    person = PeopleRepository(session).person(tenant_id, person_id)
    if person is None:
        return None
    submissions = SubmissionsRepository(session)
    return {
        "person": person,
        "feedback_requests": submissions.requests_addressed_to(tenant_id, person_id),
        "feedback_given": submissions.feedback_given_by(tenant_id, person_id),
        "pairs": [_with_goals_and_check_ins(GoalsRepository(session), tenant_id, pair)
                  for pair in PairsRepository(session).pairs_of_person(tenant_id, person_id)],
    }


def _with_goals_and_check_ins(goals: GoalsRepository, tenant_id: str, pair: dict) -> dict:
    found = goals.goals_of_pair(tenant_id, pair["match_id"])
    milestones = goals.milestones_of_goals(tenant_id, [goal.id for goal in found])
    return {**pair, "goals": [{**vars(goal), "milestones": milestones[goal.id]} for goal in found],
            "check_ins": goals.check_ins_of_pair(tenant_id, pair["match_id"])}
