"""The one module that knows kafka-python: every client the platform uses is configured here, so
another client library is a one-module change."""

from __future__ import annotations

import logging

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import (CorruptRecordError, InvalidRecordError, KafkaError, MessageSizeTooLargeError,
                          TopicAlreadyExistsError)
from kafka.structs import OffsetAndMetadata, TopicPartition

from mentoring_shared.config import KafkaSettings

log = logging.getLogger(__name__)

__all__ = ["KafkaError", "RECORD_REFUSED", "OffsetAndMetadata", "TopicPartition", "make_producer",
           "make_consumer", "ensure_topics", "broker_answers"]

# Errors about a record itself: sending it again as it is can never succeed.
RECORD_REFUSED = (MessageSizeTooLargeError, InvalidRecordError, CorruptRecordError)


def make_producer(settings: KafkaSettings, client_id: str) -> KafkaProducer:
    """Idempotent, all-replica acks; bounded blocking so a stalled broker cannot freeze a caller."""
    return KafkaProducer(
        bootstrap_servers=settings.bootstrap_servers, client_id=client_id,
        acks="all", enable_idempotence=True, linger_ms=5,
        max_block_ms=5_000, request_timeout_ms=5_000, delivery_timeout_ms=15_000,
        retry_backoff_ms=200,
    )


def make_consumer(settings: KafkaSettings, group_id: str, topics: list[str]) -> KafkaConsumer:
    consumer = KafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, group_id=group_id, client_id=group_id,
        enable_auto_commit=False, auto_offset_reset="earliest",
        max_poll_records=settings.poll_max_records,
        fetch_max_wait_ms=100,  # a quiet partition must not hold a fetch for the default 500 ms
        session_timeout_ms=settings.session_timeout_ms,
        heartbeat_interval_ms=max(300, settings.session_timeout_ms // 6),
        request_timeout_ms=max(5_000, settings.session_timeout_ms + 1_000),
    )
    consumer.subscribe(topics)
    return consumer


def ensure_topics(settings: KafkaSettings, topics: list[str]) -> None:
    """Create the topics that do not exist yet (idempotent, safe from several processes)."""
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, client_id="topic-setup",
                             request_timeout_ms=10_000)
    try:
        existing = set(admin.list_topics())
        wanted = [NewTopic(name, settings.topic_partitions, settings.replication_factor)
                  for name in sorted(set(topics) - existing)]
        if wanted:
            try:
                admin.create_topics(wanted)
                log.info("created topics", extra={"topics": [t.name for t in wanted]})
            except TopicAlreadyExistsError:
                pass
    finally:
        admin.close()


def broker_answers(settings: KafkaSettings, timeout_s: float = 2.0) -> bool:
    """True if a broker answers a metadata request within the timeout."""
    timeout_ms = int(timeout_s * 1000)
    try:
        admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, client_id="readiness",
                                 request_timeout_ms=timeout_ms, bootstrap_timeout_ms=timeout_ms)
    except KafkaError:
        return False
    try:
        admin.list_topics()
        return True
    except KafkaError:
        return False
    finally:
        admin.close()
