"""Everything scheduling holds about one person, for their right of access: its copy of them, when
they can meet, their calendar sources, feed tokens, mentorships, sessions and the reminders sent to
them. Every query is by tenant and person (reminders by their sessions); nothing is paged: an
export is one person's."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling import orm
from scheduling.repositories.calendars import CalendarSources
from scheduling.repositories.feeds import FeedTokens
from scheduling.repositories.people import People
from scheduling.repositories.plans import Plans

_ALL = 1_000_000  # the repositories page these lists; one person's are far fewer


def export_person(session: Session, tenant_id: str, person_id: str) -> dict | None:
    """None if scheduling does not know the person in this tenant."""
    person = People(session).person(tenant_id, person_id)
    if person is None:
        return None
    plans = Plans(session)
    sessions = plans.sessions_of(tenant_id, person_id)
    return {
        "person": person,
        "schedule": session.execute(select(orm.person_schedules).where(
            orm.person_schedules.c.tenant_id == tenant_id,
            orm.person_schedules.c.person_id == person_id)).mappings().first(),
        "calendar_sources": CalendarSources(session).sources_of(tenant_id, person_id, limit=_ALL),
        "feed_tokens": FeedTokens(session).tokens_of(tenant_id, person_id, limit=_ALL),
        "mentorships": plans.mentorships_of(tenant_id, person_id),
        "sessions": sessions,
        "reminders_sent": _reminders_sent(session, tenant_id, person_id, [s.id for s in sessions]),
    }


def _reminders_sent(session: Session, tenant_id: str, person_id: str, session_ids: list[str]) -> list[dict]:
    """By session id first: the table's key leads with it."""
    table = orm.reminders_sent
    found: list[dict] = []
    for start in range(0, len(session_ids), 1000):  # bounded IN lists
        rows = session.execute(select(table).where(
            table.c.session_id.in_(session_ids[start:start + 1000]), table.c.person_id == person_id,
            table.c.tenant_id == tenant_id).order_by(table.c.sent_at)).mappings()
        found += [dict(row) for row in rows]
    return found
