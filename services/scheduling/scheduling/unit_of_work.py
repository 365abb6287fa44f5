"""Scheduling's unit of work: one transaction and the repositories on it (`uow.mentorships`,
`uow.sessions`, ...); and the same repositories on a plain session, for reads that write nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.unit_of_work import UnitOfWork
from scheduling.repositories.calendars import CalendarsRepository
from scheduling.repositories.feeds import FeedTokensRepository
from scheduling.repositories.mentorships import MentorshipsRepository
from scheduling.repositories.people import PeopleRepository
from scheduling.repositories.programs import ProgramsRepository
from scheduling.repositories.reminders import RemindersRepository
from scheduling.repositories.sessions import SessionsRepository

REPOSITORIES: dict[str, Callable[[Session], Any]] = {
    "mentorships": MentorshipsRepository, "sessions": SessionsRepository, "reminders": RemindersRepository,
    "people": PeopleRepository, "programs": ProgramsRepository, "calendars": CalendarsRepository,
    "feed_tokens": FeedTokensRepository,
}


class SchedulingUnitOfWork(UnitOfWork):
    repositories = REPOSITORIES
    mentorships: MentorshipsRepository
    sessions: SessionsRepository
    reminders: RemindersRepository
    people: PeopleRepository
    programs: ProgramsRepository
    calendars: CalendarsRepository
    feed_tokens: FeedTokensRepository


class SchedulingReads:
    """The unit of work's repositories on a plain session: for a GET, which writes nothing and so
    needs no outbox (and, on SQLite, takes no write lock). Read handlers take either this or a unit
    of work inside `with uow:` (or a test's FakeUnitOfWork): each has the same attributes."""

    mentorships: MentorshipsRepository
    sessions: SessionsRepository
    reminders: RemindersRepository
    people: PeopleRepository
    programs: ProgramsRepository
    calendars: CalendarsRepository
    feed_tokens: FeedTokensRepository

    def __init__(self, session: Session):
        for name, repository in REPOSITORIES.items():
            setattr(self, name, repository(session))


@contextmanager
def reading(runtime: ServiceRuntime) -> Iterator[SchedulingReads]:
    """`with reading(current_runtime()) as reads:` the repositories on a session closed after."""
    with runtime.sessions() as session:
        yield SchedulingReads(session)
