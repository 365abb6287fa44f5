"""Sessions: one meeting of a pair, from booking to held, cancelled or missed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import Session as DbSession

from mentoring_shared.db.bulk import insert_many
from mentoring_shared.db.records import RecordMapping, page_query, row_by_key
from scheduling import orm
from scheduling.domain.sessions import SCHEDULED, Session

SESSIONS = RecordMapping(Session, "session_id", sequences=("confirmations",))
FEED_STATUSES = ("scheduled", "completed")
MAX_FEED_SESSIONS = 2000  # a person's feed is bounded like any list: the nearest sessions first


class SessionsRepository:
    def __init__(self, session: DbSession):
        self._db = session

    def add(self, sessions: list[Session]) -> None:
        insert_many(self._db, orm.sessions, [SESSIONS.row(session) for session in sessions])

    def save(self, session: Session) -> None:
        self._db.execute(update(orm.sessions).where(orm.sessions.c.session_id == session.id)
                         .values(**SESSIONS.row(session)))

    def save_completed(self, session: Session) -> None:
        """Only what completing changes (status, completion, its time, version, updated_at)."""
        table = orm.sessions
        self._db.execute(table.update().where(table.c.session_id == session.id).values(
            status=session.status, completion=session.completion, completed_at=session.completed_at,
            version=session.version, updated_at=session.updated_at))

    def get(self, tenant_id: str, session_id: str, for_update: bool = False) -> Session | None:
        row = row_by_key(self._db, orm.sessions, for_update, tenant_id=tenant_id, session_id=session_id)
        return None if row is None else SESSIONS.record(row)

    def page(self, tenant_id: str, *, limit: int, after: str | None = None, mentorship_id: str | None = None,
             person_id: str | None = None) -> list[Session]:
        """By id, after `after`: of a mentorship, of a person (as mentee or mentor)."""
        query = page_query(orm.sessions, "session_id", tenant_id, limit=limit, after=after, involving=person_id,
                           mentorship_id=mentorship_id)
        return [SESSIONS.record(row) for row in self._db.execute(query).mappings()]

    def of_person(self, tenant_id: str, person_id: str) -> list[Session]:
        """Every session the person was or is in, oldest first."""
        table = orm.sessions
        rows = self._db.execute(select(table).where(
            table.c.tenant_id == tenant_id, (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
            .order_by(table.c.starts_at, table.c.session_id)).mappings()
        return [SESSIONS.record(row) for row in rows]

    def for_feed(self, tenant_id: str, person_id: str, since: datetime) -> list[Session]:
        """The person's sessions (as mentee or mentor) held or to be held, starting from `since`,
        nearest first (at most MAX_FEED_SESSIONS)."""
        table = orm.sessions
        rows = self._db.execute(select(table).where(
            table.c.tenant_id == tenant_id, (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id),
            table.c.status.in_(FEED_STATUSES), table.c.starts_at >= since)
            .order_by(table.c.starts_at, table.c.session_id).limit(MAX_FEED_SESSIONS)).mappings()
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

    def future_of(self, tenant_id: str, *, now: datetime, person_id: str | None = None,
                  mentorship_id: str | None = None) -> list[Session]:
        """Scheduled sessions still ahead, of a person or a mentorship, locked for the change."""
        table = orm.sessions
        query = select(table).where(table.c.tenant_id == tenant_id, table.c.status == SCHEDULED,
                                    table.c.starts_at > now)
        if person_id:
            query = query.where((table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
        if mentorship_id:
            query = query.where(table.c.mentorship_id == mentorship_id)
        rows = self._db.execute(query.order_by(table.c.starts_at).with_for_update()).mappings()
        return [SESSIONS.record(row) for row in rows]

    def due_for_reminder(self, now: datetime, lead_minutes: int, limit: int) -> list[Session]:
        """Scheduled sessions of any tenant starting within `lead_minutes` of now whose reminder at
        that lead has not been sent, soonest first; rows another worker holds are skipped."""
        sessions, sent = orm.sessions, orm.reminders_sent
        not_yet = ~exists().where(and_(sent.c.session_id == sessions.c.session_id, sent.c.lead_minutes == lead_minutes))
        rows = self._db.execute(select(sessions).where(
            sessions.c.status == SCHEDULED, sessions.c.starts_at > now,
            sessions.c.starts_at <= now + timedelta(minutes=lead_minutes), not_yet)
            .order_by(sessions.c.starts_at).limit(limit).with_for_update(skip_locked=True)).mappings().all()
        return [SESSIONS.record(row) for row in rows]

    def ended_by(self, moment: datetime, limit: int) -> list[Session]:
        """Scheduled sessions of any tenant that ended by `moment`, earliest first; rows another
        worker holds are skipped."""
        sessions = orm.sessions
        rows = self._db.execute(select(sessions).where(
            sessions.c.status == SCHEDULED, sessions.c.ends_at <= moment)
            .order_by(sessions.c.ends_at).limit(limit).with_for_update(skip_locked=True)).mappings().all()
        return [SESSIONS.record(row) for row in rows]
