"""The relay dies after the broker acknowledged a batch and before marking it sent: the batch is
delivered twice, and applied once."""

import importlib
import subprocess

from mentoring_shared.config import load_service_settings
from mentoring_shared.messaging.consumer import ConsumerRunner
from mentoring_shared.messaging.relay import OutboxRelay
from mentoring_shared.runtime import ServiceRuntime
from mentoring_testing.polling import eventually
from tests.integration.helpers import count_rows, new_person
from tests.reliability.conftest import start_process
from tests.reliability.counting import counting_handler, create_counter_table, times_applied
from tests.reliability.processes import DIED_AFTER_ACK


def test_relay_killed_between_ack_and_mark_delivers_twice_and_applies_once(isolated_env, tenant, consumer_group):
    profiles = importlib.import_module("profiles.app").create_app(isolated_env)
    client = profiles.test_client()
    from mentoring_testing.fixtures import token
    headers = {"Authorization": f"Bearer {token(tenant)}"}
    for _ in range(5):
        assert client.post("/v1/people", json=new_person(), headers=headers).status_code == 201

    died = start_process("relay-then-die", isolated_env, stdout=subprocess.PIPE, text=True)
    output, _ = died.communicate(timeout=60)
    assert died.returncode == DIED_AFTER_ACK, output
    assert "acknowledged 5" in output
    assert count_rows(profiles, "outbox", tenant_id=tenant) == 5
    runtime = profiles.extensions["runtime"]
    assert runtime.sessions().execute(runtime.outbox.select().where(
        runtime.outbox.c.tenant_id == tenant, runtime.outbox.c.sent_at.is_(None))).all(), "rows were marked sent"

    # The restarted relay finds the rows unsent and sends them again.
    relay = OutboxRelay("profiles", runtime.sessions, runtime.outbox, runtime.settings.kafka)
    assert relay.relay_once() == 5
    assert relay.backlog()[0] == 0

    from matching import orm
    matching = ServiceRuntime.build(load_service_settings("matching", isolated_env), orm.metadata)
    create_counter_table(matching.engine)
    runner = ConsumerRunner("reliability", consumer_group, counting_handler(tenant), matching.events,
                            matching.unit_of_work, matching.inbox, matching.settings.kafka)
    outcomes = []
    import threading
    stop = threading.Event()
    process_batch = runner.process_batch

    def recording(records):
        results = process_batch(records)
        outcomes.extend(zip(records, results))
        return results

    runner.process_batch = recording
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        def ours():
            return [outcome for record, outcome in outcomes if tenant.encode() in (record.value or b"")]

        eventually(lambda: len(ours()) == 10, message="both deliveries of every event were not read")
    finally:
        stop.set()
        thread.join(30)
    assert sorted(ours()) == ["applied"] * 5 + ["duplicate"] * 5
    counts = times_applied(matching.engine, tenant)
    assert len(counts) == 5 and set(counts.values()) == {1}
    relay.close()
