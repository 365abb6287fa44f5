"""Everything a matching run reads, assembled from matching's own database into the engine's
problem, with digests that tell later whether any of it has changed (a stale proposal)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from matching.capacity import mentor_capacity
from matching.engine.model import BIPARTITE_PROGRAM_TYPES, MatchingProblem, Participant, WorkingHours
from matching.repositories.cohorts import CohortView
from matching.repositories.enrollments import EnrollmentView
from matching.repositories.people import ProfileView
from matching.repositories.programs import ProgramView
from matching.unit_of_work import MatchingRepositories, MatchingUnitOfWork
from mentoring_shared.errors import Conflict, NotFound


@dataclass(frozen=True)
class CohortInputs:
    cohort: CohortView
    program: ProgramView
    problem: MatchingProblem
    skipped: tuple[dict[str, str], ...]   # enrolled people a run leaves out, and why
    digests: dict[str, str]
    participants: tuple[dict[str, Any], ...]  # ids, versions and slots: the run's snapshot of its inputs

    def mentee(self, person_id: str) -> Participant | None:
        return next((p for p in self.problem.mentees if p.person_id == person_id), None)

    def mentor(self, person_id: str) -> Participant | None:
        return next((p for p in self.problem.mentors if p.person_id == person_id), None)


def load_cohort_inputs(repositories: MatchingRepositories | MatchingUnitOfWork, tenant_id: str,
                       cohort_id: str) -> CohortInputs:
    """From the cohorts, programs, enrollments, people and matches repositories (a unit of work's)."""
    cohort = repositories.cohorts.get(tenant_id, cohort_id)
    if cohort is None:
        raise NotFound(f"no cohort {cohort_id} in this tenant")
    program = repositories.programs.get(tenant_id, cohort.program_id)
    if program is None:
        raise Conflict("matching has not yet received this cohort's program; try again shortly")
    if program.type not in BIPARTITE_PROGRAM_TYPES:
        raise Conflict(f"{program.type} programs are not matched by this service yet; "
                       f"it matches {', '.join(BIPARTITE_PROGRAM_TYPES)} programs", program_type=program.type)
    enrolled = [e for e in repositories.enrollments.of_cohort(tenant_id, cohort_id) if e.status == "enrolled"]
    profiles = repositories.people.profiles(tenant_id, [e.person_id for e in enrolled])
    pairings = repositories.matches.pairings(tenant_id)
    managers = repositories.people.reporting_lines(tenant_id)

    participant_ids = {e.person_id for e in enrolled}
    relevant_pairings = sorted(p for p in pairings if p[0] in participant_ids or p[1] in participant_ids)
    mentoring_now: dict[str, int] = {}
    matched_in_cohort: dict[str, int] = {}
    for mentee_id, mentor_id, status, pairing_cohort in relevant_pairings:
        if status == "active":
            mentoring_now[mentor_id] = mentoring_now.get(mentor_id, 0) + 1
            if pairing_cohort == cohort_id:
                matched_in_cohort[mentee_id] = matched_in_cohort.get(mentee_id, 0) + 1

    mentees: list[Participant] = []
    mentors: list[Participant] = []
    skipped: list[dict[str, str]] = []
    snapshot: list[dict[str, Any]] = []
    for enrollment in enrolled:
        profile = profiles.get(enrollment.person_id)
        if profile is None:
            skipped.append({"person_id": enrollment.person_id, "role": enrollment.role,
                            "reason": "matching has not yet received this person's profile"})
            continue
        if profile.status != "active":
            skipped.append({"person_id": enrollment.person_id, "role": enrollment.role,
                            "reason": f"the person is {profile.status}"})
            continue
        if enrollment.role == "mentee":
            slots = enrollment.mentors_wanted - matched_in_cohort.get(enrollment.person_id, 0)
        else:
            slots = mentor_capacity(profile.profile) - mentoring_now.get(enrollment.person_id, 0)
        snapshot.append({"person_id": enrollment.person_id, "role": enrollment.role, "slots": max(slots, 0),
                         "profile_version": profile.version, "enrollment_id": enrollment.enrollment_id,
                         "enrollment_version": enrollment.version})
        if slots <= 0:
            continue  # matched as often as wanted, or mentoring as many as they can
        (mentees if enrollment.role == "mentee" else mentors).append(participant(profile, enrollment, slots))

    previous = frozenset((mentee, mentor) for mentee, mentor, _, _ in relevant_pairings) | frozenset(
        (mentor, mentee) for mentee, mentor, _, _ in relevant_pairings)
    problem = MatchingProblem(
        program_type=program.type, weights=program.matching_weights, mentees=tuple(mentees), mentors=tuple(mentors),
        managers=managers, previous_pairs=previous, meeting_minutes=program.meeting_minutes,
        reference_date=reference_monday(cohort.starts_on))
    digests = {
        "cohort": str(cohort.version), "program": str(program.version),
        "enrollments": _digest(sorted((e.enrollment_id, e.version, e.status) for e in enrolled)),
        "people": _digest(sorted((p.person_id, p.version) for p in profiles.values())),
        "matches": _digest(relevant_pairings),
        "reporting_lines": _digest(sorted(managers.items(), key=lambda item: item[0])),
    }
    return CohortInputs(cohort, program, problem, tuple(skipped), digests, tuple(snapshot))


def participant(profile: ProfileView, enrollment: EnrollmentView, slots: int) -> Participant:
    """One enrolled person as the engine sees them: the enrollment's goals and preferences first."""
    data = profile.profile
    preferences = enrollment.preferences
    hours = data.get("working_hours") or {}
    return Participant(
        person_id=profile.person_id, slots=slots, employee_id=profile.employee_id, department=profile.department,
        title=data.get("title"), seniority_band=data.get("seniority_band"),
        languages=_tags(data.get("languages", ())),
        skills=tuple((skill["name"].strip().lower(), skill["level"]) for skill in data.get("skills", ())),
        interests=_tags(data.get("interests", ())),
        goals=_tags(enrollment.goals or data.get("goals", ())),
        goals_text=enrollment.goals_text or data.get("goals_text"),
        time_zone=data.get("time_zone") or "UTC",
        working_hours=WorkingHours(start=hours.get("start", "09:00"), end=hours.get("end", "17:00"),
                                   days=tuple(hours.get("days", (1, 2, 3, 4, 5)))),
        preferred_skills=_tags(preferences.get("skills", ())),
        preferred_languages=_tags(preferences.get("languages", ())),
        preferred_departments=tuple(preferences.get("departments", ())),
        avoid_person_ids=tuple(preferences.get("avoid_person_ids", ())),
    )


def reference_monday(starts_on: date | None) -> date:
    """Time zones are compared on the cohort's first week (daylight saving differs by season)."""
    day = starts_on or datetime.now(UTC).date()
    return day - timedelta(days=day.weekday())


def _tags(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(value).strip().lower() for value in values if str(value).strip()))


def _digest(values) -> str:
    return hashlib.sha256(orjson.dumps(values)).hexdigest()[:32]
