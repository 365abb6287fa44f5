"""The unit of work's repositories and its in-memory fake (the one handler unit tests use)."""

import pytest
from sqlalchemy import MetaData, func, select

from mentoring_shared.contracts.catalog import platform_events
from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.db.engine import make_engine, make_session_factory
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.messaging.tables import add_outbox_table
from mentoring_shared.unit_of_work import UnitOfWork
from mentoring_testing.fake_unit_of_work import FakeUnitOfWork


def person_upserted(person_id: str, **changes) -> DomainEvent:
    return DomainEvent(PERSON_UPSERTED_V1, "acme", person_id, {
        "person_id": person_id, "version": 1, "employee_id": None, "name": "Ada", "email": "ada@example.com",
        "time_zone": "UTC", "status": "active", **changes})


class Seen:
    """A repository that remembers the session it was made on."""

    def __init__(self, session):
        self.session = session


def test_a_service_unit_of_work_makes_its_repositories_on_the_transaction_session(tmp_path):
    class ServiceUnitOfWork(UnitOfWork):
        repositories = {"seen": Seen}

    metadata = MetaData()
    outbox = add_outbox_table(metadata)
    engine = make_engine(f"sqlite:///{tmp_path / 'uow.db'}")
    metadata.create_all(engine)
    uow = ServiceUnitOfWork(make_session_factory(engine), outbox, platform_events(), source="/test")
    with uow:
        assert uow.seen.session is uow.session
        envelopes = uow.publish([person_upserted("p-1"), person_upserted("p-2")])
        uow.commit()
    assert [envelope.subject for envelope in envelopes] == ["p-1", "p-2"]
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(outbox)).scalar_one() == 2


def test_the_fake_keeps_committed_events_only():
    uow = FakeUnitOfWork(people={"p-1": "Ada"})
    with uow:
        uow.publish([person_upserted("p-1")])
    assert uow.people == {"p-1": "Ada"} and uow.published == [] and not uow.committed
    with uow:
        uow.publish([person_upserted("p-2")])
        uow.forget("acme", ["p-0"])
        uow.commit()
    assert uow.published_types() == [PERSON_UPSERTED_V1] and uow.forgotten == [("acme", ["p-0"])]


def test_the_fake_refuses_a_payload_the_outbox_would_refuse():
    uow = FakeUnitOfWork()
    with uow, pytest.raises(Exception, match="version"):
        uow.publish([person_upserted("p-1", version=0)])
