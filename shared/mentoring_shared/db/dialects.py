"""SQL that differs between PostgreSQL and SQLite, behind one name."""

from sqlalchemy import Boolean, Column, ColumnElement, Connection, Engine, Table, any_, bindparam, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_name(bind: Session | Connection | Engine) -> str:
    """The database's dialect, for a session, a connection or an engine."""
    return (bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect).name


def dialect_insert(bind: Session | Connection | Engine, table: Table):
    """An INSERT with the dialect's ON CONFLICT clauses (both databases support them), for a
    session's database, or a connection's or an engine's."""
    return _INSERTS[dialect_name(bind)](table)


def json_list_has(bind: Session | Connection, column: Column, value: str) -> ColumnElement[bool]:
    """Whether the JSON list in `column` (an `indexable_json` column) holds the string `value`. On
    PostgreSQL a JSONB containment, which a GIN index on the column answers; on SQLite a scan of
    the list with json_each."""
    if dialect_name(bind) == "postgresql":
        return column.op("@>", return_type=Boolean)(func.jsonb_build_array(value))
    items = func.json_each(column).table_valued("value")
    return exists(select(items.c.value).where(items.c.value == value))


def among(session: Session, column: Column, values: list) -> ColumnElement[bool]:
    """`column IN (values)`. On PostgreSQL as `= ANY(array)`: one parameter, so the statement's text
    is the same for any number of values and the driver parses it once, not on every call (a
    batch's IN list of 500 is a long statement, which psycopg parses again each time)."""
    if dialect_name(session) == "postgresql":
        return column == any_(bindparam("among_values", values, type_=postgresql.ARRAY(column.type)))
    return column.in_(values)
