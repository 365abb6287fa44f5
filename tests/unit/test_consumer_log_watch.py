"""The consumer's guard against reading a log the broker no longer has, with a stand-in consumer
and broker: which partitions go back to the new log's beginning, and the lag it reports."""

import pytest

from mentoring_shared import metrics
from mentoring_shared.config import KafkaSettings
from mentoring_shared.messaging import consumer_log_watch, kafka
from mentoring_shared.messaging.consumer_log_watch import ConsumerLogWatch

TOPIC = "profiles.people"
P0, P1 = kafka.TopicPartition(TOPIC, 0), kafka.TopicPartition(TOPIC, 1)


class StandInBroker:
    def __init__(self):
        self.topic_id = "id-1"

    def describe(self):
        return "cluster", {TOPIC: kafka.TopicLog(self.topic_id, 2), f"{TOPIC}.dlq": kafka.TopicLog("dlq", 2)}

    def create_missing(self, topics):
        return []

    def close(self):
        pass


class StandInConsumer:
    def __init__(self, positions: dict, ends: dict, committed: dict):
        self.positions, self.ends, self.committed_offsets = positions, ends, committed
        self.sought_to_beginning: list = []

    def assignment(self):
        return set(self.positions)

    def highwater(self, partition):
        return self.ends.get(partition)

    def committed(self, partition, metadata=False, timeout_ms=None):
        return self.committed_offsets.get(partition)

    def seek_to_beginning(self, *partitions):
        self.sought_to_beginning += partitions


@pytest.fixture
def broker(monkeypatch):
    broker = StandInBroker()
    monkeypatch.setattr(consumer_log_watch.kafka, "BrokerAdmin", lambda settings, client_id: broker)
    monkeypatch.setattr(consumer_log_watch.kafka, "known_position", lambda consumer, tp: consumer.positions.get(tp))
    return broker


def watch() -> ConsumerLogWatch:
    return ConsumerLogWatch("matching", [TOPIC], KafkaSettings(["127.0.0.1:1"]), interval_s=0.0)


def test_a_partition_assigned_with_an_offset_committed_on_another_incarnation_starts_over(broker):
    consumer = StandInConsumer({P0: 10, P1: 10}, {}, {
        P0: kafka.OffsetAndMetadata(10, "id-0", -1),   # committed on the topic before it was recreated
        P1: kafka.OffsetAndMetadata(10, "id-1", -1)})  # committed on this one
    assert watch().check_new_assignment(consumer) == {P0}
    assert consumer.sought_to_beginning == [P0]


def test_an_untagged_or_missing_commit_is_trusted(broker):
    consumer = StandInConsumer({P0: 10, P1: 0}, {}, {P0: kafka.OffsetAndMetadata(10, None, -1)})
    assert watch().check_new_assignment(consumer) == set()


def test_a_topic_recreated_under_a_running_consumer_sends_it_back_to_the_beginning(broker):
    consumer = StandInConsumer({P0: 300, P1: 280}, {P0: 300, P1: 290}, {})
    guard = watch()
    guard.look_if_due(consumer)
    assert consumer.sought_to_beginning == []
    broker.topic_id = "id-2"
    resets = metrics.CONSUMER_LOG_RESETS.labels("matching", TOPIC)._value.get()
    guard.look_if_due(consumer)
    assert sorted(consumer.sought_to_beginning) == [P0, P1]
    assert metrics.CONSUMER_LOG_RESETS.labels("matching", TOPIC)._value.get() == resets + 2
    assert guard.log_ids == {TOPIC: "id-2"}, "offsets are committed tagged with the new log's id"


def test_lag_is_end_minus_position_and_a_negative_gap_resets_the_partition(broker):
    consumer = StandInConsumer({P0: 300, P1: 280}, {P0: 12, P1: 290}, {})
    watch().look_if_due(consumer)
    assert metrics.CONSUMER_LAG.labels("matching", TOPIC, "0")._value.get() == -288
    assert metrics.CONSUMER_LAG.labels("matching", TOPIC, "1")._value.get() == 10
    assert consumer.sought_to_beginning == [P0]
