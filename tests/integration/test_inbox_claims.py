"""A consumer claims a batch's inbox rows on PostgreSQL with a plain INSERT, betting that none was
applied before; a batch that holds a redelivered event, or one another consumer is applying right
now, loses the bet and is claimed again with ON CONFLICT: each event is still applied once.

The handler counts its applications in a table of its own, so these tests use a matching database
of their own: the session's must match the models."""

import threading

import pytest
from sqlalchemy import event, text

from mentoring_shared.config import load_service_settings
from mentoring_shared.messaging.consumer import ConsumerRunner
from mentoring_shared.runtime import ServiceRuntime
from mentoring_testing.fixtures import migrated_databases, platform_environment
from mentoring_testing.polling import eventually
from tests.reliability.counting import counting_handler, create_counter_table, times_applied
from tests.reliability.test_dead_letters import person_event
from tests.unit.test_consumer_batches import records


@pytest.fixture
def runtime(postgres_server):
    """Matching's runtime on a database of its own (no broker: batches are given to the runner)."""
    from matching import orm

    env = platform_environment(migrated_databases(postgres_server, ("matching",)), "127.0.0.1:1")
    built = ServiceRuntime.build(load_service_settings("matching", env), orm.metadata)
    create_counter_table(built.engine)
    yield built
    built.engine.dispose()


def counting_runner(runtime, tenant: str, group: str) -> ConsumerRunner:
    return ConsumerRunner("tests", group, counting_handler(tenant), runtime.events, runtime.unit_of_work,
                          runtime.inbox, runtime.settings.kafka)


class InboxClaims:
    """The inbox INSERTs the engine sends, in order: with ON CONFLICT or without."""

    def __init__(self, engine):
        self.engine, self.sent = engine, []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, connection, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO inbox"):
            self.sent.append("on conflict" if "ON CONFLICT" in statement else "plain")

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._seen)


def test_a_new_batch_is_claimed_with_a_plain_insert_and_a_redelivered_one_again_with_on_conflict(
        runtime, tenant, consumer_group_name):
    runner = counting_runner(runtime, tenant, consumer_group_name)
    ann, bo, cy, di, ed = (person_event(tenant, f"{tenant}-{name}", name) for name in ("ann", "bo", "cy", "di", "ed"))
    claims = InboxClaims(runtime.engine)
    try:
        assert runner.process_batch(records(ann, bo, cy)) == ["applied"] * 3
        assert claims.sent == ["plain"]

        outcomes = runner.process_batch(records(bo, di, cy, ed))
        assert claims.sent == ["plain", "plain", "on conflict"]
    finally:
        claims.close()

    assert outcomes == ["duplicate", "applied", "duplicate", "applied"]
    assert times_applied(runtime.engine, tenant) == {event.id: 1 for event in (ann, bo, cy, di, ed)}


def test_an_event_another_consumer_is_applying_waits_for_it_then_is_a_duplicate(runtime, tenant, consumer_group_name):
    runner = counting_runner(runtime, tenant, consumer_group_name)
    ann, bo = (person_event(tenant, f"{tenant}-{name}", name) for name in ("ann", "bo"))
    outcomes: list = []
    with runtime.engine.connect() as other:  # another consumer of the group, in the middle of applying ann
        other.execute(text("INSERT INTO inbox (consumer_group, event_id, event_type, tenant_id, processed_at) "
                           "VALUES (:group, :id, :type, :tenant, now())"),
                      {"group": consumer_group_name, "id": ann.id, "type": ann.type, "tenant": tenant})
        thread = threading.Thread(target=lambda: outcomes.extend(runner.process_batch(records(ann, bo))))
        thread.start()
        eventually(lambda: _waiting_for_a_lock(runtime.engine), message="the claim never waited for the other one")
        assert not outcomes
        other.commit()
        thread.join(30)

    assert outcomes == ["duplicate", "applied"]
    assert times_applied(runtime.engine, tenant) == {bo.id: 1}


def _waiting_for_a_lock(engine) -> bool:
    with engine.connect() as connection:
        return bool(connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )).scalar())
