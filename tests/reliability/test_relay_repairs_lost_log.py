"""The broker loses its log (tansu killed and started again: it keeps topics in memory) after it
acknowledged events. The relay sees it, brings the topic back with the configured partitions (the
broker recreated it with its own count the moment a client named it), and republishes what the
outbox holds, so a reader of the new log finds every event. The operator's republish works the same."""

import importlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from kafka import KafkaConsumer, TopicPartition

from mentoring_shared import metrics
from mentoring_shared.config import KafkaSettings
from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.contracts.topics import PROFILES_PEOPLE
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.messaging import kafka
from mentoring_shared.messaging.relay import OutboxRelay
from mentoring_testing.fixtures import migrated_databases, platform_environment
from mentoring_testing.servers import Broker


@pytest.fixture
def own_broker():
    broker = Broker.start(prefer_container=False)  # a child process we may kill -9 and start again
    yield broker
    broker.stop()


@pytest.fixture
def profiles_runtime(postgres_server, own_broker):
    env = platform_environment(migrated_databases(postgres_server, ("profiles",)), own_broker.bootstrap)
    return importlib.import_module("profiles.app").create_app(env).extensions["runtime"]


def emit_people(runtime, tenant: str, count: int) -> list[str]:
    ids = []
    with runtime.unit_of_work() as uow:
        for number in range(count):
            person_id = f"p{number}"
            envelope = uow.publish([DomainEvent(PERSON_UPSERTED_V1, tenant, person_id, {
                "person_id": person_id, "version": 1, "employee_id": None, "name": f"P {number}",
                "email": f"{person_id}@example.com", "time_zone": "UTC", "status": "active"})])[0]
            ids.append(envelope.id)
        uow.commit()
    return ids


def event_ids_on(bootstrap: str, topic: str) -> list[str]:
    """Every event id the topic's log holds now, read from the beginning without a group."""
    reader = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=3000)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic) or [])]
        if not partitions:
            return []
        reader.assign(partitions)
        reader.seek_to_beginning(*partitions)
        return [json.loads(record.value)["id"] for record in reader]
    finally:
        reader.close()


def name_topic_like_a_consumer(bootstrap: str, topic: str) -> None:
    """Ask for a partition's offsets, as a consumer does: tansu creates a missing topic for that."""
    reader = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        reader.end_offsets([TopicPartition(topic, 0)])
    finally:
        reader.close()


def partitions_of(bootstrap: str, topic: str) -> int:
    admin = kafka.BrokerAdmin(KafkaSettings([bootstrap]), "test")
    try:
        return admin.describe()[1][topic].partitions
    finally:
        admin.close()


def drain(relay: OutboxRelay) -> None:
    for _ in range(20):
        if relay.relay_once() == 0 and relay.backlog()[0] == 0:
            return
    raise AssertionError("the relay did not drain")


def test_relay_republishes_what_a_restarted_broker_lost(profiles_runtime, own_broker, tenant):
    relay = OutboxRelay("profiles", profiles_runtime.sessions, profiles_runtime.outbox,
                        profiles_runtime.settings.kafka, watch_interval_s=0.0)
    try:
        sent_before = emit_people(profiles_runtime, tenant, 30)
        drain(relay)
        assert set(event_ids_on(own_broker.bootstrap, PROFILES_PEOPLE)) >= set(sent_before)

        own_broker.kill()
        own_broker.restart()
        # A consumer names the topic first, and tansu creates it with its own partition count.
        name_topic_like_a_consumer(own_broker.bootstrap, PROFILES_PEOPLE)
        assert event_ids_on(own_broker.bootstrap, PROFILES_PEOPLE) == []
        assert partitions_of(own_broker.bootstrap, PROFILES_PEOPLE) != 3
        losses = metrics.BROKER_LOG_LOSSES.labels("profiles", PROFILES_PEOPLE)._value.get()

        relay.close()  # its connections died with the broker
        sent_after = emit_people(profiles_runtime, tenant, 5)
        drain(relay)

        on_the_new_log = event_ids_on(own_broker.bootstrap, PROFILES_PEOPLE)
        assert set(sent_before + sent_after) <= set(on_the_new_log), "events lost with the old log"
        assert partitions_of(own_broker.bootstrap, PROFILES_PEOPLE) == 3
        assert metrics.BROKER_LOG_LOSSES.labels("profiles", PROFILES_PEOPLE)._value.get() == losses + 1
        with profiles_runtime.sessions() as session:
            republish = relay._state.republishes(session)[0]
        assert republish.finished and republish.events_sent >= 30
        assert "profiles.people" in republish.reason
        # p0..p4 changed after the loss: on their partitions, the republished older event comes first.
        for older, newer in zip(sent_before[:5], sent_after):
            assert on_the_new_log.index(older) < on_the_new_log.index(newer)
    finally:
        relay.close()


def test_an_operator_republish_resends_sent_events_since_a_time(profiles_runtime, own_broker, tenant):
    relay = OutboxRelay("profiles", profiles_runtime.sessions, profiles_runtime.outbox,
                        profiles_runtime.settings.kafka)
    try:
        sent = emit_people(profiles_runtime, tenant, 4)
        drain(relay)
        republish = relay.request_republish("operator", since=datetime.now(UTC) - timedelta(minutes=5))
        assert republish is not None and republish.events_total >= 4
        drain(relay)
        copies = event_ids_on(own_broker.bootstrap, PROFILES_PEOPLE)
        assert all(copies.count(event_id) == 2 for event_id in sent)
        assert relay.request_republish("operator", since=datetime.now(UTC)) is None  # nothing since now
    finally:
        relay.close()
