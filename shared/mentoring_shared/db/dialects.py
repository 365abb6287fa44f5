"""SQL that differs between PostgreSQL and SQLite, behind one name."""

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(session: Session, table: Table):
    """An INSERT with the dialect's ON CONFLICT clauses (both databases support them)."""
    return _INSERTS[session.get_bind().dialect.name](table)
