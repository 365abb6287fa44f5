"""Everything matching holds about one person, for their right of access: its copy of them, their
enrollments as matching knows them, their matches and requests, and the proposed pairs naming them.
Every query is by tenant and person; an export is one person's, so nothing is paged."""

from __future__ import annotations

from sqlalchemy.orm import Session

from matching.unit_of_work import MatchingRepositories


def export_person(session: Session, tenant_id: str, person_id: str) -> dict | None:
    """None if matching does not know the person in this tenant."""
    reads = MatchingRepositories(session)
    person = reads.people.person_row(tenant_id, person_id)
    if person is None:
        return None
    return {
        "person": person,
        "profile": reads.people.profile_row(tenant_id, person_id),
        "enrollments": reads.enrollments.of_person(tenant_id, person_id),
        "matches": reads.matches.of_person(tenant_id, person_id, active_only=False),
        "match_requests": reads.match_requests.involving(tenant_id, person_id),
        "run_pairs": reads.runs.pairs_naming(tenant_id, person_id),
    }
