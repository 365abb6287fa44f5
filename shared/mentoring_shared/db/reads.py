"""Reads that are one statement. On PostgreSQL they run in autocommit: a single statement sees one
consistent snapshot whatever the mode, and without a transaction around it the read is one round
trip instead of three (BEGIN, the statement, ROLLBACK). A read of several statements that must
agree with each other keeps a session and its transaction."""

from __future__ import annotations

import contextlib
from typing import Iterator

from sqlalchemy import Connection, Engine


@contextlib.contextmanager
def single_statement_read(engine: Engine) -> Iterator[Connection]:
    # SQLite keeps its own BEGIN (see engine.py), which autocommit would leave open.
    options = {"isolation_level": "AUTOCOMMIT"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection:
        yield connection
