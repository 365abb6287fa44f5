"""The outbox relay: the only code that publishes. It reads unsent rows, sends them, and marks
them sent after the broker has acknowledged; a crash in between means a resend, which consumers
absorb through their inbox. While the broker is down it backs off, and drains afterwards."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from mentoring_shared import metrics
from mentoring_shared.config import KafkaSettings
from mentoring_shared.messaging import kafka

log = logging.getLogger(__name__)

AckHook = Callable[[list[int]], None]

# Longer than the producer's delivery timeout, so every send has its outcome when flush returns.
FLUSH_TIMEOUT_S = 20.0


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

    def run(self, stop: threading.Event) -> None:
        backoff = 0.0
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
        self._discard_producer()

    def relay_once(self) -> int:
        """Send one batch. Returns how many rows were acknowledged and marked sent."""
        with self._sessions() as session, session.begin():
            rows = session.execute(
                select(self._outbox.c.seq, self._outbox.c.topic, self._outbox.c.message_key,
                       self._outbox.c.event_type, self._outbox.c.envelope)
                .where(self._outbox.c.sent_at.is_(None))
                .order_by(self._outbox.c.seq)
                .limit(self._batch_size)
                .with_for_update(skip_locked=True)
            ).all()
            if not rows:
                return 0
            producer = self._ensure_producer()
            futures = [producer.send(row.topic, key=row.message_key.encode(), value=row.envelope.encode())
                       for row in rows]
            producer.flush(timeout=FLUSH_TIMEOUT_S)
            acknowledged, failed = [], []
            for row, future in zip(rows, futures):
                if future.succeeded():
                    acknowledged.append(row.seq)
                    metrics.EVENTS_PUBLISHED.labels(self.service, row.event_type, "sent").inc()
                else:
                    failed.append(row.seq)
                    metrics.EVENTS_PUBLISHED.labels(self.service, row.event_type, "failed").inc()
            if self._after_acknowledged:
                self._after_acknowledged(acknowledged)
            if acknowledged:
                session.execute(update(self._outbox).where(self._outbox.c.seq.in_(acknowledged))
                                .values(sent_at=datetime.now(timezone.utc)))
            if failed:
                session.execute(update(self._outbox).where(self._outbox.c.seq.in_(failed))
                                .values(attempts=self._outbox.c.attempts + 1))
        if failed:
            raise kafka.KafkaError(f"{len(failed)} of {len(rows)} events not acknowledged")
        return len(acknowledged)

    def backlog(self) -> tuple[int, float]:
        """(unsent events, age in seconds of the oldest)."""
        with self._sessions() as session:
            count, oldest = session.execute(
                select(func.count(), func.min(self._outbox.c.created_at))
                .where(self._outbox.c.sent_at.is_(None))).one()
        if oldest is None:
            return 0, 0.0
        return count, max(0.0, (datetime.now(timezone.utc) - oldest).total_seconds())

    def purge_sent(self) -> int:
        """Delete rows sent longer ago than the retention; they only serve investigations."""
        cutoff = datetime.now(timezone.utc) - self._retention
        with self._sessions() as session, session.begin():
            result = session.execute(delete(self._outbox).where(self._outbox.c.sent_at < cutoff))
        return result.rowcount or 0

    def _refresh_gauges(self) -> None:
        now = time.monotonic()
        if now - self._last_gauges < 1.0:
            return
        self._last_gauges = now
        try:
            count, age = self.backlog()
            metrics.OUTBOX_BACKLOG.labels(self.service).set(count)
            metrics.OUTBOX_OLDEST_AGE.labels(self.service).set(age)
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
