"""Mentorships and their sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session as DbSession

from mentoring_shared.db.bulk import insert_many
from mentoring_shared.db.records import RecordMapping

from scheduling import orm
from scheduling.domain.mentorships import Mentorship
from scheduling.domain.sessions import SCHEDULED, Session


SESSIONS = RecordMapping(Session, "session_id", sequences=("confirmations",))
_MENTORSHIPS = RecordMapping(Mentorship, "mentorship_id")


class Plans:
    def __init__(self, session: DbSession):
        self._db = session

    # --- mentorships ---
    def add_mentorship(self, mentorship: Mentorship) -> bool:
        """False if it is already there (a redelivered match-confirmed)."""
        if self.mentorship(mentorship.tenant_id, mentorship.id) is not None:
            return False
        self._db.execute(insert(orm.mentorships), [_MENTORSHIPS.row(mentorship)])
        return True

    def save_mentorship(self, mentorship: Mentorship) -> None:
        self._db.execute(update(orm.mentorships).where(orm.mentorships.c.mentorship_id == mentorship.id)
                         .values(**_MENTORSHIPS.row(mentorship)))

    def mentorship(self, tenant_id: str, mentorship_id: str, for_update: bool = False) -> Mentorship | None:
        table = orm.mentorships
        query = select(table).where(table.c.tenant_id == tenant_id, table.c.mentorship_id == mentorship_id)
        row = self._db.execute(query.with_for_update() if for_update else query).mappings().first()
        return None if row is None else _MENTORSHIPS.record(row)

    def mentorships(self, tenant_id: str, *, limit: int, after: str | None = None, cohort_id: str | None = None,
                    person_id: str | None = None, status: str | None = None) -> list[Mentorship]:
        table = orm.mentorships
        query = select(table).where(table.c.tenant_id == tenant_id)
        if cohort_id:
            query = query.where(table.c.cohort_id == cohort_id)
        if person_id:
            query = query.where((table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
        if status:
            query = query.where(table.c.status == status)
        if after:
            query = query.where(table.c.mentorship_id > after)
        rows = self._db.execute(query.order_by(table.c.mentorship_id).limit(limit)).mappings()
        return [_MENTORSHIPS.record(row) for row in rows]

    def mentorships_of(self, tenant_id: str, person_id: str) -> list[Mentorship]:
        return self.mentorships(tenant_id, limit=10_000, person_id=person_id)

    # --- sessions ---
    def add_sessions(self, sessions: list[Session]) -> None:
        insert_many(self._db, orm.sessions, [SESSIONS.row(session) for session in sessions])

    def save_session(self, session: Session) -> None:
        self._db.execute(update(orm.sessions).where(orm.sessions.c.session_id == session.id)
                         .values(**SESSIONS.row(session)))

    def session(self, tenant_id: str, session_id: str, for_update: bool = False) -> Session | None:
        table = orm.sessions
        query = select(table).where(table.c.tenant_id == tenant_id, table.c.session_id == session_id)
        row = self._db.execute(query.with_for_update() if for_update else query).mappings().first()
        return None if row is None else SESSIONS.record(row)

    def sessions(self, tenant_id: str, *, limit: int, after: str | None = None, mentorship_id: str | None = None,
                 person_id: str | None = None) -> list[Session]:
        table = orm.sessions
        query = select(table).where(table.c.tenant_id == tenant_id)
        if mentorship_id:
            query = query.where(table.c.mentorship_id == mentorship_id)
        if person_id:
            query = query.where((table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
        if after:
            query = query.where(table.c.session_id > after)
        rows = self._db.execute(query.order_by(table.c.session_id).limit(limit)).mappings()
        return [SESSIONS.record(row) for row in rows]

    def sessions_of(self, tenant_id: str, person_id: str) -> list[Session]:
        """Every session the person was or is in, oldest first."""
        table = orm.sessions
        rows = self._db.execute(select(table).where(
            table.c.tenant_id == tenant_id, (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
            .order_by(table.c.starts_at, table.c.session_id)).mappings()
        return [SESSIONS.record(row) for row in rows]

    def mentorships_with_kickoff(self, tenant_id: str, cohort_id: str) -> set[str]:
        """Mentorships of the cohort whose kickoff is booked or held (a cancelled one does not count)."""
        table = orm.sessions
        return set(self._db.execute(select(table.c.mentorship_id).where(
            table.c.tenant_id == tenant_id, table.c.cohort_id == cohort_id, table.c.kind == "kickoff",
            table.c.status != "cancelled")).scalars())

    def booked(self, tenant_id: str, person_ids: Iterable[str], start: datetime, end: datetime) -> list[Session]:
        """Scheduled sessions of these people overlapping [start, end): what makes them busy."""
        people = sorted(set(person_ids))
        table = orm.sessions
        found: dict[str, Session] = {}
        for first in range(0, len(people), 500):
            chunk = people[first:first + 500]
            rows = self._db.execute(select(table).where(
                table.c.tenant_id == tenant_id, table.c.status == SCHEDULED, table.c.starts_at < end,
                table.c.ends_at > start, table.c.mentee_id.in_(chunk) | table.c.mentor_id.in_(chunk))).mappings()
            for row in rows:
                found[row["session_id"]] = SESSIONS.record(row)
        return sorted(found.values(), key=lambda s: (s.starts_at, s.id))

    def future_sessions_of(self, tenant_id: str, *, now: datetime, person_id: str | None = None,
                           mentorship_id: str | None = None) -> list[Session]:
        table = orm.sessions
        query = select(table).where(table.c.tenant_id == tenant_id, table.c.status == SCHEDULED,
                                    table.c.starts_at > now)
        if person_id:
            query = query.where((table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
        if mentorship_id:
            query = query.where(table.c.mentorship_id == mentorship_id)
        rows = self._db.execute(query.order_by(table.c.starts_at).with_for_update()).mappings()
        return [SESSIONS.record(row) for row in rows]
