"""Dead letters: events a consumer group could not apply, kept with their origin so they can be
inspected and replayed. Replaying republishes the original bytes to the original topic: groups
that already applied the event skip it through their inbox; the group that failed applies it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from mentoring_shared.config import KafkaSettings
from mentoring_shared.contracts.topics import DEAD_LETTER_SUFFIX, dead_letter_topic
from mentoring_shared.messaging import kafka

log = logging.getLogger(__name__)

ORIGIN_TOPIC = "dlq.origin.topic"
ORIGIN_PARTITION = "dlq.origin.partition"
ORIGIN_OFFSET = "dlq.origin.offset"
CONSUMER_GROUP = "dlq.consumer.group"
ERROR = "dlq.error"
FAILED_AT = "dlq.failed.at"


def dead_letter(producer, record, group: str, error: BaseException, timeout_s: float = 10.0) -> None:
    """Publish `record` to its dead-letter topic and wait for the broker's acknowledgement."""
    headers = list(record.headers or []) + [
        (ORIGIN_TOPIC, record.topic.encode()),
        (ORIGIN_PARTITION, str(record.partition).encode()),
        (ORIGIN_OFFSET, str(record.offset).encode()),
        (CONSUMER_GROUP, group.encode()),
        (ERROR, f"{type(error).__name__}: {error}"[:2000].encode()),
        (FAILED_AT, datetime.now(UTC).isoformat().encode()),
    ]
    producer.send(dead_letter_topic(record.topic), key=record.key, value=record.value,
                  headers=headers).get(timeout=timeout_s)


def replay_dead_letters(settings: KafkaSettings, topic: str, group: str | None = None,
                        idle_timeout_s: float = 5.0) -> int:
    """Republish the dead letters of `topic` (optionally only one consumer group's) to `topic`.
    Progress is committed under a replay group of its own (one per `group` filter), so each dead
    letter is replayed once, and replaying one group's letters never skips another's."""
    if topic.endswith(DEAD_LETTER_SUFFIX):
        raise ValueError(f"name the original topic, not the dead-letter topic: {topic}")
    consumer = kafka.make_consumer(settings, f"dlq-replay.{group or 'all-groups'}", [dead_letter_topic(topic)])
    producer = kafka.make_producer(settings, client_id="dlq-replay")
    replayed = 0
    try:
        while True:
            batch = consumer.poll(timeout_ms=int(idle_timeout_s * 1000))
            if not batch:
                return replayed
            for records in batch.values():
                for record in records:
                    headers = dict(record.headers or [])
                    if group and headers.get(CONSUMER_GROUP, b"").decode() != group:
                        continue
                    producer.send(topic, key=record.key, value=record.value).get(timeout=10)
                    replayed += 1
            consumer.commit()
    finally:
        producer.close(timeout=5)
        consumer.close()
