"""The outbox relay: the only code that publishes. It reads unsent rows, sends them, and marks
them sent after the broker has acknowledged; a crash in between means a resend, which consumers
absorb through their inbox. While the broker is down it backs off, and drains afterwards.

One relay per service is active at a time (a PostgreSQL advisory lock elects it), so events leave
in outbox order and one aggregate's events stay in order. The rows of a batch stay locked
(`FOR UPDATE SKIP LOCKED`) until they are marked. SQLite, the single-process embedded default,
instead reads, sends and marks in separate short transactions, so the API is never kept waiting
on the broker. A row the broker refuses outright (too large, say) is retried a few times and then
parked, so one bad row cannot block the service's outbox; an outage never counts against a row."""

from __future__ import annotations

import logging
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import Table, delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from mentoring_shared import metrics
from mentoring_shared.config import KafkaSettings
from mentoring_shared.db.engine import for_writing
from mentoring_shared.messaging import kafka

log = logging.getLogger(__name__)

AckHook = Callable[[list[int]], None]

# Longer than the producer's delivery timeout, so every send has its outcome when flush returns.
FLUSH_TIMEOUT_S = 20.0
# Sends the broker refused outright before a row is parked for an operator to look at.
MAX_REJECTIONS = 5
PURGE_BATCH = 5_000


@dataclass
class _Outcome:
    acknowledged: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)     # the broker will never take these as they are
    retriable: list[int] = field(default_factory=list)    # the broker is away or busy: try again later


