"""What the consumer waits out (the database away, or refusing one try) versus what it dead-letters
(this event fails)."""

import sqlite3

import pytest
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError, ProgrammingError

from mentoring_shared.messaging.consumer import EVENT, TRANSIENT, UNAVAILABLE, classify_failure


class PgError(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize("error,kind", [
    (OperationalError("stmt", {}, PgError("08006")), UNAVAILABLE),  # connection failure
    (OperationalError("stmt", {}, PgError("57P01")), UNAVAILABLE),  # admin shutdown
    (OperationalError("stmt", {}, PgError("57P03")), UNAVAILABLE),  # cannot connect now (starting up)
    (OperationalError("stmt", {}, PgError("53100")), UNAVAILABLE),  # disk full
    (OperationalError("stmt", {}, Exception("server closed the connection"), connection_invalidated=True),
     UNAVAILABLE),
    (InterfaceError("stmt", {}, Exception("connection already closed")), UNAVAILABLE),
    (OperationalError("stmt", {}, PgError("40P01")), TRANSIENT),    # deadlock detected
    (OperationalError("stmt", {}, PgError("40001")), TRANSIENT),    # serialization failure
    (OperationalError("stmt", {}, PgError("55P03")), TRANSIENT),    # lock not available (lock_timeout)
    (OperationalError("stmt", {}, PgError("57014")), TRANSIENT),    # query cancelled (statement_timeout)
    (OperationalError("stmt", {}, sqlite3.OperationalError("database is locked")), TRANSIENT),
    (OperationalError("stmt", {}, sqlite3.OperationalError("database table is locked")), TRANSIENT),
    (OperationalError("stmt", {}, PgError("54000")), EVENT),        # program limit exceeded: this event
    (ProgrammingError("stmt", {}, PgError("42P01")), EVENT),        # undefined table: a bug, dead-letter
    (IntegrityError("stmt", {}, PgError("23505")), EVENT),          # maybe a concurrent duplicate: next try
    (DataError("stmt", {}, PgError("22001")), EVENT),               # value too long
    (OperationalError("stmt", {}, sqlite3.OperationalError("no such table: people")), EVENT),
    (OperationalError("stmt", {}, sqlite3.OperationalError("no such table: busy_slots")), EVENT),
    (ValueError("handler bug"), EVENT),
    (TypeError("custom field bug"), EVENT),
])
def test_failures_are_classified_as_unavailable_transient_or_this_events(error, kind):
    assert classify_failure(error) == kind
