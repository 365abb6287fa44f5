"""A topic deleted and created again under a running consumer group (what a broker that lost its
log looks like): the group reads the new log from its beginning. Without that, it would wait for
the new log to pass its old position and skip everything before. (An offset committed on the old
log and found at a rebalance is covered in tests/unit/test_consumer_log_watch.py: tansu drops the
metadata such a commit is tagged with.)"""

import threading

import pytest

from mentoring_shared.config import load_service_settings
from mentoring_shared.contracts.topics import PROFILES_PEOPLE
from mentoring_shared.messaging import kafka
from mentoring_shared.messaging.consumer import ConsumerRunner
from mentoring_shared.runtime import ServiceRuntime
from mentoring_testing.fixtures import migrated_databases, platform_environment
from mentoring_testing.polling import eventually
from mentoring_testing.servers import Broker
from tests.reliability.counting import counting_handler, create_counter_table, times_applied
from tests.reliability.test_consumer_crash import publish_people


@pytest.fixture
def own_broker():
    broker = Broker.start(prefer_container=False)
    yield broker
    broker.stop()


@pytest.fixture
def matching_runtime(postgres_server, own_broker):
    from matching import orm

    env = platform_environment(migrated_databases(postgres_server, ("matching",)), own_broker.bootstrap)
    runtime = ServiceRuntime.build(load_service_settings("matching", env), orm.metadata)
    create_counter_table(runtime.engine)
    kafka.ensure_topics(runtime.settings.kafka, [PROFILES_PEOPLE])
    return runtime


def run_consumer(runtime, tenant: str, group: str):
    runner = ConsumerRunner("reliability", group, counting_handler(tenant), runtime.events,
                            runtime.unit_of_work, runtime.inbox, runtime.settings.kafka)
    stop = threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,), daemon=True)
    thread.start()
    return stop, thread


def recreate_topic(runtime) -> None:
    admin = kafka.BrokerAdmin(runtime.settings.kafka, "test-recreate")
    try:
        admin.recreate([PROFILES_PEOPLE])
    finally:
        admin.close()


def test_a_running_consumer_reads_a_recreated_topic_from_its_beginning(matching_runtime, tenant, consumer_group):
    def applied():
        return set(times_applied(matching_runtime.engine, tenant))

    stop, thread = run_consumer(matching_runtime, tenant, consumer_group)
    try:
        before = publish_people(matching_runtime.settings, tenant, 60)
        eventually(lambda: applied() >= set(before), timeout_s=60, message="the first events were not applied")

        recreate_topic(matching_runtime)
        after = publish_people(matching_runtime.settings, tenant, 6)  # far fewer than the old position
        eventually(lambda: applied() >= set(after), timeout_s=30,
                   message="the consumer stayed on the old log's offsets and skipped the new log")
    finally:
        stop.set()
        thread.join(30)
