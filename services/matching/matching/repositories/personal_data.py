"""Everything matching holds about one person, for their right of access: its copy of them, their
enrollments as matching knows them, their matches and requests, and the proposed pairs naming them.
Every query is by tenant and person; an export is one person's, so nothing is paged."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching import orm
from matching.repositories.matching import MatchingRecords
from matching.repositories.read_model import ReadModel


def export_person(session: Session, tenant_id: str, person_id: str) -> dict | None:
    """None if matching does not know the person in this tenant."""
    person = _row(session, orm.people, tenant_id, person_id)
    if person is None:
        return None
    records = MatchingRecords(session)
    return {
        "person": person,
        "profile": _row(session, orm.person_profiles, tenant_id, person_id),
        "enrollments": ReadModel(session).enrollments_of(tenant_id, person_id),
        "matches": records.matches_of(tenant_id, person_id, active_only=False),
        "match_requests": records.requests_involving(tenant_id, person_id),
        "run_pairs": records.run_pairs_naming(tenant_id, person_id),
    }


def _row(session: Session, table, tenant_id: str, person_id: str) -> dict | None:
    row = session.execute(select(table).where(table.c.tenant_id == tenant_id,
                                              table.c.person_id == person_id)).mappings().first()
    return None if row is None else dict(row)
