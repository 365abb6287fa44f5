"""Reads that are one statement. On PostgreSQL they run in autocommit: a single statement sees one
consistent snapshot whatever the mode, and without a transaction around it the read is one round
trip instead of three (BEGIN, the statement, ROLLBACK). Their connections come from a pool of
their own, always in autocommit, so no checkout pays for switching a connection's mode and back.
A read of several statements that must agree with each other keeps a session and its transaction."""

from __future__ import annotations

from sqlalchemy import Engine

from mentoring_shared.db.engine import make_engine


def single_statement_engine(engine: Engine) -> Engine:
    """The engine single-statement reads use beside `engine`: on SQLite, `engine` itself (it keeps
    its own BEGIN, see engine.py, which autocommit would leave open)."""
    if engine.dialect.name != "postgresql":
        return engine
    return make_engine(engine.url.render_as_string(hide_password=False), autocommit=True)
