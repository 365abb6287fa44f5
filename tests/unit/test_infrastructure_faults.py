"""What the consumer waits out (the database is away) versus what it dead-letters (this event fails)."""

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, ProgrammingError

from mentoring_shared.messaging.consumer import _is_infrastructure_fault


class PgError(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize("error,away", [
    (OperationalError("stmt", {}, PgError("08006")), True),     # connection failure
    (OperationalError("stmt", {}, PgError("57P01")), True),     # admin shutdown
    (OperationalError("stmt", {}, PgError("53100")), True),     # disk full
    (OperationalError("stmt", {}, PgError("54000")), False),    # program limit exceeded: this event
    (OperationalError("stmt", {}, PgError("57014")), False),    # statement cancelled (timeout): this event
    (ProgrammingError("stmt", {}, PgError("42P01")), False),    # undefined table: a bug, dead-letter
    (IntegrityError("stmt", {}, PgError("23505")), False),
    (OperationalError("stmt", {}, sqlite3.OperationalError("database is locked")), True),
    (OperationalError("stmt", {}, sqlite3.OperationalError("no such table: people")), False),
    (InterfaceError("stmt", {}, Exception("connection already closed")), True),
    (ValueError("handler bug"), False),
])
def test_only_an_unavailable_database_counts_as_infrastructure(error, away):
    assert _is_infrastructure_fault(error) is away
