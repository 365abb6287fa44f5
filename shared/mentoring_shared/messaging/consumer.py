"""The consumer runner: reads a service's subscribed topics as one consumer group and applies each
event exactly once. The inbox row commits with the event's effects; the Kafka offset is committed
only after that, so a crash anywhere means a redelivery, and a redelivery is a no-op."""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from typing import Callable

import marshmallow as ma
from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from mentoring_shared import context, metrics
from mentoring_shared.config import KafkaSettings
from mentoring_shared.contracts.registry import EventRegistry
from mentoring_shared.db.inbox import applied_among, record_applied
from mentoring_shared.db.unit_of_work import UnitOfWork
from mentoring_shared.messaging import kafka
from mentoring_shared.messaging.dead_letters import dead_letter
from mentoring_shared.messaging.envelope import Envelope, MalformedEnvelope

log = logging.getLogger(__name__)

EventHandler = Callable[[Envelope, UnitOfWork], None]


def _label(event_type: object) -> str:
    """An event type fit for a metric label: types we do not know could be anything."""
    return event_type if isinstance(event_type, str) and len(event_type) <= 100 else "unreadable"


def _peek_type(raw: bytes) -> str:
    """The type of a record that is not a readable envelope, for metrics and logs."""
    try:
        return _label(json.loads(raw).get("type"))
    except (ValueError, AttributeError, UnicodeDecodeError, TypeError):
        return "unreadable"


class InfrastructureDown(Exception):
    """The database or the broker is away: retry the same event later, never dead-letter it."""


# SQLSTATE classes of a database that is away or out of resources, not of a bad statement or row:
# 08 connection exception, 53 insufficient resources, 57P0x shutdown / cannot connect now.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P")