class OutboxRelay:
    def __init__(self, service: str, session_factory: sessionmaker[Session], outbox: Table,
                 kafka_settings: KafkaSettings, batch_size: int = 500, idle_wait_s: float = 0.05,
                 max_backoff_s: float = 5.0, retention: timedelta = timedelta(days=7),
                 after_acknowledged: AckHook | None = None):
        self.service = service
        self._sessions = session_factory
        self._outbox = outbox
        self._kafka_settings = kafka_settings
        self._batch_size = batch_size
        self._idle_wait_s = idle_wait_s
        self._max_backoff_s = max_backoff_s
        self._retention = retention
        # Seam for tests that kill the relay between the broker's ack and the database commit.
        self._after_acknowledged = after_acknowledged
        self._producer = None
        self._last_gauges = 0.0
        self._last_purge = 0.0
        engine = session_factory.kw["bind"]
        self._locks_rows = engine.dialect.name == "postgresql"
        self._engine = engine
        self.active = False  # this relay is the service's elected one

    def run(self, stop: threading.Event) -> None:
        leadership = self._lead(stop)
        if leadership is None:
            return
        self.active = True
        backoff = 0.0
        try:
            while not stop.is_set():
                try:
                    sent = self.relay_once()
                    backoff = 0.0
                    if sent < self._batch_size:
                        stop.wait(self._idle_wait_s)
                except Exception as error:  # broker or database away: back off and keep trying
                    backoff = min(self._max_backoff_s, max(0.2, backoff * 2))
                    log.warning("outbox relay failed, retrying in %.1fs: %s", backoff, error)
                    self._discard_producer()
                    stop.wait(backoff)
                self._refresh_gauges()
        finally:
            self.active = False
            self._discard_producer()
            if leadership is not True:
                leadership.close()  # releases the advisory lock

    def relay_once(self) -> int:
        """Send one batch. Returns how many rows were acknowledged and marked sent."""
        if self._locks_rows:
            with self._sessions() as session, session.begin():
                rows = session.execute(self._unsent().with_for_update(skip_locked=True)).all()
                outcome = self._send(rows)
                self._mark(session, outcome)
        else:
            with self._sessions() as session, session.begin():
                rows = session.execute(self._unsent()).all()
            outcome = self._send(rows)
            with for_writing(self._sessions()) as session:
                self._mark(session, outcome)
                session.commit()
        if outcome.retriable:
            raise kafka.KafkaError(f"{len(outcome.retriable)} of {len(rows)} events not acknowledged")
        return len(outcome.acknowledged)

    def backlog(self) -> tuple[int, float]:
        """(unsent events, age in seconds of the oldest), parked events aside."""
        with self._sessions() as session:
            count, oldest = session.execute(
                select(func.count(), func.min(self._outbox.c.created_at))
                .where(self._outbox.c.sent_at.is_(None), self._outbox.c.attempts < MAX_REJECTIONS)).one()
        if oldest is None:
            return 0, 0.0
        return count, max(0.0, (datetime.now(timezone.utc) - oldest).total_seconds())

    def parked(self) -> int:
        """Events the broker refused MAX_REJECTIONS times: they wait for an operator."""
        with self._sessions() as session:
            return session.execute(select(func.count()).where(
                self._outbox.c.sent_at.is_(None), self._outbox.c.attempts >= MAX_REJECTIONS)).scalar_one()

    def purge_sent(self) -> int:
        """Delete rows sent longer ago than the retention, in bounded batches (oldest first)."""
        cutoff = datetime.now(timezone.utc) - self._retention
        deleted = 0
        while True:
            with for_writing(self._sessions()) as session:
                oldest = select(self._outbox.c.seq).where(self._outbox.c.sent_at < cutoff) \
                    .order_by(self._outbox.c.seq).limit(PURGE_BATCH).scalar_subquery()
                count = session.execute(delete(self._outbox).where(self._outbox.c.seq.in_(oldest))).rowcount or 0
                session.commit()
            deleted += count
            if count < PURGE_BATCH:
                return deleted

    def _unsent(self):
        return (select(self._outbox.c.seq, self._outbox.c.topic, self._outbox.c.message_key,
                       self._outbox.c.event_type, self._outbox.c.envelope)
                .where(self._outbox.c.sent_at.is_(None), self._outbox.c.attempts < MAX_REJECTIONS)
                .order_by(self._outbox.c.seq)
                .limit(self._batch_size))

    def _send(self, rows) -> _Outcome:
        outcome = _Outcome()
        if not rows:
            return outcome
        producer = self._ensure_producer()
        futures = []
        for row in rows:
            try:
                futures.append((row, producer.send(row.topic, key=row.message_key.encode(),
                                                   value=row.envelope.encode())))
            except kafka.KafkaError as error:
                self._record_failure(outcome, row, error)
        producer.flush(timeout=FLUSH_TIMEOUT_S)
        for row, future in futures:
            if future.succeeded():
                outcome.acknowledged.append(row.seq)
                metrics.EVENTS_PUBLISHED.labels(self.service, row.event_type, "sent").inc()
            else:
                self._record_failure(outcome, row, future.exception)
        return outcome

    def _record_failure(self, outcome: _Outcome, row, error) -> None:
        metrics.EVENTS_PUBLISHED.labels(self.service, row.event_type, "failed").inc()
        if isinstance(error, kafka.RECORD_REFUSED):
            log.error("broker refused an event: %s", error, extra={"event_type": row.event_type})
            outcome.rejected.append(row.seq)
        else:  # anything else may be an outage: never held against the row
            outcome.retriable.append(row.seq)

    def _mark(self, session: Session, outcome: _Outcome) -> None:
        if self._after_acknowledged:
            self._after_acknowledged(outcome.acknowledged)
        if outcome.acknowledged:
            session.execute(update(self._outbox).where(self._outbox.c.seq.in_(outcome.acknowledged))
                            .values(sent_at=datetime.now(timezone.utc)))
        if outcome.rejected:
            session.execute(update(self._outbox).where(self._outbox.c.seq.in_(outcome.rejected))
                            .values(attempts=self._outbox.c.attempts + 1))

    def _lead(self, stop: threading.Event):
        """Wait until this relay is the service's one active relay. Returns the connection holding
        the advisory lock (PostgreSQL), True where there is nothing to elect (SQLite), or None if
        stopped first."""
        if not self._locks_rows:
            return True
        key = zlib.crc32(f"outbox-relay:{self.service}".encode())
        while not stop.is_set():
            try:
                connection = self._engine.connect()
                if connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
                    connection.commit()
                    log.info("this outbox relay is the active one")
                    return connection
                connection.close()
            except Exception as error:
                log.warning("outbox relay election failed: %s", error)
            stop.wait(2.0)  # another relay is active: stand by
        return None

    def _refresh_gauges(self) -> None:
        now = time.monotonic()
        if now - self._last_gauges < 1.0:
            return
        self._last_gauges = now
        try:
            count, age = self.backlog()
            metrics.OUTBOX_BACKLOG.labels(self.service).set(count)
            metrics.OUTBOX_OLDEST_AGE.labels(self.service).set(age)
            metrics.OUTBOX_PARKED.labels(self.service).set(self.parked())
            if now - self._last_purge > 3600:
                self._last_purge = now
                self.purge_sent()
        except Exception as error:
            log.warning("outbox gauges not refreshed: %s", error)

    def _ensure_producer(self):
        if self._producer is None:
            self._producer = kafka.make_producer(self._kafka_settings, client_id=f"{self.service}-relay")
        return self._producer

    def _discard_producer(self) -> None:
        # After a failure the producer may hold stale sequence state; a fresh one starts clean.
        if self._producer is not None:
            try:
                self._producer.close(timeout=1)
            except Exception:
                pass
            self._producer = None
