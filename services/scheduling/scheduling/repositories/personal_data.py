"""Everything scheduling holds about one person, for their right of access: its copy of them, when
they can meet, their calendar sources, feed tokens, mentorships, sessions and the reminders sent to
them. Every query is by tenant and person (reminders by their sessions); nothing is paged: an
export is one person's."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scheduling.unit_of_work import SchedulingReads

_ALL = 1_000_000  # the repositories page these lists; one person's are far fewer


def export_person(session: Session, tenant_id: str, person_id: str) -> dict | None:
    """None if scheduling does not know the person in this tenant."""
    reads = SchedulingReads(session)
    person = reads.people.person(tenant_id, person_id)
    if person is None:
        return None
    sessions = reads.sessions.of_person(tenant_id, person_id)
    return {
        "person": person,
        "schedule": reads.people.schedule(tenant_id, person_id),
        "calendar_sources": reads.calendars.sources_of(tenant_id, person_id, limit=_ALL),
        "feed_tokens": reads.feed_tokens.tokens_of(tenant_id, person_id, limit=_ALL),
        "mentorships": reads.mentorships.of_person(tenant_id, person_id),
        "sessions": sessions,
        "reminders_sent": reads.reminders.sent_to(tenant_id, person_id, [s.id for s in sessions]),
    }