def _is_infrastructure_fault(error: BaseException) -> bool:
    """True if the database is away (retry the same event later), False if this event failed."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    if isinstance(error, InterfaceError):
        return True
    # SQLite reports both a busy database and a bad statement as OperationalError.
    return isinstance(error, OperationalError) and ("locked" in str(error.orig) or "busy" in str(error.orig))


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
        self._pause = threading.Event()  # the run's stop event: retry pauses end when it is set

    @property
    def topics(self) -> list[str]:
        return sorted({self._events.contract(event_type).topic for event_type in self._handlers})

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set. Any failure of the client closes it and reconnects after a
        pause: the thread never dies of one bad moment, and uncommitted records come back."""
        self._pause = stop
        backoff = 0.5
        while not stop.is_set():
            consumer = self._connect(stop)
            if consumer is None:
                break
            try:
                self._consume(consumer, stop)
                backoff = 0.5
            except Exception:
                log.exception("consumer failed; reconnecting in %.1fs", backoff)
                stop.wait(backoff)
                backoff = min(30.0, backoff * 2)
            finally:
                consumer.close()
        if self._producer is not None:
            self._producer.close(timeout=5)

    def _consume(self, consumer, stop: threading.Event) -> None:
        while not stop.is_set():
            batch = consumer.poll(timeout_ms=500)
            done: dict = {}
            stalled = False
            for partition, records in batch.items():
                if stop.is_set():
                    break  # uncommitted records come back after a restart
                try:
                    self.process_batch(records)
                except InfrastructureDown as error:
                    log.warning("cannot apply events now, will retry: %s", error)
                    consumer.seek(partition, records[0].offset)
                    stalled = True
                    continue
                done[partition] = kafka.OffsetAndMetadata(records[-1].offset + 1, None, -1)
            self._commit(consumer, done)
            self._refresh_lag(consumer)
            if stalled:
                stop.wait(2.0)

    def process_batch(self, records: list) -> list[str]:
        """Apply one partition's records in order, in ONE transaction: their inbox rows and effects
        commit together, so a batch costs one commit. If that transaction fails, the records are
        applied one by one, so a poison event is isolated, retried and dead-lettered alone.
        Returns each record's outcome; raises InfrastructureDown to retry the batch later."""
        outcomes: list[str | None] = [None] * len(records)
        types: list[str] = [""] * len(records)
        applicable: list[tuple[int, object, Envelope, EventHandler]] = []
        for index, record in enumerate(records):
            types[index], prepared = self._prepare(record)
            if isinstance(prepared, str):
                outcomes[index] = prepared
            else:
                applicable.append((index, record, *prepared))
        if len(applicable) == 1:  # nothing to save by batching: straight to the bounded tries
            index, record, event, handler = applicable[0]
            outcomes[index] = self._apply_with_retries(record, event, handler)
        elif applicable:
            try:
                for (index, *_), outcome in zip(applicable, self._apply_together(applicable)):
                    outcomes[index] = outcome
            except InfrastructureDown:
                raise
            except Exception as error:
                log.info("batch of %d failed (%s); applying its events one by one", len(applicable), error)
                for index, record, event, handler in applicable:
                    outcomes[index] = self._apply_with_retries(record, event, handler)
        for event_type, outcome in zip(types, outcomes):
            metrics.EVENTS_CONSUMED.labels(self.service, event_type, outcome).inc()
        return outcomes

    def _prepare(self, record) -> tuple[str, str | tuple[Envelope, EventHandler]]:
        """Decode and validate a record. Returns its type (for metrics) and either (event, handler)
        to apply or the outcome already reached."""
        try:
            envelope = Envelope.from_json(record.value)
        except MalformedEnvelope as error:
            return _peek_type(record.value), self._dead_letter(record, error)
        handler = self._handlers.get(envelope.type)
        if handler is None:
            return _label(envelope.type), "ignored"
        try:
            payload = self._events.contract(envelope.type).load_payload(envelope.data)
        except ma.ValidationError as error:
            return envelope.type, self._dead_letter(record, error)
        return envelope.type, (dataclasses.replace(envelope, data=payload), handler)

    def _apply_together(self, applicable) -> list[str]:
        outcomes, applied = [], []
        try:
            with self._uow_factory() as uow:
                seen = applied_among(uow.session, self._inbox, self.group, [event.id for _, _, event, _ in applicable])
                for _, _, event, handler in applicable:
                    if event.id in seen:
                        outcomes.append("duplicate")
                        continue
                    seen.add(event.id)  # the relay may have sent it twice within one batch
                    with self._event_context(event):
                        handler(event, uow)
                    applied.append(event)
                    outcomes.append("applied")
                if applied:
                    record_applied(uow.session, self._inbox, self.group, applied)
                uow.commit()
        except Exception as error:
            if _is_infrastructure_fault(error):
                raise InfrastructureDown(str(error)) from error
            raise
        return outcomes

    def _apply_with_retries(self, record, event: Envelope, handler: EventHandler) -> str:
        for attempt in range(1, self._max_attempts + 1):
            try:
                return self._apply_together([(0, record, event, handler)])[0]
            except InfrastructureDown:
                raise
            except Exception as error:  # an IntegrityError may be a concurrent duplicate: the next try sees it
                last_error = error
            log.warning("event failed (attempt %d of %d): %s", attempt, self._max_attempts, last_error,
                        extra={"event_type": event.type})
            if attempt < self._max_attempts:
                self._pause.wait(min(5.0, self._retry_backoff_s * 2 ** (attempt - 1)))
        return self._dead_letter(record, last_error)

    @staticmethod
    def _event_context(event: Envelope):
        # Events a handler emits are caused by this one and share its correlation.
        return context.bound(correlation_id=event.correlation_id, causation_id=event.id, event_id=event.id)

    def _dead_letter(self, record, error: BaseException) -> str:
        log.error("event dead-lettered: %s", error,
                  extra={"event_type": _peek_type(record.value), "topic": record.topic})
        try:
            if self._producer is None:
                self._producer = kafka.make_producer(self._kafka_settings, client_id=f"{self.group}-dlq")
            dead_letter(self._producer, record, self.group, error)
        except Exception as publish_error:
            raise InfrastructureDown(f"dead-letter publish failed: {publish_error}") from publish_error
        metrics.DEAD_LETTERS.labels(self.service, record.topic).inc()
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
