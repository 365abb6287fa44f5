"""The relay reads a batch of a long backlog through an index, in order, stopping at the batch's
size, whatever the planner believes of the outbox: unsent rows through the unsent-rows index, a
republish's rows through the primary key. With statistics taken before a burst (a small backlog,
scattered over the table) it fetched every unsent row and sorted the lot, on disk, for each batch:
in the pipeline bench, 30 µs of the database's time per event."""

import importlib

from sqlalchemy import event, text

from mentoring_shared.contracts import topics
from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.messaging.outbox import add_to_outbox
from mentoring_shared.messaging.relay import OutboxRelay

BACKLOG, BATCH = 3_000, 500


def _events(tenant: str, count: int) -> list[tuple[str, Envelope]]:
    return [(topics.PROFILES_PEOPLE, Envelope.new(type=PERSON_UPSERTED_V1, source="profiles", subject=f"person-{n}",
                                                 tenant_id=tenant, data={"padding": "x" * 900}))
            for n in range(count)]


def test_a_batch_of_a_long_backlog_is_read_through_the_index(isolated_env, tenant):
    runtime = importlib.import_module("profiles.app").create_app(isolated_env).extensions["runtime"]
    with runtime.sessions() as session, session.begin():
        add_to_outbox(session, runtime.outbox, _events(tenant, BACKLOG))
    relay = OutboxRelay("profiles", runtime.sessions, runtime.outbox, runtime.settings.kafka, batch_size=BATCH)
    try:
        first = _statements_of(runtime.engine, relay.relay_once, sent=BATCH)
        assert relay.request_republish("a test") is not None
        republished = _statements_of(runtime.engine, relay.relay_once, sent=BATCH)
    finally:
        relay.close()
    assert "Index Scan using ix_outbox_unsent" in _batch_read_plan(runtime.engine, first, "FOR UPDATE SKIP LOCKED")
    assert "Index Scan using outbox_pkey" in _batch_read_plan(runtime.engine, republished, "sent_at IS NOT NULL")


def _statements_of(engine, relay_once, sent: int) -> list[tuple[str, dict]]:
    statements: list[tuple[str, dict]] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        assert relay_once() == sent
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    return statements


def _batch_read_plan(engine, statements: list[tuple[str, dict]], marked_by: str) -> str:
    """The relay's batch read again, in a transaction with its settings, priced as the planner
    prices it when it believes the backlog small and scattered: reading through an index then looks
    dearer than fetching every row in range and sorting them. It must use an index all the same."""
    read_at = next(n for n, (sql, _) in enumerate(statements) if marked_by in sql)
    with engine.connect() as connection, connection.begin():
        for sql, _ in statements[:read_at]:
            if sql.startswith("SET LOCAL"):
                connection.exec_driver_sql(sql)
        connection.execute(text("SET LOCAL random_page_cost = 1000"))
        sql, parameters = statements[read_at]
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}",
                                                                      parameters))
    assert "Sort" not in plan, plan
    return plan
