"""One business transaction: state changes and the events that describe them commit together."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Self

from sqlalchemy import Table
from sqlalchemy.orm import Session, sessionmaker

from mentoring_shared import context
from mentoring_shared.contracts.registry import EventRegistry
from mentoring_shared.db.engine import for_writing
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.messaging.outbox import add_to_outbox, forget_subjects


class UnitOfWork:
    """`with uow: ...; uow.commit()`. Leaving the block without commit rolls everything back,
    events included: an event exists if and only if its state change was committed.

    A service's own unit of work names its repositories, each made on the transaction's session
    when the block opens (`uow.people`, `uow.matches`, ...):

        class ProfilesUnitOfWork(UnitOfWork):
            repositories = {"people": PeopleRepository, "programs": ProgramsRepository}
            people: PeopleRepository
            programs: ProgramsRepository
    """

    repositories: ClassVar[dict[str, Callable[[Session], Any]]] = {}

    def __init__(self, session_factory: sessionmaker[Session], outbox: Table, events: EventRegistry, source: str):
        self._session_factory = session_factory
        self._outbox = outbox
        self._events = events
        self.source = source
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """The transaction's session (repositories are made on it): only inside `with uow:`."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it inside `with uow:`")
        return self._session

    def __enter__(self) -> Self:
        self._session = for_writing(self._session_factory())
        for name, repository in self.repositories.items():
            setattr(self, name, repository(self.session))
        return self

    def __exit__(self, *exc_info) -> None:
        session = self.session
        try:
            if session.in_transaction():
                session.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        self.session.commit()

    def forget(self, tenant_id: str, subjects: list[str]) -> int:
        """Drop the outbox rows of these aggregates (erasure): in this transaction, before publishing."""
        return forget_subjects(self.session, self._outbox, tenant_id, subjects)

    def publish(self, events: Iterable[DomainEvent]) -> list[Envelope]:
        """Add domain events to this transaction, in order, in one statement however many there are;
        returns their envelopes.
        The first payload of each type is validated in full; the rest, built by the same code,
        get a shape check (a bulk import publishes 100,000 at once)."""
        validated: set[str] = set()
        messages = []
        now = Envelope.now()  # one instant for the transaction's events
        for event in events:
            messages.append(self._envelope(event.type, event.tenant_id, event.subject, event.data,
                                           full_check=event.type not in validated, time=now))
            validated.add(event.type)
        add_to_outbox(self.session, self._outbox, messages)
        return [envelope for _, envelope in messages]

    def _envelope(self, event_type: str, tenant_id: str, subject: str, data: dict[str, Any],
                  full_check: bool = True, time: str | None = None) -> tuple[str, Envelope]:
        contract = self._events.contract(event_type)
        return contract.topic, Envelope.new(
            type=event_type, source=self.source, subject=subject, tenant_id=tenant_id,
            data=contract.dump_payload(data) if full_check else contract.check_shape(data),
            correlation_id=context.correlation_id.get(), causation_id=context.causation_id.get(), time=time,
        )
