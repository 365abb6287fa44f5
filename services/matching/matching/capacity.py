"""How many more pairs a person can take: a mentor up to their capacity across all cohorts, a
mentee up to the mentors they asked for in the cohort. Runs, requests and rematches agree on it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching import orm

# A mentor whose profile gives no capacity still mentors one person.
DEFAULT_MENTOR_CAPACITY = 1


def mentor_capacity(profile: dict) -> int:
    return profile.get("mentor_capacity") or DEFAULT_MENTOR_CAPACITY


def mentor_slots_left(session: Session, tenant_id: str, mentor_id: str, profile: dict) -> int:
    mentoring = session.execute(select(func.count()).select_from(orm.matches).where(
        orm.matches.c.tenant_id == tenant_id, orm.matches.c.mentor_id == mentor_id,
        orm.matches.c.status == "active")).scalar_one()
    return mentor_capacity(profile) - mentoring


def mentee_slots_left(session: Session, tenant_id: str, cohort_id: str, mentee_id: str, mentors_wanted: int) -> int:
    matched = session.execute(select(func.count()).select_from(orm.matches).where(
        orm.matches.c.tenant_id == tenant_id, orm.matches.c.cohort_id == cohort_id,
        orm.matches.c.mentee_id == mentee_id, orm.matches.c.status == "active")).scalar_one()
    return mentors_wanted - matched
