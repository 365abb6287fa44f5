"""What one service process holds: its settings, its database and its unit-of-work factory.
Built by the composition roots (app.py, worker.py); nothing here runs at import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic

from sqlalchemy import Connection, Engine, MetaData, Table
from sqlalchemy.orm import Session, sessionmaker
from typing_extensions import TypeVar

from mentoring_shared.config import ServiceSettings, load_service_settings
from mentoring_shared.contracts.catalog import platform_events
from mentoring_shared.contracts.registry import EventRegistry
from mentoring_shared.db.engine import make_engine, make_session_factory
from mentoring_shared.db.reads import single_statement_engine
from mentoring_shared.logs import configure_logging
from mentoring_shared.unit_of_work import UnitOfWork

# The service's own unit of work (with its repositories), so `runtime.unit_of_work()` is typed as it.
UnitOfWorkT = TypeVar("UnitOfWorkT", bound=UnitOfWork, default=UnitOfWork, covariant=True)


@dataclass
class ServiceRuntime(Generic[UnitOfWorkT]):
    settings: ServiceSettings
    engine: Engine
    sessions: sessionmaker[Session]
    outbox: Table
    inbox: Table
    events: EventRegistry
    broker_log_marks: Table
    outbox_republishes: Table
    single_statement_reads: Engine
    unit_of_work_class: type[UnitOfWorkT] = UnitOfWork  # type: ignore[assignment]  # the service's own

    @classmethod
    def build(cls, settings: ServiceSettings, metadata: MetaData,
              unit_of_work_class: type[UnitOfWorkT] = UnitOfWork) -> ServiceRuntime[UnitOfWorkT]:  # type: ignore[assignment]
        engine = make_engine(settings.database_url)
        return cls(settings=settings, engine=engine, sessions=make_session_factory(engine),
                   outbox=metadata.tables["outbox"], inbox=metadata.tables["inbox"], events=platform_events(),
                   broker_log_marks=metadata.tables["broker_log_marks"],
                   outbox_republishes=metadata.tables["outbox_republishes"],
                   single_statement_reads=single_statement_engine(engine), unit_of_work_class=unit_of_work_class)

    @classmethod
    def from_environment(cls, service: str, metadata: MetaData, environ: Mapping[str, str] | None = None,
                         serves_http: bool = True,
                         unit_of_work_class: type[UnitOfWorkT] = UnitOfWork,  # type: ignore[assignment]
                         ) -> ServiceRuntime[UnitOfWorkT]:
        """Settings from the environment (failing fast on a bad one), JSON logging, the database."""
        settings = load_service_settings(service, environ, serves_http)
        configure_logging(service, settings.log_level)
        return cls.build(settings, metadata, unit_of_work_class)

    @property
    def service(self) -> str:
        return self.settings.service

    def unit_of_work(self) -> UnitOfWorkT:
        return self.unit_of_work_class(self.sessions, self.outbox, self.events, source=f"/{self.service}")

    def single_statement_read(self) -> Connection:
        """`with runtime.single_statement_read() as connection:` for a read that is one statement
        (a GET by id, a page): see db/reads.py."""
        return self.single_statement_reads.connect()
