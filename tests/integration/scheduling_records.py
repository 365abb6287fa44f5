"""Rows written straight into scheduling's database for tests that need people and sessions
without running the pipeline that normally fills them (profiles' and matching's events)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from mentoring_shared.ids import new_id

UTC = UTC


def _tables(app):
    return app.extensions["runtime"].outbox.metadata.tables


def insert_row(app, table: str, row: dict) -> dict:
    runtime = app.extensions["runtime"]
    with runtime.sessions() as session:
        session.execute(insert(_tables(app)[table]).values(**row))
        session.commit()
    return row


def insert_person(app, tenant_id: str, *, time_zone: str = "Europe/Berlin", status: str = "active",
                  **overrides) -> dict:
    """A person in scheduling's copy of the people."""
    suffix = uuid.uuid4().hex[:8]
    row = {"tenant_id": tenant_id, "person_id": new_id(), "employee_id": f"E-{suffix}", "name": f"Person {suffix}",
           "email": f"person-{suffix}@example.com", "time_zone": time_zone, "status": status, "version": 1,
           "updated_at": datetime.now(UTC), **overrides}
    insert_row(app, "people", row)
    return row


def insert_session(app, tenant_id: str, mentee_id: str, mentor_id: str, starts_at: datetime, *,
                   minutes: int = 45, status: str = "scheduled", kind: str = "regular", sequence: int = 0) -> dict:
    now = datetime.now(UTC)
    row = {"session_id": new_id(), "tenant_id": tenant_id, "mentorship_id": new_id(), "cohort_id": new_id(),
           "program_id": new_id(), "mentee_id": mentee_id, "mentor_id": mentor_id, "kind": kind, "series_id": None,
           "starts_at": starts_at, "ends_at": starts_at + timedelta(minutes=minutes), "status": status,
           "version": 1, "sequence": sequence, "confirmations": [], "completion": None, "completed_at": None,
           "cancel_reason": None, "cancel_note": None, "cancelled_by": None, "created_at": now, "updated_at": now}
    return insert_row(app, "sessions", row)


def insert_mentorship(app, tenant_id: str, session: dict, *, status: str = "active") -> dict:
    """The mentorship a session inserted by `insert_session` belongs to."""
    today = datetime.now(UTC).date()
    return insert_row(app, "mentorships", {
        "mentorship_id": session["mentorship_id"], "tenant_id": tenant_id, "cohort_id": session["cohort_id"],
        "program_id": session["program_id"], "mentee_id": session["mentee_id"], "mentor_id": session["mentor_id"],
        "status": status, "cadence": "monthly", "meeting_minutes": 45, "starts_on": today,
        "ends_on": today + timedelta(days=180), "version": 1, "pause_note": None, "resume_on": None,
        "end_reason": None})
