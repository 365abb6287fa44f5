"""Erasure's rule for explanations, shared by the repositories that keep them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session


def scrubbed(factors: Iterable[dict]) -> list[dict]:
    """Explanations name skills, departments and goals: their details go, the factors and scores stay."""
    return [{**factor, "detail": "erased"} for factor in factors]


def scrub_pairs_naming(session: Session, table: Table, tenant_id: str, person_id: str) -> None:
    """Scrub the `factors` of every row of `table` (one key column) whose pair names the person."""
    rows = session.execute(select(table).where(
        table.c.tenant_id == tenant_id,
        (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))).mappings().all()
    key = table.primary_key.columns.values()[0]
    for row in rows:
        session.execute(update(table).where(key == row[key.name]).values(factors=scrubbed(row["factors"])))
