"""A unit of work without a database, for handler unit tests (no server): the repositories are the
test's in-memory fakes, and the events a handler publishes are kept for the test to read.

Events are validated against their contracts exactly as the real outbox validates them, and they
count only once committed: a handler that forgets `uow.commit()`, or fails before it, publishes
nothing, as with the real one. (Fake repositories keep what they were given either way: a test
that cares whether state was written checks `committed`.)"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

from mentoring_shared.contracts.catalog import platform_events
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.unit_of_work import UnitOfWork


class FakeUnitOfWork(UnitOfWork):
    """`FakeUnitOfWork(people=FakePeople(), ...)`: each keyword becomes `uow.<name>`."""

    def __init__(self, source: str = "/test", **repositories: Any):
        super().__init__(session_factory=None, outbox=None, events=platform_events(), source=source)  # type: ignore[arg-type]
        for name, repository in repositories.items():
            setattr(self, name, repository)
        self.published: list[DomainEvent] = []   # committed, in order
        self.forgotten: list[tuple[str, list[str]]] = []
        self.commits = 0
        self._pending: list[DomainEvent] = []
        self._pending_forgotten: list[tuple[str, list[str]]] = []

    @property
    def committed(self) -> bool:
        return self.commits > 0

    def __enter__(self) -> Self:
        self._pending, self._pending_forgotten = [], []
        return self

    def __exit__(self, *exc_info) -> None:
        self._pending, self._pending_forgotten = [], []  # what was not committed is rolled back

    def commit(self) -> None:
        self.published.extend(self._pending)
        self.forgotten.extend(self._pending_forgotten)
        self._pending, self._pending_forgotten = [], []
        self.commits += 1

    def publish(self, events: Iterable[DomainEvent]) -> list[Envelope]:
        events = list(events)
        envelopes = [self._envelope(event.type, event.tenant_id, event.subject, event.data) for event in events]
        self._pending.extend(events)
        return [envelope for _, envelope in envelopes]

    def forget(self, tenant_id: str, subjects: list[str]) -> int:
        self._pending_forgotten.append((tenant_id, list(subjects)))
        return len(subjects)

    def published_types(self) -> list[str]:
        return [event.type for event in self.published]
