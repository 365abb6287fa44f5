"""SQL that differs between PostgreSQL and SQLite, behind one name."""

from sqlalchemy import Column, ColumnElement, Connection, Engine, Table, any_, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(bind: Session | Connection | Engine, table: Table):
    """An INSERT with the dialect's ON CONFLICT clauses (both databases support them), for a
    session's database, or a connection's or an engine's."""
    dialect = bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect
    return _INSERTS[dialect.name](table)


def among(session: Session, column: Column, values: list) -> ColumnElement[bool]:
    """`column IN (values)`. On PostgreSQL as `= ANY(array)`: one parameter, so the statement's text
    is the same for any number of values and the driver parses it once, not on every call (a
    batch's IN list of 500 is a long statement, which psycopg parses again each time)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("among_values", values, type_=postgresql.ARRAY(column.type)))
    return column.in_(values)
