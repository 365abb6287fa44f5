"""Keeps a relay's topics whole on the broker: remembers how far its acknowledged sends reached in
each topic's log and which log that was (the broker log marks, see broker_log), looks at the broker
every `interval_s` and whenever the relay asks, and repairs a topic that lost acknowledged events:
brought back with the configured partitions, and a republish of what the outbox holds for it owed
(the relay works it off before anything newer). It also gives every topic the relay is about to
send to the configured shape."""

from __future__ import annotations

import logging
import time

from sqlalchemy.orm import Session, sessionmaker

from mentoring_shared import metrics
from mentoring_shared.config import KafkaSettings
from mentoring_shared.db.engine import for_writing
from mentoring_shared.messaging import kafka
from mentoring_shared.messaging.broker_log import LogMark, advanced, lost_log
from mentoring_shared.messaging.relay_state import RelayState

log = logging.getLogger(__name__)


class BrokerLogKeeper:
    def __init__(self, service: str, sessions: sessionmaker[Session], state: RelayState, settings: KafkaSettings,
                 interval_s: float = 1.0):
        self.service = service
        self._sessions = sessions
        self._state = state
        self._settings = settings
        self._interval_s = interval_s
        self._admin: kafka.BrokerAdmin | None = None
        self._last_watch: float | None = None  # never looked at the broker yet
        self._marks: dict[str, LogMark] | None = None  # loaded from the database at the first look
        self._cluster_id: str | None = None
        self._topic_logs: dict[str, kafka.TopicLog] = {}
        self._shapes_kept: set[tuple[str, str | None]] = set()  # topics holding events in another shape

    def look_soon(self) -> None:
        """Look at the broker before the next send (after a failure: it may have restarted)."""
        self._last_watch = None

    def close(self) -> None:
        if self._admin is not None:
            try:
                self._admin.close()
            except Exception:
                pass
            self._admin = None

    def record_acknowledged(self, session: Session, reached: dict[str, dict[int, int]]) -> None:
        """Raise the marks to what was just acknowledged, in the transaction that marks the rows.
        An acknowledgement below a mark means the log restarted: look at the broker next time."""
        if not reached:
            return
        marks = self._loaded_marks()
        moved = []
        for topic, offsets in reached.items():
            known = self._topic_logs.get(topic)
            mark = marks.get(topic) or LogMark(topic, known.topic_id if known else None, self._cluster_id,
                                               known.partitions if known else 0)
            mark, went_back = advanced(mark, offsets)
            if went_back:
                log.error("the broker acknowledged events below what it had acknowledged before; looking at its logs",
                          extra={"topic": topic, "partitions": went_back})
                self._last_watch = None
            marks[topic] = mark
            moved.append(mark)
        self._state.save_marks(session, moved)

    def _loaded_marks(self) -> dict[str, LogMark]:
        if self._marks is None:
            with self._sessions() as session:
                self._marks = self._state.marks(session)
        return self._marks

    def look_if_due(self) -> None:
        now = time.monotonic()
        if self._last_watch is not None and now - self._last_watch < self._interval_s:
            return
        self.look()
        self._last_watch = now

    def look(self) -> dict[str, str]:
        """Compare the broker's logs with the marks; repair every topic that lost acknowledged
        events. Returns {topic: why it was found lost}."""
        admin = self._ensure_admin()
        cluster_id, topic_logs = admin.describe()
        marks = self._loaded_marks()
        present = {topic: topic_logs[topic].partitions for topic in marks if topic in topic_logs}
        ends = admin.log_ends(present)
        lost = {}
        for topic, mark in marks.items():
            current = topic_logs.get(topic)
            reason = lost_log(mark, cluster_id, current.topic_id if current else None,
                              current.partitions if current else None, ends.get(topic, {}))
            if reason:
                lost[topic] = reason
        self._cluster_id, self._topic_logs = cluster_id, topic_logs
        if lost:
            self._repair(admin, lost)
        self._note_log_identities(marks)
        return lost

    def _repair(self, admin: kafka.BrokerAdmin, lost: dict[str, str]) -> None:
        """Bring the lost topics back with the configured partitions, forget the old logs' marks,
        and owe a republish of everything the outbox still holds for those topics."""
        log.error("the broker lost events it had acknowledged; republishing them from the outbox",
                  extra={"lost_topics": lost})
        for topic in lost:
            metrics.BROKER_LOG_LOSSES.labels(self.service, topic).inc()
        wanted = self._settings.topic_partitions
        admin.recreate([t for t in lost if t in self._topic_logs and self._topic_logs[t].partitions != wanted])
        admin.create_missing(list(lost))
        self._cluster_id, self._topic_logs = admin.describe()
        reason = "the broker lost acknowledged events: " + "; ".join(f"{t}: {why}" for t, why in sorted(lost.items()))
        fresh = [self._fresh_mark(topic) for topic in lost]
        with for_writing(self._sessions()) as session:
            self._state.request_republish(session, reason, topics=sorted(lost))
            self._state.save_marks(session, fresh)
            session.commit()
        self._marks = {**self._loaded_marks(), **{mark.topic: mark for mark in fresh}}

    def _fresh_mark(self, topic: str) -> LogMark:
        current = self._topic_logs.get(topic)
        return LogMark(topic, current.topic_id if current else None, self._cluster_id,
                       current.partitions if current else self._settings.topic_partitions)

    def _note_log_identities(self, marks: dict[str, LogMark]) -> None:
        """Marks holding no events follow the broker's current logs (ids, cluster, partitions)."""
        changed = []
        for topic, mark in marks.items():
            current = self._topic_logs.get(topic)
            if current and (mark.topic_id, mark.cluster_id, mark.partitions) != \
                    (current.topic_id, self._cluster_id, current.partitions):
                changed.append(LogMark(topic, current.topic_id, self._cluster_id, current.partitions,
                                       mark.end_floors))
        if changed:
            with for_writing(self._sessions()) as session:
                self._state.save_marks(session, changed)
                session.commit()
            marks.update({mark.topic: mark for mark in changed})

    def prepare_topics(self, topics: set[str]) -> None:
        """Before sending: a missing topic is created with the configured partitions; an empty one
        a broker created with another count (tansu does, on any request naming it) is recreated,
        so keys land where they always did. A client naming the topic between the delete and the
        create can win that race: try again, and never send to an empty misshapen topic."""
        for _ in range(3):
            missing, misshapen_empty = self._topics_to_fix(topics)
            if not missing and not misshapen_empty:
                return
            admin = self._ensure_admin()
            if misshapen_empty:
                log.warning("recreating empty topics the broker made with another partition count",
                            extra={"topics": misshapen_empty, "partitions": self._settings.topic_partitions})
                admin.recreate(misshapen_empty)
            admin.create_missing(missing)
            self._cluster_id, self._topic_logs = admin.describe()
        raise kafka.KafkaError(f"topics not in the configured shape yet: {sorted(missing + misshapen_empty)}")

    def _topics_to_fix(self, topics: set[str]) -> tuple[list[str], list[str]]:
        """(missing topics, empty topics with another partition count than configured). A topic
        holding events keeps its count: an operator may have added partitions."""
        wanted = self._settings.topic_partitions
        missing = sorted(t for t in topics if t not in self._topic_logs)
        misshapen = {t: self._topic_logs[t].partitions for t in topics
                     if t in self._topic_logs and self._topic_logs[t].partitions != wanted
                     and (t, self._topic_logs[t].topic_id) not in self._shapes_kept}
        if not misshapen:
            return missing, []
        ends = self._ensure_admin().log_ends(misshapen)
        empty = sorted(t for t in misshapen if not any(ends.get(t, {}).values()))
        self._shapes_kept |= {(t, self._topic_logs[t].topic_id) for t in misshapen if t not in empty}
        return missing, empty

    def _ensure_admin(self) -> kafka.BrokerAdmin:
        if self._admin is None:
            self._admin = kafka.BrokerAdmin(self._settings, client_id=f"{self.service}-relay-watch")
        return self._admin
