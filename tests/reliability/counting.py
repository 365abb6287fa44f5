"""A consumer whose effect is NOT idempotent (a counter per event), so applying an event twice
would show. Used by the reliability tests, in-process and as a subprocess they kill."""

from __future__ import annotations

import time

from sqlalchemy import text

from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.messaging.envelope import Envelope

CREATE_TABLE = """CREATE TABLE IF NOT EXISTS applications (
    event_id varchar(36) PRIMARY KEY, tenant_id varchar(64) NOT NULL, times integer NOT NULL)"""


def create_counter_table(engine) -> None:
    with engine.begin() as connection:
        connection.execute(text(CREATE_TABLE))


def counting_handler(tenant_id: str | None = None, delay_s: float = 0.0, fail_names: set[str] = frozenset()):
    def count_application(event: Envelope, uow) -> None:
        if tenant_id and event.tenant_id != tenant_id:
            return
        if event.data["name"] in fail_names:
            raise ValueError(f"cannot apply {event.data['name']}")
        uow.session.execute(text(
            "INSERT INTO applications (event_id, tenant_id, times) VALUES (:id, :tenant, 1) "
            "ON CONFLICT (event_id) DO UPDATE SET times = applications.times + 1"),
            {"id": event.id, "tenant": event.tenant_id})
        if delay_s:
            time.sleep(delay_s)
    return {PERSON_UPSERTED_V1: count_application}


def times_applied(engine, tenant_id: str) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT event_id, times FROM applications WHERE tenant_id = :t"),
                                  {"t": tenant_id}).all()
    return {row.event_id: row.times for row in rows}
