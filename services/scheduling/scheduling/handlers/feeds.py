"""Personal ICS feeds: a secret URL per token that calendar apps (Google, Outlook, Apple) subscribe
to, listing the person's sessions. The token is shown once, at creation; only its SHA-256 is
stored, so the database cannot give it away. Revoking a token stops its feed at once."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from mentoring_shared.actors import Actor
from mentoring_shared.errors import Forbidden, NotFound
from mentoring_shared.ids import new_id
from mentoring_shared.people_replica import GONE_STATUSES
from scheduling.calendar_entries import entry_for_session, session_row
from scheduling.calendars.feeds import personal_feed
from scheduling.handlers.calendars import person_in_reach
from scheduling.metrics import FEEDS_SERVED
from scheduling.settings import SchedulingSettings
from scheduling.unit_of_work import SchedulingReads, SchedulingUnitOfWork

FEED_PAST = timedelta(days=30)  # how far back a feed reaches: recent sessions stay visible


def create_feed_token(tenant_id: str, person_id: str, actor: Actor, uow: SchedulingUnitOfWork) -> tuple[dict, str]:
    """A new feed token for the person: its row (without the secret) and the secret itself."""
    token = secrets.token_urlsafe(32)
    with uow:
        person_in_reach(uow.people, tenant_id, person_id, actor)
        row = uow.feed_tokens.add(token, new_id(), tenant_id, person_id, _now())
        uow.commit()
    return row, token


def feed_tokens_of(tenant_id: str, person_id: str, actor: Actor, limit: int, after: str | None,
                   reads: SchedulingReads | SchedulingUnitOfWork) -> list[dict]:
    person_in_reach(reads.people, tenant_id, person_id, actor)
    return reads.feed_tokens.tokens_of(tenant_id, person_id, limit=limit, after=after)


def revoke_feed_token(tenant_id: str, token_id: str, actor: Actor, uow: SchedulingUnitOfWork) -> dict:
    """Revoke a token: its feed answers 404 from now on. Revoking twice is harmless."""
    with uow:
        tokens = uow.feed_tokens
        row = tokens.token(tenant_id, token_id)
        if row is None:
            raise NotFound(f"no feed token {token_id} in this tenant")
        if not actor.may_see(row["person_id"]):
            raise Forbidden("mentors and mentees manage only their own feeds")
        tokens.revoke(tenant_id, token_id, _now())
        row = tokens.token(tenant_id, token_id)
        assert row is not None, "revoking marks the token and keeps its row"
        uow.commit()
    return row


def forget_feed_tokens(uow: SchedulingUnitOfWork, tenant_id: str, person_id: str) -> int:
    """Drop a person's feed tokens within the caller's transaction: for their erasure."""
    return uow.feed_tokens.remove_all_of(tenant_id, person_id)


def feed_for_token(token: str, settings: SchedulingSettings, reads: SchedulingReads | SchedulingUnitOfWork) -> bytes:
    """The feed a live token opens: the person's sessions, scheduled or held, from FEED_PAST ago
    on; cancelled ones are left out, so subscribers drop them. A token that is unknown, revoked, or
    whose person has left is a 404, the same for each, so nothing is learnt by guessing."""
    now = _now()
    row = reads.feed_tokens.live(token)
    people = reads.people
    person = None if row is None else people.person(row["tenant_id"], row["person_id"])
    if row is None or person is None or person["status"] in GONE_STATUSES:
        FEEDS_SERVED.labels("not_found").inc()
        raise NotFound("no such feed")
    sessions = reads.sessions.for_feed(row["tenant_id"], row["person_id"], now - FEED_PAST)
    others = people.people(row["tenant_id"], {p for s in sessions for p in s.attendees()})
    entries = [entry_for_session(session_row(session), _participant(others, session.mentee_id),
                                 _participant(others, session.mentor_id), organizer=settings.organizer)
               for session in sessions]
    FEEDS_SERVED.labels("ok").inc()
    return personal_feed(f"Mentoring: {person['name']}", entries, now)


def _participant(people: dict[str, dict], person_id: str) -> dict:
    # Someone profiles has not told scheduling about yet still gets a valid (undeliverable) address.
    return people.get(person_id) or {"name": "Participant", "email": f"{person_id}@unknown.invalid"}


def _now() -> datetime:
    return datetime.now(UTC)
