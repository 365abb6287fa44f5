"""The consumer runner: reads a service's subscribed topics as one consumer group and applies each
event exactly once. The inbox row commits with the event's effects; the Kafka offset is committed
only after that, so a crash anywhere means a redelivery, and a redelivery is a no-op."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import cast

from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from mentoring_shared import context, metrics
from mentoring_shared.config import KafkaSettings
from mentoring_shared.contracts.registry import EventRegistry
from mentoring_shared.messaging import kafka
from mentoring_shared.messaging.consumer_log_watch import ConsumerLogWatch
from mentoring_shared.messaging.dead_letters import dead_letter
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.messaging.inbox import AlreadyClaimed, claim_new
from mentoring_shared.unit_of_work import UnitOfWork

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
    """The database is away or refused this try, or dead letters cannot be published: retry the same
    events later, never count them towards the bounded tries, never dead-letter them.
    `reason` labels consumer_retries_total."""

    def __init__(self, message: str, reason: str = "database_unavailable"):
        super().__init__(message)
        self.reason = reason


# What a failure says about the record being applied (see classify_failure).
UNAVAILABLE = "unavailable"  # the database is away: hold the partition and retry later
TRANSIENT = "transient"      # the database refused this try only (a lost race or wait): hold and retry later
EVENT = "event"              # this event failed: bounded tries, then dead letters

# SQLSTATE classes of a database that is away or out of resources, not of a bad statement or row:
# 08 connection exception, 53 insufficient resources, 57P0x shutdown / cannot connect now.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P")
# SQLSTATEs of a try that lost a race or a wait, which the same statements win later: 40001
# serialization failure, 40P01 deadlock, 55P03 lock not available (lock_timeout), 57014 query
# cancelled (statement_timeout).
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57014"})


def classify_failure(error: BaseException) -> str:
    """UNAVAILABLE or TRANSIENT for a database fault that says nothing about the event (retry it
    later, however long that takes), EVENT for anything else: a bad statement, a constraint (maybe a
    concurrent duplicate, which the next try absorbs), bad data, a bug."""
    if not isinstance(error, DBAPIError):
        return EVENT
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in _TRANSIENT_SQLSTATES:
        return TRANSIENT
    if error.connection_invalidated:
        return UNAVAILABLE
    if sqlstate:
        return UNAVAILABLE if sqlstate.startswith(_UNAVAILABLE_SQLSTATES) else EVENT
    if isinstance(error, InterfaceError):
        return UNAVAILABLE
    if isinstance(error, OperationalError) and _sqlite_busy(error.orig):
        return TRANSIENT
    return EVENT


def _sqlite_busy(orig: BaseException | None) -> bool:
    """SQLite reports both a busy database and a bad statement as OperationalError; only the first
    says "database ... locked/busy" ("database is locked", "database table is locked")."""
    message = str(orig)
    return message.startswith("database ") and ("locked" in message or "busy" in message)


class _PartitionBackoff:
    """Partitions held back after an infrastructure fault. A held partition is paused, so the others
    keep flowing; its wait doubles (up to `max_s`) while its retries keep failing, and starts again
    from `first_s` once a batch of it is applied."""

    def __init__(self, first_s: float = 0.5, max_s: float = 30.0):
        self._first_s, self._max_s = first_s, max_s
        self._waits: dict = {}  # partition -> its last wait
        self._due: dict = {}    # paused partition -> when to resume it (monotonic)

    def hold(self, consumer, partition) -> float:
        wait = min(self._max_s, self._waits[partition] * 2) if partition in self._waits else self._first_s
        self._waits[partition] = wait
        self._due[partition] = time.monotonic() + wait
        consumer.pause(partition)
        return wait

    def release_due(self, consumer) -> None:
        now = time.monotonic()
        assigned = consumer.assignment()  # a rebalance may have taken a held partition away
        due = [partition for partition, at in self._due.items() if at <= now or partition not in assigned]
        for partition in due:
            del self._due[partition]
        due = [partition for partition in due if partition in assigned]
        if due:
            consumer.resume(*due)

    def applied(self, partition) -> None:
        self._waits.pop(partition, None)


class ConsumerRunner:
    def __init__(self, service: str, group: str, handlers: dict[str, EventHandler], events: EventRegistry,
                 uow_factory: Callable[[], UnitOfWork], inbox: Table, kafka_settings: KafkaSettings,
                 max_attempts: int = 5, retry_backoff_s: float = 0.2, watch_interval_s: float = 1.0):
        self.service = service
        self.group = group
        self._handlers = handlers
        self._events = events
        self._uow_factory = uow_factory
        self._inbox = inbox
        self._kafka_settings = kafka_settings
        self._max_attempts = max_attempts
        self._retry_backoff_s = retry_backoff_s
        self._producer = None
        self._log_watch = ConsumerLogWatch(service, self.topics, kafka_settings, interval_s=watch_interval_s)
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
        self._log_watch.close()
        if self._producer is not None:
            self._producer.close(timeout=5)

    def _consume(self, consumer, stop: threading.Event) -> None:
        held = _PartitionBackoff()
        while not stop.is_set():
            held.release_due(consumer)
            batch = consumer.poll(timeout_ms=500)
            for partition in self._log_watch.check_new_assignment(consumer):
                batch.pop(partition, None)  # fetched from an offset of the topic's earlier log
            self._commit(consumer, self.apply_poll(consumer, batch, held, stop))
            self._log_watch.look_if_due(consumer)

    def apply_poll(self, consumer, batch: dict, held: _PartitionBackoff, stop: threading.Event) -> dict:
        """Apply a poll's records (at most KAFKA_POLL_MAX_RECORDS, from any number of partitions) in
        one transaction, and return the offsets to commit. A batch's fixed cost, about 1 ms of CPU
        (its statements and commit), is then paid once per poll: a transaction per partition cost
        each consumer 4 to 6 µs more per event in the pipeline bench's bulk phase. Partitions in a
        transaction that met an infrastructure fault are held back and read again later."""
        if not batch or stop.is_set():
            return {}  # uncommitted records come back after a restart
        partitions = list(batch.items())
        try:
            self.process_batch([record for _, records in partitions for record in records])
        except InfrastructureDown as error:
            for partition, records in partitions:
                consumer.seek(partition, records[0].offset)
                wait_s = held.hold(consumer, partition)
            self._note_retry(error, wait_s)
            return {}
        done = {}
        for partition, records in partitions:
            held.applied(partition)
            done[partition] = kafka.OffsetAndMetadata(records[-1].offset + 1, None, -1)
        return done

    def _note_retry(self, error: InfrastructureDown, wait_s: float) -> None:
        log.warning("cannot apply events now, retrying them in %.1fs: %s", wait_s, error,
                    extra={"reason": error.reason})
        metrics.CONSUMER_RETRIES.labels(self.service, error.reason).inc()

    def process_batch(self, records: list) -> list[str]:
        """Apply records in order (each partition's in its order), in ONE transaction: their inbox
        rows and effects commit together, so a batch costs one commit. If that transaction fails, the records are
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
        for (event_type, reached), count in Counter(zip(types, outcomes)).items():
            metrics.EVENTS_CONSUMED.labels(self.service, event_type, reached).inc(count)
        return cast(list[str], outcomes)  # every record has reached one by now

    def _prepare(self, record) -> tuple[str, str | tuple[Envelope, EventHandler]]:
        """Decode and validate a record. Returns its type (for metrics) and either (event, handler)
        to apply or the outcome already reached. Decoding reads only the record's bytes, so a retry
        would fail the same way: any error here (a MalformedEnvelope or ValidationError, or a custom
        field's TypeError or KeyError) dead-letters the record at once, and the partition flows on."""
        try:
            envelope = Envelope.from_json(record.value)
        except Exception as error:
            return _peek_type(record.value), self._dead_letter(record, error)
        handler = self._handlers.get(envelope.type)
        if handler is None:
            return _label(envelope.type), "ignored"
        try:  # a handler may name the payload fields it reads (`reads`): only those are loaded
            payload = self._events.contract(envelope.type).load_payload(envelope.data, getattr(handler, "reads", None))
        except Exception as error:
            return envelope.type, self._dead_letter(record, error)
        return envelope.type, (envelope.with_data(payload), handler)

    def _apply_together(self, applicable) -> list[str]:
        """Apply these events in one transaction, betting that none was applied before (see
        claim_new); if one was, the lost transaction is done again without the bet."""
        try:
            return self._apply_claimed(applicable, all_new=True)
        except AlreadyClaimed:
            return self._apply_claimed(applicable, all_new=False)

    def _apply_claimed(self, applicable, all_new: bool) -> list[str]:
        outcomes: list[str] = []
        try:
            with self._uow_factory() as uow:
                new = claim_new(uow.session, self._inbox, self.group, [event for _, _, event, _ in applicable], all_new)
                to_apply = []
                for _, _, event, handler in applicable:
                    if event.id not in new:
                        outcomes.append("duplicate")
                        continue
                    new.discard(event.id)  # the relay may have sent it twice within one batch
                    to_apply.append((event, handler))
                    outcomes.append("applied")
                self._apply_in_order(to_apply, uow)
                uow.commit()
        except Exception as error:
            failure = classify_failure(error)
            if failure != EVENT:  # not this event's fault: the whole batch waits and comes back
                raise InfrastructureDown(str(error), reason=f"database_{failure}") from error
            raise
        return outcomes

    def _apply_in_order(self, to_apply: list[tuple[Envelope, EventHandler]], uow: UnitOfWork) -> None:
        """Call each event's handler in order; a run of consecutive events whose handler can apply a
        batch (`apply_batch`, e.g. a SnapshotHandler) goes to it in one call."""
        run: list[Envelope] = []
        for position, (event, handler) in enumerate(to_apply):
            if hasattr(handler, "apply_batch"):
                run.append(event)
                if position + 1 == len(to_apply) or to_apply[position + 1][1] is not handler:
                    handler.apply_batch(run, uow)
                    run = []
                continue
            with self._event_context(event):
                handler(event, uow)

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
            raise InfrastructureDown(f"dead-letter publish failed: {publish_error}",
                                     reason="dead_letter_publish") from publish_error
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
            kafka.commit_offsets(consumer, {tp: meta.offset for tp, meta in offsets.items()}, self._log_watch.log_ids)
        except kafka.KafkaError as error:
            # A rebalance took the partition away: its new owner re-reads these, and its inbox skips them.
            log.warning("offset commit failed: %s", error)
