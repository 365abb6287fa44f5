"""Which of a service's relays sends, and how the one that does waits for rows.

On PostgreSQL the active relay holds an advisory lock on a connection of its own, which also
LISTENs for the outbox trigger's NOTIFY: a new row or a republish request wakes it. SQLite, one
process, elects nothing and polls."""

from __future__ import annotations

import logging
import threading
import time
import zlib
from select import POLLIN, poll

from sqlalchemy import Engine, text

from mentoring_shared.db.migrations import OUTBOX_WAKEUP_CHANNEL

log = logging.getLogger(__name__)

STOP_CHECK_S = 0.1  # how often a relay waiting for a NOTIFY checks whether it should stop
STAND_BY_S = 2.0    # how often a relay standing by tries for the lock


class LostLeadership(Exception):
    """The relay's advisory lock (or the connection holding it) is gone: another relay may be active."""


def lock_key(service: str) -> int:
    return zlib.crc32(f"outbox-relay:{service}".encode())


class Leadership:
    """The service's advisory lock, held by this relay on its own connection (PostgreSQL)."""

    def __init__(self, connection, service: str, notified_wait_s: float, gather_s: float):
        self._connection = connection
        self._key = lock_key(service)
        self._notified_wait_s = notified_wait_s  # the longest wait for a NOTIFY
        self._gather_s = gather_s  # how long a NOTIFY'd relay lets more rows gather before it looks

    @classmethod
    def elect(cls, engine: Engine, service: str, stop: threading.Event, notified_wait_s: float,
              gather_s: float) -> Leadership | None:
        """Wait until this relay holds the lock (None if stopped first)."""
        while not stop.is_set():
            try:
                # Autocommit: the lock is the session's, and each check is then one round trip.
                connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                if connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": lock_key(service)}).scalar():
                    connection.execute(text(f"LISTEN {OUTBOX_WAKEUP_CHANNEL}"))
                    log.info("this outbox relay is the active one")
                    return cls(connection, service, notified_wait_s, gather_s)
                connection.close()
            except Exception as error:
                log.warning("outbox relay election failed: %s", error)
            stop.wait(STAND_BY_S)  # another relay is active: stand by
        return None

    def confirm(self) -> None:
        """Before each batch: this relay still holds the lock. A connection that dropped took the
        lock with it, and another relay may already be sending."""
        try:
            held = self._connection.execute(text(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND pid = pg_backend_pid() AND objid = CAST(:key AS oid) AND objsubid = 1)"),
                {"key": self._key}).scalar()
        except Exception as error:
            raise LostLeadership(f"the connection holding the lock failed: {error}") from error
        if not held:
            raise LostLeadership("the advisory lock is no longer held")

    def wait_for_rows(self, stop: threading.Event) -> None:
        """Until new outbox rows or a republish request are announced, `notified_wait_s` passes,
        or `stop`. A notification that came during the last look ends the wait at once."""
        try:
            if wait_for_notification(self._psycopg, stop, self._notified_wait_s):
                # A moment for the rows committed right behind it, so that at a steady trickle
                # one look sends several; then the notifications of all of them are spent.
                stop.wait(self._gather_s)
                self.spend_notifications()
        except Exception as error:  # the connection failed: the next confirmation says so
            log.warning("outbox relay stopped listening: %s", error)

    def spend_notifications(self) -> None:
        """Forget what was announced: the look about to happen covers it."""
        _notified(self._psycopg)

    def release(self) -> None:
        """Close the connection, which releases the lock if it still lives."""
        try:
            self._connection.close()
        except Exception:
            pass

    @property
    def _psycopg(self):
        return self._connection.connection.driver_connection


class NothingToElect:
    """SQLite: one process, one relay, which polls."""

    def __init__(self, idle_wait_s: float):
        self._idle_wait_s = idle_wait_s

    def confirm(self) -> None:
        pass

    def wait_for_rows(self, stop: threading.Event) -> None:
        stop.wait(self._idle_wait_s)

    def spend_notifications(self) -> None:
        pass

    def release(self) -> None:
        pass


def _notified(connection) -> bool:
    # The generator is consumed whole: left open, it would keep the connection's lock.
    return bool(list(connection.notifies(timeout=0, stop_after=1)))


def wait_for_notification(connection, stop: threading.Event, wait_s: float) -> bool:
    """Wait up to `wait_s` for a NOTIFY on this psycopg connection (checking `stop` every
    STOP_CHECK_S); whether one came. The socket is watched here rather than by psycopg's
    `notifies(timeout=...)`, which cost an idle relay 8 ms of CPU a second against 1 ms. A
    notification received during the relay's last statements is already off the socket: it is
    read first."""
    if _notified(connection):
        return True
    poller = poll()  # not select(): a worker may hold file descriptors above 1024
    poller.register(connection.fileno(), POLLIN)
    deadline = time.monotonic() + wait_s
    while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
        if poller.poll(min(STOP_CHECK_S, left) * 1000):
            # Readable without a notification (a notice, a closed socket): stop waiting and let the
            # next look, and its leadership check, find out.
            return _notified(connection)
    return False
