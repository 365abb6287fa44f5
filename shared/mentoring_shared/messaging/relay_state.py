"""What the outbox relay keeps in its service's database besides the outbox: the broker log marks
(how far its acknowledged sends reached, per topic) and the republishes it owes (sent rows to send
again, in outbox order, with a cursor that commits with each batch, so a crash resumes them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, Table, and_, func, insert, select, update
from sqlalchemy.orm import Session

from mentoring_shared.messaging.broker_log import LogMark


def sendable_rows(outbox: Table) -> Select:
    """What the relay reads of a row to send it, in this order: (seq, topic, message_key,
    event_type, envelope). Its send loop unpacks the rows by position."""
    return select(outbox.c.seq, outbox.c.topic, outbox.c.message_key, outbox.c.event_type, outbox.c.envelope)


@dataclass(frozen=True)
class Republish:
    id: int
    reason: str
    topics: list[str] | None  # None: every topic
    from_seq: int
    to_seq: int
    next_seq: int
    events_total: int
    events_sent: int
    requested_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class RelayState:
    def __init__(self, outbox: Table, marks: Table, republishes: Table):
        self._outbox = outbox
        self._marks = marks
        self._republishes = republishes

    # -- broker log marks ---------------------------------------------------------------------

    def marks(self, session: Session) -> dict[str, LogMark]:
        rows = session.execute(select(self._marks)).mappings()
        return {row["topic"]: LogMark(row["topic"], row["topic_id"], row["cluster_id"], row["partitions"],
                                      {int(p): int(o) for p, o in (row["end_floors"] or {}).items()})
                for row in rows}

    def save_marks(self, session: Session, marks: list[LogMark]) -> None:
        existing = set(session.execute(select(self._marks.c.topic).where(
            self._marks.c.topic.in_([mark.topic for mark in marks]))).scalars())
        now = datetime.now(UTC)
        for mark in marks:
            values = {"topic_id": mark.topic_id, "cluster_id": mark.cluster_id, "partitions": mark.partitions,
                      "end_floors": {str(p): o for p, o in sorted(mark.end_floors.items())}, "updated_at": now}
            if mark.topic in existing:
                session.execute(update(self._marks).where(self._marks.c.topic == mark.topic).values(**values))
            else:
                session.execute(insert(self._marks).values(topic=mark.topic, **values))

    # -- republishes --------------------------------------------------------------------------

    def request_republish(self, session: Session, reason: str, since: datetime | None = None,
                          topics: list[str] | None = None) -> Republish | None:
        """Owe a resend of every sent row (of `topics`, created at or after `since`) still in the
        outbox. None if there is nothing to resend."""
        sent: list[ColumnElement[bool]] = [self._outbox.c.sent_at.is_not(None)]
        if since is not None:
            sent.append(self._outbox.c.created_at >= since)
        if topics is not None:
            sent.append(self._outbox.c.topic.in_(topics))
        first, last, count = session.execute(select(
            func.min(self._outbox.c.seq), func.max(self._outbox.c.seq), func.count()).where(and_(*sent))).one()
        if not count:
            return None
        republish_id = session.execute(insert(self._republishes).values(
            requested_at=datetime.now(UTC), reason=reason[:2000], topics=sorted(topics) if topics else None,
            from_seq=first, to_seq=last, next_seq=first, events_total=count, events_sent=0,
        ).returning(self._republishes.c.republish_id)).scalar_one()
        return self.republish(session, republish_id)

    def republish(self, session: Session, republish_id: int) -> Republish | None:
        row = session.execute(select(self._republishes).where(
            self._republishes.c.republish_id == republish_id)).mappings().first()
        return _republish(row) if row else None

    def next_republish(self, session: Session) -> Republish | None:
        """The oldest republish not finished yet."""
        row = session.execute(select(self._republishes).where(self._republishes.c.finished_at.is_(None))
                              .order_by(self._republishes.c.republish_id).limit(1)).mappings().first()
        return _republish(row) if row else None

    def republish_rows(self, republish: Republish, limit: int):
        """The next sent rows this republish owes, in outbox order."""
        outbox = self._outbox
        where = [outbox.c.seq >= republish.next_seq, outbox.c.seq <= republish.to_seq, outbox.c.sent_at.is_not(None)]
        if republish.topics is not None:
            where.append(outbox.c.topic.in_(republish.topics))
        return sendable_rows(outbox).where(and_(*where)).order_by(outbox.c.seq).limit(limit)

    def advance_republish(self, session: Session, republish: Republish, last_seq: int | None, sent: int) -> None:
        """Move the cursor past `last_seq`; finish the republish when nothing is left (last_seq None)."""
        values: dict = {"events_sent": self._republishes.c.events_sent + sent}
        if last_seq is None or last_seq >= republish.to_seq:
            values["finished_at"] = datetime.now(UTC)
        if last_seq is not None:
            values["next_seq"] = last_seq + 1
        session.execute(update(self._republishes).where(
            self._republishes.c.republish_id == republish.id).values(**values))

    def republishes(self, session: Session, limit: int = 20) -> list[Republish]:
        rows = session.execute(select(self._republishes).order_by(self._republishes.c.republish_id.desc())
                               .limit(limit)).mappings()
        return [_republish(row) for row in rows]


def _republish(row) -> Republish:
    return Republish(id=row["republish_id"], reason=row["reason"], topics=row["topics"], from_seq=row["from_seq"],
                     to_seq=row["to_seq"], next_seq=row["next_seq"], events_total=row["events_total"],
                     events_sent=row["events_sent"], requested_at=row["requested_at"], finished_at=row["finished_at"])
