"""Processes the reliability tests start and kill:

    python -m tests.reliability.processes relay-then-die   relay one batch, exit hard after the ack
    python -m tests.reliability.processes count-events     consume and count, recording outcomes, until killed

Configuration comes from the environment the test passes (see mentoring_testing.fixtures)."""

from __future__ import annotations

import os
import sys
import threading
import time

from mentoring_shared.config import load_service_settings
from mentoring_shared.messaging.consumer import ConsumerRunner
from mentoring_shared.messaging.relay import OutboxRelay
from mentoring_shared.runtime import ServiceRuntime
from tests.reliability.counting import counting_handler

DIED_AFTER_ACK = 17


def relay_then_die() -> None:
    from profiles import orm

    runtime = ServiceRuntime.build(load_service_settings("profiles"), orm.metadata)

    def die(acknowledged: list[int]) -> None:
        # The broker has every event of the batch; the database does not know yet.
        print(f"acknowledged {len(acknowledged)}", flush=True)
        os._exit(DIED_AFTER_ACK)

    OutboxRelay("profiles", runtime.sessions, runtime.outbox, runtime.settings.kafka,
                after_acknowledged=die).relay_once()
    sys.exit("nothing to relay")


def count_events() -> None:
    from matching import orm

    runtime = ServiceRuntime.build(load_service_settings("matching"), orm.metadata)
    runner = ConsumerRunner(
        "reliability", os.environ["TEST_CONSUMER_GROUP"],
        counting_handler(os.environ["TEST_TENANT"], delay_s=float(os.environ.get("TEST_DELAY_S", "0"))),
        runtime.events, runtime.unit_of_work, runtime.inbox, runtime.settings.kafka)
    outcomes = open(os.environ["TEST_OUTCOMES_FILE"], "a", buffering=1)
    process_batch = runner.process_batch

    pause_s = float(os.environ.get("TEST_PAUSE_AFTER_BATCH_S", "0"))

    def process_and_record(records):
        results = process_batch(records)
        outcomes.write("".join(result + "\n" for result in results))
        if pause_s:
            # The batch is committed in the database, its offset not yet in Kafka: the window a
            # crash turns into a redelivery. Announce it, and hold it open for the test to kill.
            outcomes.write("committed-not-acknowledged\n")
            time.sleep(pause_s)
        return results

    runner.process_batch = process_and_record
    runner.run(threading.Event())


if __name__ == "__main__":
    {"relay-then-die": relay_then_die, "count-events": count_events}[sys.argv[1]]()
