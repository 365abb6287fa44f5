"""The consumer runner: reads a service's subscribed topics as one consumer group and applies each
event exactly once. The inbox row commits with the event's effects; the Kafka offset is committed
only after that, so a crash anywhere means a redelivery, and a redelivery is a no-op."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from typing import Callable

import marshmallow as ma
from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from mentoring_shared import context, metrics
from mentoring_shared.config import KafkaSettings
from mentoring_shared.contracts.registry import EventRegistry
from mentoring_shared.db.inbox import already_applied, record_applied
from mentoring_shared.db.unit_of_work import UnitOfWork
from mentoring_shared.messaging import kafka
from mentoring_shared.messaging.dead_letters import dead_letter
from mentoring_shared.messaging.envelope import Envelope, MalformedEnvelope

log = logging.getLogger(__name__)

EventHandler = Callable[[Envelope, UnitOfWork], None]


class InfrastructureDown(Exception):
    """The database or the broker is away: retry the same event later, never dead-letter it."""


def _is_infrastructure_fault(error: BaseException) -> bool:
    if not isinstance(error, DBAPIError):
        return False
    return error.connection_invalidated or isinstance(error, (OperationalError, InterfaceError))


class ConsumerRunner:
    def __init__(self, service: str, group: str, handlers: dict[str, EventHandler], events: EventRegistry,
                 uow_factory: Callable[[], UnitOfWork], inbox: Table, kafka_settings: KafkaSettings,
                 max_attempts: int = 5, retry_backoff_s: float = 0.2, lag_interval_s: float = 5.0):
        self.service = service
        self.group = group
        self._handlers = handlers
        self._events = events
        self._uow_factory = uow_factory
        self._inbox = inbox
        self._kafka_settings = kafka_settings
        self._max_attempts = max_attempts
        self._retry_backoff_s = retry_backoff_s
        self._lag_interval_s = lag_interval_s
        self._producer = None
        self._last_lag = 0.0

    @property
    def topics(self) -> list[str]:
        return sorted({self._events.contract(event_type).topic for event_type in self._handlers})

    def run(self, stop: threading.Event) -> None:
        consumer = self._connect(stop)
        if consumer is None:
            return
        try:
            while not stop.is_set():
                batch = consumer.poll(timeout_ms=500)
                done: dict = {}
                stalled = False
                for partition, records in batch.items():
                    for record in records:
                        if stop.is_set():
                            break  # unprocessed records stay uncommitted and come back after a restart
                        try:
                            self.process(record)
                        except InfrastructureDown as error:
                            log.warning("cannot apply events now, will retry: %s", error)
                            consumer.seek(partition, record.offset)
                            stalled = True
                            break
                        done[partition] = kafka.OffsetAndMetadata(record.offset + 1, None, -1)
                self._commit(consumer, done)
                self._refresh_lag(consumer)
                if stalled:
                    stop.wait(2.0)
        finally:
            consumer.close()
            if self._producer is not None:
                self._producer.close(timeout=5)

    def process(self, record) -> str:
        """Apply one record. Returns the outcome; raises InfrastructureDown to retry it later."""
        try:
            envelope = Envelope.from_json(record.value)
        except MalformedEnvelope as error:
            return self._dead_letter(record, "unreadable", error)
        handler = self._handlers.get(envelope.type)
        if handler is None:
            metrics.EVENTS_CONSUMED.labels(self.service, envelope.type, "ignored").inc()
            return "ignored"
        try:
            event = dataclasses.replace(envelope, data=self._events.contract(envelope.type).load_payload(envelope.data))
        except ma.ValidationError as error:
            return self._dead_letter(record, envelope.type, error)
        with context.bound(correlation_id=envelope.correlation_id, causation_id=envelope.id, event_id=envelope.id):
            for attempt in range(1, self._max_attempts + 1):
                try:
                    outcome = self._apply_once(event, handler)
                    metrics.EVENTS_CONSUMED.labels(self.service, envelope.type, outcome).inc()
                    return outcome
                except IntegrityError as error:
                    last_error: BaseException = error  # maybe a concurrent duplicate: the next try sees it
                except Exception as error:
                    if _is_infrastructure_fault(error):
                        raise InfrastructureDown(str(error)) from error
                    last_error = error
                log.warning("event failed (attempt %d of %d): %s", attempt, self._max_attempts, last_error,
                            extra={"event_type": envelope.type})
                if attempt < self._max_attempts:
                    time.sleep(min(5.0, self._retry_backoff_s * 2 ** (attempt - 1)))
            return self._dead_letter(record, envelope.type, last_error)

    def _apply_once(self, event: Envelope, handler: EventHandler) -> str:
        with self._uow_factory() as uow:
            if already_applied(uow.session, self._inbox, self.group, event.id):
                return "duplicate"
            record_applied(uow.session, self._inbox, self.group, event)
            handler(event, uow)
            uow.commit()
        return "applied"

    def _dead_letter(self, record, event_type: str, error: BaseException) -> str:
        log.error("event dead-lettered: %s", error, extra={"event_type": event_type, "topic": record.topic})
        try:
            if self._producer is None:
                self._producer = kafka.make_producer(self._kafka_settings, client_id=f"{self.group}-dlq")
            dead_letter(self._producer, record, self.group, error)
        except Exception as publish_error:
            raise InfrastructureDown(f"dead-letter publish failed: {publish_error}") from publish_error
        metrics.DEAD_LETTERS.labels(self.service, record.topic).inc()
        metrics.EVENTS_CONSUMED.labels(self.service, event_type, "dead_lettered").inc()
        return "dead_lettered"

    def _connect(self, stop: threading.Event):
        backoff = 0.5
        while not stop.is_set():
            try:
                return kafka.make_consumer(self._kafka_settings, self.group, self.topics)
            except kafka.KafkaError as error:
                log.warning("broker not reachable, retrying in %.1fs: %s", backoff, error)
                stop.wait(backoff)
                backoff = min(10.0, backoff * 2)
        return None

    def _commit(self, consumer, offsets: dict) -> None:
        if not offsets:
            return
        try:
            consumer.commit(offsets)
        except kafka.KafkaError as error:
            # A rebalance took the partition away: its new owner re-reads these, and its inbox skips them.
            log.warning("offset commit failed: %s", error)

    def _refresh_lag(self, consumer) -> None:
        now = time.monotonic()
        if now - self._last_lag < self._lag_interval_s:
            return
        self._last_lag = now
        try:
            assigned = list(consumer.assignment())
            if not assigned:
                return
            for partition, end in consumer.end_offsets(assigned).items():
                lag = max(0, end - consumer.position(partition))
                metrics.CONSUMER_LAG.labels(self.service, partition.topic, str(partition.partition)).set(lag)
        except Exception as error:
            log.debug("lag not measured: %s", error)
