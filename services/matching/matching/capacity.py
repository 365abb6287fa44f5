"""How many more pairs a person can take: a mentor up to their capacity across all cohorts, a
mentee up to the mentors they asked for in the cohort. Runs, requests and rematches agree on it."""

from __future__ import annotations

from matching.repositories.matches import MatchesRepository

# A mentor whose profile gives no capacity still mentors one person.
DEFAULT_MENTOR_CAPACITY = 1


def mentor_capacity(profile: dict) -> int:
    return profile.get("mentor_capacity") or DEFAULT_MENTOR_CAPACITY


def mentor_slots_left(matches: MatchesRepository, tenant_id: str, mentor_id: str, profile: dict) -> int:
    return mentor_capacity(profile) - matches.count_active_mentored_by(tenant_id, mentor_id)


def mentee_slots_left(matches: MatchesRepository, tenant_id: str, cohort_id: str, mentee_id: str,
                      mentors_wanted: int) -> int:
    return mentors_wanted - matches.count_active_mentors_of(tenant_id, cohort_id, mentee_id)
