"""The outbox relay: the only code that publishes. It reads unsent rows, sends them, and marks
them sent after the broker has acknowledged; a crash in between means a resend, which consumers
absorb through their inbox. While the broker is down it backs off, and drains afterwards.

One relay per service is active at a time (a PostgreSQL advisory lock elects it), so events leave
in outbox order and one aggregate's events stay in order. The rows of a batch stay locked
(`FOR UPDATE SKIP LOCKED`) until they are marked. SQLite, the single-process embedded default,
instead reads, sends and marks in separate short transactions, so the API is never kept waiting
on the broker. A row the broker refuses outright (too large, say) is retried a few times and then
parked, so one bad row cannot block the service's outbox, while its aggregate's later events wait
behind it (they must not overtake it); an outage never counts against a row.

A broker can lose events it acknowledged (tansu keeps topics in memory; a Kafka topic can be
deleted or a volume wiped). The relay remembers how far its acknowledged sends reached in each
topic's log, and which log that was (the broker's topic id), and looks at the broker every second
while it sends, at each unprompted look while idle, and after every failure: a topic recreated or
a log ending below that mark means consumers may never see some events. It then recreates the topic
with the configured partitions if the broker brought it back otherwise, and republishes every sent
row of that topic still in the outbox (kept for the retention window), in outbox order, before
anything newer; inboxes absorb the repeats.

An idle relay on PostgreSQL waits to be told (relay_election, which also holds the lock): a trigger
NOTIFYs it of each statement that adds outbox rows (or a republish request), and the connection
holding its lock LISTENs; told, it lets 50 ms of rows gather, so a steady trickle of requests goes
out several at a look (one person per request in the bench: 277 req/s with 20 ms, 296 with 50, each
batch's queries and flush shared by more events, downstream too; p99 commit to applied 113 -> 127
ms). It still looks every 5 seconds without being told: the trigger announces every row, so this
look is a safety net, and at once a second the three idle relays beside the consumers, their
databases and the broker spent about 3% of the pipeline bench's CPU per event. Polling every 50 ms
instead cost each idle relay, and its database, five queries a look: with four services, a fifth of
a busy consumer's CPU went to the idle relay beside it. SQLite, one process, polls."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Row, Table, and_, delete, func, not_, or_, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from mentoring_shared import metrics
from mentoring_shared.config import KafkaSettings
from mentoring_shared.db.dialects import among
from mentoring_shared.db.engine import for_writing, rows_affected
from mentoring_shared.messaging import kafka
from mentoring_shared.messaging.broker_log_keeper import BrokerLogKeeper
from mentoring_shared.messaging.relay_election import Leadership, LostLeadership, NothingToElect, lock_key
from mentoring_shared.messaging.relay_state import RelayState, Republish, sendable_rows

log = logging.getLogger(__name__)

AckHook = Callable[[list[int]], None]

# Longer than the producer's delivery timeout, so every send has its outcome when flush returns.
FLUSH_TIMEOUT_S = 20.0
# Sends the broker refused outright before a row is parked for an operator to look at.
MAX_REJECTIONS = 5
PURGE_BATCH = 5_000
# Rows a relay batch reads, sends and marks in one transaction: as many as a consumer's poll takes
# (config.POLL_MAX_RECORDS), so a backlog costs a quarter of the round trips and flushes it did
# with 500.
RELAY_BATCH = 2000


@dataclass
class _Outcome:
    acknowledged: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)     # the broker will never take these as they are
    retriable: list[int] = field(default_factory=list)    # the broker is away or busy: try again later
    held: list[int] = field(default_factory=list)         # behind a refused event of their aggregate
    # Per topic and partition, one past the batch's first acknowledged event: a log end every broker
    # must report from now on (see broker_log).
    reached: dict[str, dict[int, int]] = field(default_factory=dict)


class OutboxRelay:
    def __init__(self, service: str, session_factory: sessionmaker[Session], outbox: Table,
                 kafka_settings: KafkaSettings, batch_size: int = RELAY_BATCH, idle_wait_s: float = 0.05,
                 notified_wait_s: float = 5.0, gather_s: float = 0.05, max_backoff_s: float = 5.0,
                 retention: timedelta = timedelta(days=7),
                 after_acknowledged: AckHook | None = None, watch_interval_s: float = 1.0):
        self.service = service
        self._sessions = session_factory
        self._outbox = outbox
        self._kafka_settings = kafka_settings
        self._batch_size = batch_size
        self._idle_wait_s = idle_wait_s  # polling (SQLite)
        self._notified_wait_s = notified_wait_s  # the longest wait for a NOTIFY (PostgreSQL)
        self._gather_s = gather_s  # how long a NOTIFY'd relay lets more rows gather (relay_election)
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
        tables = outbox.metadata.tables
        self._state = RelayState(outbox, tables["broker_log_marks"], tables["outbox_republishes"])
        self._logs = BrokerLogKeeper(service, session_factory, self._state, kafka_settings, watch_interval_s)
        self.active = False  # this relay is the service's elected one

    def run(self, stop: threading.Event) -> None:
        """Relay while elected; stand by while another relay is; stand down if the lock is lost."""
        while not stop.is_set():
            leadership = self._elect(stop)
            if leadership is None:
                return
            self.active = True
            try:
                self._relay_while_leading(stop, leadership)
            except LostLeadership as error:
                log.error("outbox relay lost its leadership, standing by: %s", error)
            finally:
                self.active = False
                self._discard_clients()
                leadership.release()

    def _elect(self, stop: threading.Event) -> Leadership | NothingToElect | None:
        if not self._locks_rows:
            return NothingToElect(self._idle_wait_s)
        return Leadership.elect(self._engine, self.service, stop, self._notified_wait_s, self._gather_s)

    def _relay_while_leading(self, stop: threading.Event, leadership: Leadership | NothingToElect) -> None:
        backoff = 0.0
        while not stop.is_set():
            leadership.confirm()
            try:
                sent = self.relay_once()
                backoff = 0.0
                if sent < self._batch_size:
                    leadership.wait_for_rows(stop)
                else:  # more to send at once: what was announced is covered
                    leadership.spend_notifications()
            except Exception as error:  # broker or database away: back off and keep trying
                backoff = min(self._max_backoff_s, max(0.2, backoff * 2))
                log.warning("outbox relay failed, retrying in %.1fs: %s", backoff, error)
                self._discard_clients()
                self._logs.look_soon()  # the broker may have restarted: look before the next send
                stop.wait(backoff)
            self._refresh_gauges()

    def relay_once(self) -> int:
        """Look at the broker if due (repairing a lost log), then send one batch: what a republish
        owes first, else unsent rows. Returns how many rows were acknowledged. On PostgreSQL one
        transaction asks for a republish, the refused aggregates and the batch, then marks it: a
        round trip costs this client about 90 µs of CPU on the project's machines, and three
        short sessions a batch made eleven of them."""
        self._logs.look_if_due()
        if self._locks_rows:
            with self._sessions() as session, session.begin():
                republish = self._state.next_republish(session)
                if republish is None:
                    rows = self._read_in_seq_order(session, self._unsent(self._refused_aggregates(session))
                                                   .with_for_update(skip_locked=True))
                    outcome = self._send(rows)
                    self._mark(session, outcome)
        else:
            with self._sessions() as session, session.begin():
                republish = self._state.next_republish(session)
                if republish is None:
                    rows = session.execute(self._unsent(self._refused_aggregates(session))).all()
            if republish is None:
                outcome = self._send(rows)
                with for_writing(self._sessions()) as session:
                    self._mark(session, outcome)
                    session.commit()
        if republish is not None:
            return self._republish_once(republish)
        if outcome.retriable:
            raise kafka.KafkaError(f"{len(outcome.retriable)} of {len(rows)} events not acknowledged")
        return len(outcome.acknowledged)

    def request_republish(self, reason: str, since: datetime | None = None,
                          topics: list[str] | None = None) -> Republish | None:
        """Owe a resend of the sent rows still in the outbox (created since `since`, of `topics`)."""
        with for_writing(self._sessions()) as session:
            republish = self._state.request_republish(session, reason, since, topics)
            session.commit()
        return republish

    def _republish_once(self, republish: Republish) -> int:
        with self._sessions() as session, session.begin():
            rows = self._read_in_seq_order(session, self._state.republish_rows(republish, self._batch_size))
        outcome = self._send(rows)
        if outcome.retriable:
            raise kafka.KafkaError(f"{len(outcome.retriable)} of {len(rows)} republished events not acknowledged")
        for seq in outcome.rejected + outcome.held:  # it was taken once; what it is now refused stays as sent
            log.error("broker refused a republished event", extra={"seq": seq})
        with for_writing(self._sessions()) as session:
            self._mark(session, outcome, republishing=True)
            self._state.advance_republish(session, republish, rows[-1].seq if rows else None, len(outcome.acknowledged))
            session.commit()
        metrics.OUTBOX_REPUBLISHED.labels(self.service).inc(len(outcome.acknowledged))
        if not rows or rows[-1].seq >= republish.to_seq:
            log.warning("republish finished", extra={"republish_id": republish.id,
                                                     "events": republish.events_sent + len(outcome.acknowledged)})
        return len(outcome.acknowledged)

    def backlog(self) -> tuple[int, float]:
        """(unsent events, age in seconds of the oldest), parked events aside."""
        with self._sessions() as session:
            count, oldest, _ = self._unsent_summary(session)
        return count, _age_s(oldest)

    def parked(self) -> int:
        """Events the broker refused MAX_REJECTIONS times: they wait for an operator."""
        with self._sessions() as session:
            return self._unsent_summary(session)[2]

    def _unsent_summary(self, session: Session) -> tuple[int, datetime | None, int]:
        """(unsent events, when the oldest was written, parked events), in one pass over the
        partial index of unsent rows."""
        outbox = self._outbox
        waiting = outbox.c.attempts < MAX_REJECTIONS
        count, oldest, parked = session.execute(
            select(func.count().filter(waiting), func.min(outbox.c.created_at).filter(waiting),
                   func.count().filter(not_(waiting)))
            .where(outbox.c.sent_at.is_(None))).one()
        return count, oldest, parked

    def purge_sent(self) -> int:
        """Delete rows sent longer ago than the retention, in bounded batches (oldest first)."""
        cutoff = datetime.now(UTC) - self._retention
        deleted = 0
        while True:
            with for_writing(self._sessions()) as session:
                oldest = select(self._outbox.c.seq).where(self._outbox.c.sent_at < cutoff) \
                    .order_by(self._outbox.c.seq).limit(PURGE_BATCH).scalar_subquery()
                count = rows_affected(session.execute(delete(self._outbox).where(self._outbox.c.seq.in_(oldest))))
                session.commit()
            deleted += count
            if count < PURGE_BATCH:
                return deleted

    def _refused_aggregates(self, session: Session) -> dict[tuple[str, str], int]:
        """(topic, key) -> seq of the first unsent event the broker refused: that aggregate's later
        events wait behind it, so none overtakes it (a small partial index finds them)."""
        outbox = self._outbox
        rows = session.execute(select(outbox.c.topic, outbox.c.message_key, func.min(outbox.c.seq))
                               .where(outbox.c.sent_at.is_(None), outbox.c.attempts > 0)
                               .group_by(outbox.c.topic, outbox.c.message_key)).all()
        return {(topic, key): seq for topic, key, seq in rows}

    def _unsent(self, blocked: dict[tuple[str, str], int]):
        outbox = self._outbox
        behind_refused = [and_(outbox.c.topic == topic, outbox.c.message_key == key, outbox.c.seq > seq)
                          for (topic, key), seq in blocked.items()]
        query = sendable_rows(outbox).where(outbox.c.sent_at.is_(None), outbox.c.attempts < MAX_REJECTIONS)
        if behind_refused:
            query = query.where(not_(or_(*behind_refused)))
        return query.order_by(outbox.c.seq).limit(self._batch_size)

    def _read_in_seq_order(self, session: Session, batch) -> Sequence[Row]:
        """A batch's rows, read through an index in seq order, the read stopping at the batch's size.
        Planned from statistics taken before a burst (an HR import of thousands), the batch read
        fetched the whole backlog and sorted it, on disk, for every batch: about 30 µs of the
        database's time per event with 6,000 waiting, more the longer the backlog."""
        if self._locks_rows:  # PostgreSQL
            session.execute(text("SET LOCAL enable_sort = off"))
        return session.execute(batch).all()

    def _send(self, rows) -> _Outcome:
        outcome = _Outcome()
        if not rows:
            return outcome
        self._logs.prepare_topics({row.topic for row in rows})
        producer = self._ensure_producer()
        futures = []
        refused_now: set[tuple[str, str]] = set()
        for row in rows:
            # Unpacked once, by position (relay_state.sendable_rows): a Row's attribute costs about
            # 0.6 µs, and this loop read eight a row.
            seq, topic, key, event_type, envelope = row
            if refused_now and (topic, key) in refused_now:
                outcome.held.append(seq)  # must not overtake the event just refused
                continue
            try:
                futures.append((seq, topic, event_type, row, producer.send(topic, key=key.encode(),
                                                                            value=envelope.encode())))
            except kafka.KafkaError as error:
                if self._record_failure(outcome, row, error):
                    refused_now.add((topic, key))
        producer.flush(timeout=FLUSH_TIMEOUT_S)
        sent_by_type: Counter[str] = Counter()
        for seq, topic, event_type, row, future in futures:
            if future.succeeded():
                outcome.acknowledged.append(seq)
                floors = outcome.reached.setdefault(topic, {})
                sent = future.value  # the record's place in the log
                floors[sent.partition] = min(floors.get(sent.partition, sent.offset + 1), sent.offset + 1)
                sent_by_type[event_type] += 1
            else:
                self._record_failure(outcome, row, future.exception)
        for event_type, count in sent_by_type.items():
            metrics.EVENTS_PUBLISHED.labels(self.service, event_type, "sent").inc(count)
        return outcome

    def _record_failure(self, outcome: _Outcome, row, error) -> bool:
        """Sort a failed send; True if the broker refused the event itself."""
        metrics.EVENTS_PUBLISHED.labels(self.service, row.event_type, "failed").inc()
        if isinstance(error, kafka.RECORD_REFUSED):
            log.error("broker refused an event: %s", error, extra={"event_type": row.event_type})
            outcome.rejected.append(row.seq)
            return True
        outcome.retriable.append(row.seq)  # anything else may be an outage: never held against the row
        return False

    def _mark(self, session: Session, outcome: _Outcome, republishing: bool = False) -> None:
        if self._after_acknowledged:
            self._after_acknowledged(outcome.acknowledged)
        if outcome.acknowledged and not republishing:
            session.execute(update(self._outbox).where(among(session, self._outbox.c.seq, outcome.acknowledged))
                            .values(sent_at=datetime.now(UTC)))
        if outcome.rejected and not republishing:
            session.execute(update(self._outbox).where(among(session, self._outbox.c.seq, outcome.rejected))
                            .values(attempts=self._outbox.c.attempts + 1))
        self._logs.record_acknowledged(session, outcome.reached)

    def _refresh_gauges(self) -> None:
        now = time.monotonic()
        if now - self._last_gauges < 1.0:
            return
        self._last_gauges = now
        try:
            with self._sessions() as session:  # one session: each round trip counts (see relay_once)
                count, oldest, parked = self._unsent_summary(session)
                republish = self._state.next_republish(session)
            metrics.OUTBOX_BACKLOG.labels(self.service).set(count)
            metrics.OUTBOX_OLDEST_AGE.labels(self.service).set(_age_s(oldest))
            metrics.OUTBOX_PARKED.labels(self.service).set(parked)
            remaining = republish.events_total - republish.events_sent if republish else 0
            metrics.OUTBOX_REPUBLISH_REMAINING.labels(self.service).set(max(0, remaining))
            if now - self._last_purge > 3600:
                self._last_purge = now
                self.purge_sent()
        except Exception as error:
            log.warning("outbox gauges not refreshed: %s", error)

    def _ensure_producer(self):
        if self._producer is None:
            self._producer = kafka.make_producer(self._kafka_settings, client_id=f"{self.service}-relay")
        return self._producer

    def _discard_clients(self) -> None:
        # After a failure the producer may hold stale sequence state; fresh clients start clean.
        if self._producer is not None:
            _close_quietly(self._producer, timeout=1)
            self._producer = None
        self._logs.close()

    @property
    def _lock_key(self) -> int:
        return lock_key(self.service)

    def close(self) -> None:
        """Close the relay's broker clients (a relay driven by relay_once, in tests and tools)."""
        self._discard_clients()


def _age_s(oldest: datetime | None) -> float:
    return 0.0 if oldest is None else max(0.0, (datetime.now(UTC) - oldest).total_seconds())


def _close_quietly(closable, **kwargs) -> None:
    try:
        closable.close(**kwargs)
    except Exception:
        pass
