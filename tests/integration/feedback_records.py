"""Rows written straight into feedback's database: people, programs and pairs as profiles' and
matching's events would leave them, for tests that need a pair without running that pipeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mentoring_shared.ids import new_id
from tests.integration.scheduling_records import insert_person, insert_row

UTC = UTC


def insert_program(app, tenant_id: str, *, privacy_threshold: int = 5, pulse_first_after_days: int = 30,
                   pulse_every_days: int = 60) -> dict:
    return insert_row(app, "programs", {
        "tenant_id": tenant_id, "program_id": new_id(), "version": 1, "name": "Engineering mentoring",
        "privacy_threshold": privacy_threshold, "pulse_first_after_days": pulse_first_after_days,
        "pulse_every_days": pulse_every_days})


def insert_pair(app, tenant_id: str, *, program: dict | None = None, confirmed_days_ago: float = 1,
                status: str = "active") -> dict:
    """A confirmed pair of two new people (in feedback's copy of the people) in a program of its own."""
    program = program or insert_program(app, tenant_id)
    mentee, mentor = insert_person(app, tenant_id), insert_person(app, tenant_id)
    return insert_row(app, "pairs", {
        "match_id": new_id(), "tenant_id": tenant_id, "cohort_id": new_id(), "program_id": program["program_id"],
        "mentee_id": mentee["person_id"], "mentor_id": mentor["person_id"], "status": status,
        "confirmed_at": datetime.now(UTC) - timedelta(days=confirmed_days_ago),
        "ended_at": None if status == "active" else datetime.now(UTC), "end_reason": None,
        "health": "on_track", "health_reasons": [], "health_evaluated_at": None})
