"""The one module that knows kafka-python: every client the platform uses is configured here, so
another client library is a one-module change."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic, OffsetSpec
from kafka.errors import (
    CorruptRecordError,
    InvalidRecordError,
    KafkaError,
    MessageSizeTooLargeError,
    TopicAlreadyExistsError,
    UnknownTopicOrPartitionError,
)
from kafka.structs import OffsetAndMetadata, TopicPartition

from mentoring_shared.config import KafkaSettings
from mentoring_shared.messaging.partitioner import KeyHashPartitioner

log = logging.getLogger(__name__)

__all__ = ["KafkaError", "RECORD_REFUSED", "OffsetAndMetadata", "TopicPartition", "TopicLog", "BrokerAdmin",
           "make_producer", "make_consumer", "ensure_topics", "broker_answers", "commit_offsets",
           "committed_log_id", "fetched_log_end", "known_position", "seek_to_beginning"]

# Errors about a record itself: sending it again as it is can never succeed.
RECORD_REFUSED = (MessageSizeTooLargeError, InvalidRecordError, CorruptRecordError)


# Record batches of up to 256 KiB (the client's default is 16 KiB, about fifteen events): a relay
# batch of 2,000 events (about 2 MB) then goes out as eight record batches, not 130, and consumers
# decode fewer, larger batches.
PRODUCER_BATCH_BYTES = 256 * 1024


def make_producer(settings: KafkaSettings, client_id: str) -> KafkaProducer:
    """Idempotent, all-replica acks; bounded blocking so a stalled broker cannot freeze a caller."""
    return KafkaProducer(
        bootstrap_servers=settings.bootstrap_servers, client_id=client_id,
        acks="all", enable_idempotence=True, linger_ms=5,
        batch_size=PRODUCER_BATCH_BYTES, partitioner=KeyHashPartitioner(),
        allow_auto_create_topics=False,  # topics are created with the configured partitions, never by a send
        max_block_ms=5_000, request_timeout_ms=5_000, delivery_timeout_ms=15_000,
        retry_backoff_ms=200,
    )


def make_consumer(settings: KafkaSettings, group_id: str, topics: list[str]) -> KafkaConsumer:
    consumer = KafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, group_id=group_id, client_id=group_id,
        enable_auto_commit=False, auto_offset_reset="earliest", allow_auto_create_topics=False,
        max_poll_records=settings.poll_max_records,
        fetch_min_bytes=settings.fetch_min_bytes, fetch_max_wait_ms=settings.fetch_max_wait_ms,
        session_timeout_ms=settings.session_timeout_ms,
        heartbeat_interval_ms=max(300, settings.session_timeout_ms // 6),
        request_timeout_ms=max(5_000, settings.session_timeout_ms + 1_000),
    )
    consumer.subscribe(topics)
    return consumer


def ensure_topics(settings: KafkaSettings, topics: list[str]) -> None:
    """Create the topics that do not exist yet (idempotent, safe from several processes)."""
    admin = BrokerAdmin(settings, client_id="topic-setup")
    try:
        admin.create_missing(topics)
    finally:
        admin.close()


@dataclass(frozen=True)
class TopicLog:
    """A topic as the broker describes it now: its id (None where the broker has no topic ids) and
    partition count."""

    topic_id: str | None
    partitions: int


class BrokerAdmin:
    """The questions the relay and consumers ask the broker about its logs, and topic repairs.
    Asks only about topics that exist: some brokers (tansu) create a topic, with their own
    partition count, on any request that names it."""

    def __init__(self, settings: KafkaSettings, client_id: str):
        self._settings = settings
        self._admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, client_id=client_id,
                                       request_timeout_ms=10_000)

    def close(self) -> None:
        self._admin.close()

    def describe(self) -> tuple[str | None, dict[str, TopicLog]]:
        """(cluster id, every topic's log), in one metadata request."""
        metadata = self._admin._manager.run(self._admin._get_cluster_metadata, None)
        topics = {t["name"]: TopicLog(str(t["topic_id"]) if t.get("topic_id") else None, len(t["partitions"]))
                  for t in metadata["topics"] if not t.get("error_code")}
        return metadata.get("cluster_id"), topics

    def log_ends(self, partitions: dict[str, int]) -> dict[str, dict[int, int]]:
        """The log end offset of each partition of these topics ({topic: partition count})."""
        specs = {TopicPartition(topic, p): OffsetSpec.LATEST
                 for topic, count in partitions.items() for p in range(count)}
        if not specs:
            return {}
        ends: dict[str, dict[int, int]] = {topic: {} for topic in partitions}
        for tp, found in self._admin.list_partition_offsets(specs).items():
            ends[tp.topic][tp.partition] = found.offset
        return ends

    def create_missing(self, topics: list[str]) -> list[str]:
        """Create the topics that do not exist, with the configured partitions. Returns those created."""
        _, existing = self.describe()
        missing = sorted(set(topics) - set(existing))
        self._create(missing)
        return missing

    def recreate(self, topics: list[str]) -> None:
        """Delete and create again with the configured partitions: for topics whose log is lost
        anyway, which a broker brought back with another partition count (so keys would move)."""
        try:
            self._admin.delete_topics(topics)
        except UnknownTopicOrPartitionError:
            pass
        self._create(topics)

    def _create(self, topics: list[str]) -> None:
        if not topics:
            return
        try:
            settings = self._settings
            self._admin.create_topics([NewTopic(name, settings.topic_partitions, settings.replication_factor)
                                       for name in topics])
            log.info("created topics", extra={"topics": topics})
        except TopicAlreadyExistsError:
            pass


def commit_offsets(consumer, offsets: dict[TopicPartition, int], log_ids: dict[str, str | None]) -> None:
    """Commit the next offsets to read, each tagged with its topic's id: after a restart, an offset
    committed on another incarnation of the topic is recognised and not trusted."""
    consumer.commit({tp: OffsetAndMetadata(offset, log_ids.get(tp.topic) or "", -1) for tp, offset in offsets.items()})


def committed_log_id(consumer, partition: TopicPartition, timeout_ms: int = 3_000) -> tuple[int | None, str | None]:
    """(committed offset, the topic id it was committed on) of the consumer's group. Bounded: while
    a rebalance is under way the group coordinator may not answer, and a consumer that waits for it
    without polling would hold that rebalance up. Raises KafkaError (a timeout) then."""
    committed = consumer.committed(partition, metadata=True, timeout_ms=timeout_ms)
    if committed is None:
        return None, None
    return committed.offset, committed.metadata or None


def known_position(consumer, partition: TopicPartition) -> int | None:
    """The consumer's position on a partition as it stands, without asking the broker (KafkaConsumer
    .position() fetches committed offsets when it has none, and blocks while a rebalance is under
    way). None while it has no valid position."""
    state = consumer._subscription.assignment.get(partition)
    if state is None or not state.has_valid_position:
        return None
    return state.position.offset


def fetched_log_end(consumer, partition: TopicPartition) -> int | None:
    """The log end offset the last fetch of this partition reported (None before any fetch). Unlike
    a ListOffsets answer, every broker reports it right (tansu lags after multi-record batches)."""
    return consumer.highwater(partition)


def seek_to_beginning(consumer, partitions: list[TopicPartition]) -> None:
    consumer.seek_to_beginning(*partitions)


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
