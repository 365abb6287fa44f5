"""Matching's unit of work: one transaction and the repositories made on its session
(`uow.matches`, `uow.runs`, ...). `reading()` gives the same repositories on a transaction that
only reads, for a query or for what a use case computes before it writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from matching.repositories.cohorts import CohortsRepository
from matching.repositories.enrollments import EnrollmentsRepository
from matching.repositories.match_requests import MatchRequestsRepository
from matching.repositories.matches import MatchesRepository
from matching.repositories.people import PeopleRepository
from matching.repositories.programs import ProgramsRepository
from matching.repositories.runs import RunsRepository
from mentoring_shared.unit_of_work import UnitOfWork

REPOSITORIES: dict[str, Callable[[Session], Any]] = {
    "runs": RunsRepository, "matches": MatchesRepository, "match_requests": MatchRequestsRepository,
    "people": PeopleRepository, "cohorts": CohortsRepository, "programs": ProgramsRepository,
    "enrollments": EnrollmentsRepository,
}


class MatchingRepositories:
    """Every repository of matching on one session."""

    runs: RunsRepository
    matches: MatchesRepository
    match_requests: MatchRequestsRepository
    people: PeopleRepository
    cohorts: CohortsRepository
    programs: ProgramsRepository
    enrollments: EnrollmentsRepository

    def __init__(self, session: Session):
        for name, repository in REPOSITORIES.items():
            setattr(self, name, repository(session))


class MatchingUnitOfWork(UnitOfWork):
    repositories = REPOSITORIES
    runs: RunsRepository
    matches: MatchesRepository
    match_requests: MatchRequestsRepository
    people: PeopleRepository
    cohorts: CohortsRepository
    programs: ProgramsRepository
    enrollments: EnrollmentsRepository

    @contextmanager
    def reading(self) -> Iterator[MatchingRepositories]:
        """The repositories on a transaction that writes nothing and is rolled back: on SQLite it takes
        no write lock (a `with uow:` block does), so a long read does not hold writers back."""
        with self._session_factory() as session:
            yield MatchingRepositories(session)
