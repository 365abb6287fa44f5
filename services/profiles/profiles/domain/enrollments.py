"""Enrollments: a person taking part in a cohort with a role, goals and preferences."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import mentoring_shared.contracts.profiles as contracts
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import Conflict, InvalidField
from profiles.domain.cohorts import Cohort
from profiles.domain.people import Person
from profiles.domain.programs import ROLES_BY_TYPE, Program
from profiles.domain.tags import normalized_tags

MAX_MENTORS_WANTED = 3


@dataclass(frozen=True)
class Preferences:
    """What a participant hopes for in a match, and whom they must not be matched with."""

    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    avoid_person_ids: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"skills": list(self.skills), "languages": list(self.languages),
                "departments": list(self.departments), "avoid_person_ids": list(self.avoid_person_ids)}


@dataclass(frozen=True)
class Enrollment:
    id: str
    tenant_id: str
    cohort_id: str
    program_id: str
    person_id: str
    role: str
    status: str  # enrolled | withdrawn
    version: int
    created_at: datetime
    updated_at: datetime
    goals: tuple[str, ...] = ()
    goals_text: str | None = None
    preferences: Preferences = field(default_factory=Preferences)
    mentors_wanted: int = 1
    withdrawal_reason: str | None = None

    def snapshot(self) -> dict[str, Any]:
        return {"enrollment_id": self.id, "version": self.version, "cohort_id": self.cohort_id,
                "program_id": self.program_id, "person_id": self.person_id, "role": self.role,
                "status": self.status, "goals": list(self.goals), "goals_text": self.goals_text,
                "preferences": self.preferences.as_dict(), "mentors_wanted": self.mentors_wanted}


def enroll(*, enrollment_id: str, person: Person, cohort: Cohort, program: Program, role: str, now: datetime,
           already_enrolled: bool, goals=(), goals_text: str | None = None, preferences: dict | None = None,
           mentors_wanted: int = 1) -> tuple[Enrollment, list[DomainEvent]]:
    if person.status != "active":
        raise Conflict(f"only active people can enroll; this person is {person.status}", fields=["person_id"])
    if not cohort.accepts_enrollments:
        raise Conflict(f"the cohort is {cohort.status}; it accepts enrollments only while enrolling",
                       current_status=cohort.status)
    allowed_roles = ROLES_BY_TYPE[program.type]
    if role not in allowed_roles:
        raise InvalidField("role", f"a {program.type} program takes roles: {', '.join(allowed_roles)}")
    if already_enrolled:
        raise Conflict(f"this person is already enrolled in this cohort as a {role}", fields=["person_id", "role"])
    if not 1 <= mentors_wanted <= MAX_MENTORS_WANTED:
        raise InvalidField("mentors_wanted", f"must be 1 to {MAX_MENTORS_WANTED}")
    wanted = preferences or {}
    avoid = _unique_ids(wanted.get("avoid_person_ids", ()))
    if person.id in avoid:
        raise InvalidField("preferences.avoid_person_ids", "cannot list the person themselves")
    enrollment = Enrollment(
        id=enrollment_id, tenant_id=person.tenant_id, cohort_id=cohort.id, program_id=program.id,
        person_id=person.id, role=role, status="enrolled", version=1, created_at=now, updated_at=now,
        goals=normalized_tags(goals), goals_text=goals_text,
        preferences=Preferences(skills=normalized_tags(wanted.get("skills", ())),
                                languages=normalized_tags(wanted.get("languages", ())),
                                departments=tuple(dict.fromkeys(d.strip() for d in wanted.get("departments", ()))),
                                avoid_person_ids=avoid),
        mentors_wanted=mentors_wanted if role == "mentee" else 1,
    )
    return enrollment, [DomainEvent(contracts.ENROLLMENT_CREATED_V1, enrollment.tenant_id, enrollment.id,
                                    enrollment.snapshot())]


def withdraw(enrollment: Enrollment, cohort: Cohort, reason: str | None,
             now: datetime) -> tuple[Enrollment, list[DomainEvent]]:
    if enrollment.status == "withdrawn":
        raise Conflict("this enrollment is already withdrawn")
    if cohort.status in ("closed", "archived"):
        raise Conflict(f"the cohort is {cohort.status}: its enrollments are history")
    updated = replace(enrollment, status="withdrawn", withdrawal_reason=reason, version=enrollment.version + 1,
                      updated_at=now)
    return updated, [DomainEvent(contracts.ENROLLMENT_WITHDRAWN_V1, updated.tenant_id, updated.id, {
        "enrollment_id": updated.id, "version": updated.version, "cohort_id": updated.cohort_id,
        "person_id": updated.person_id, "role": updated.role, "reason": reason})]


def scrub(enrollment: Enrollment, now: datetime) -> tuple[Enrollment, list[DomainEvent]]:
    """Remove what the enrollment says about an erased person; a live one is withdrawn."""
    cleared = replace(enrollment, goals=(), goals_text=None, preferences=Preferences(),
                      withdrawal_reason=None, updated_at=now)
    if enrollment.status == "withdrawn":
        return cleared, []
    withdrawn = replace(cleared, status="withdrawn", withdrawal_reason="person erased", version=enrollment.version + 1)
    return withdrawn, [DomainEvent(contracts.ENROLLMENT_WITHDRAWN_V1, withdrawn.tenant_id, withdrawn.id, {
        "enrollment_id": withdrawn.id, "version": withdrawn.version, "cohort_id": withdrawn.cohort_id,
        "person_id": withdrawn.person_id, "role": withdrawn.role, "reason": "person erased"})]


def _unique_ids(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(value).strip() for value in values if str(value).strip()))
