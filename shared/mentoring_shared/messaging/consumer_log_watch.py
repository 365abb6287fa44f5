"""A consumer's guard against reading a log the broker no longer has.

A broker that lost its log (tansu restarted, a topic deleted and created again, a Kafka log
truncated) leaves a running consumer positioned on offsets of the old log: it would wait for the
new log to grow past them and skip everything before. The guard notices, and sends the consumer
back to the new log's beginning (its inbox absorbs what it applied already; the producer's relay
republishes what the old log took with it):

- every topic's id, as the broker describes it, against the id the consumer has been reading;
- a position beyond the log end the last fetch reported (a log that shrank), which is also the
  honest lag: end minus position, negative when the log lost records;
- a partition newly assigned whose committed offset was committed on another incarnation of the
  topic (offsets are committed tagged with the topic's id).

It also recreates missing topics (and their dead-letter topics) with the configured partitions."""

from __future__ import annotations

import logging
import time

from mentoring_shared import metrics
from mentoring_shared.config import KafkaSettings
from mentoring_shared.contracts.topics import dead_letter_topic
from mentoring_shared.messaging import kafka

log = logging.getLogger(__name__)


class ConsumerLogWatch:
    def __init__(self, service: str, topics: list[str], settings: KafkaSettings, interval_s: float = 1.0):
        self._service = service
        self._topics = topics
        self._settings = settings
        self._interval_s = interval_s
        self._admin: kafka.BrokerAdmin | None = None
        self._last_look: float | None = None
        self._reading: dict[str, str | None] = {}  # topic -> id of the log this consumer reads
        self._assigned: set = set()

    @property
    def log_ids(self) -> dict[str, str | None]:
        """Topic ids to tag committed offsets with."""
        return dict(self._reading)

    def close(self) -> None:
        if self._admin is not None:
            try:
                self._admin.close()
            except Exception:
                pass
            self._admin = None

    def check_new_assignment(self, consumer) -> set:
        """After a rebalance: partitions whose committed offset belongs to another incarnation of
        their topic go back to the beginning. Returns them (their fetched records are stale)."""
        assigned = set(consumer.assignment())
        new = assigned - self._assigned
        self._assigned = assigned
        if not new:
            return set()
        self._look(consumer, force=True)
        stale = set()
        for partition in new:
            try:
                offset, log_id = kafka.committed_log_id(consumer, partition)
            except kafka.KafkaError as error:  # no answer now (a rebalance under way): check after the next poll
                log.info("committed offset not checked yet: %s", error)
                self._assigned.discard(partition)
                continue
            current = self._reading.get(partition.topic)
            if offset is not None and log_id and current and log_id != current:
                stale.add(partition)
        self._reset(consumer, stale, "its committed offset belongs to an earlier incarnation of the topic")
        return stale

    def look_if_due(self, consumer) -> None:
        self._look(consumer, force=False)

    def _look(self, consumer, force: bool) -> None:
        now = time.monotonic()
        if not force and self._last_look is not None and now - self._last_look < self._interval_s:
            return
        self._last_look = now
        try:
            self._compare_log_ids(consumer)
            self._report_lag_and_reset_shrunk_logs(consumer)
        except Exception as error:  # the broker is away: the consumer's own retries cover that
            log.debug("consumer log watch skipped: %s", error)
            self.close()

    def _compare_log_ids(self, consumer) -> None:
        if self._admin is None:
            self._admin = kafka.BrokerAdmin(self._settings, client_id=f"{self._service}-consumer-watch")
        _, logs = self._admin.describe()
        wanted = self._topics + [dead_letter_topic(topic) for topic in self._topics]
        if any(topic not in logs for topic in wanted):
            self._admin.create_missing(wanted)
            _, logs = self._admin.describe()
        for topic in self._topics:
            current = logs[topic].topic_id if topic in logs else None
            before = self._reading.get(topic)
            self._reading[topic] = current
            if before and current and before != current:
                partitions = {tp for tp in consumer.assignment() if tp.topic == topic}
                self._reset(consumer, partitions, f"the topic was created again (id {before} before, {current} now)")

    def _report_lag_and_reset_shrunk_logs(self, consumer) -> None:
        shrunk = set()
        for partition in consumer.assignment():
            end, position = kafka.fetched_log_end(consumer, partition), kafka.known_position(consumer, partition)
            if end is None or position is None:
                continue  # nothing fetched yet, or the position is being looked up (a rebalance)
            lag = end - position
            metrics.CONSUMER_LAG.labels(self._service, partition.topic, str(partition.partition)).set(lag)
            if lag < 0:
                shrunk.add(partition)
        self._reset(consumer, shrunk, "the log ends before this consumer's position")

    def _reset(self, consumer, partitions: set, why: str) -> None:
        if not partitions:
            return
        log.error("consumer position is on a log the broker no longer has; reading the new log from its beginning",
                  extra={"reason": why, "partitions": sorted(f"{p.topic}[{p.partition}]" for p in partitions)})
        for partition in partitions:
            metrics.CONSUMER_LOG_RESETS.labels(self._service, partition.topic).inc()
        kafka.seek_to_beginning(consumer, sorted(partitions))
