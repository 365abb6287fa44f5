"""Writing many rows with one statement. On PostgreSQL the rows travel as one array per column,
bound in binary, and `unnest` turns them back into rows: one execution for the batch (an
executemany costs the server and the driver a statement per row; an HR import writes 100,000
people, 300,000 facet rows and 100,000 events). Elsewhere, an ordinary executemany."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import ARRAY, JSON, DateTime, Table, insert
from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.orm import Session

from mentoring_shared.db.binary_arrays import Packer, packer_for
from mentoring_shared.db.types import UtcDateTime


def insert_many(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (each with the first row's columns) in the session's transaction."""
    if not rows:
        return
    if not takes_arrays(session, table):
        session.execute(insert(table), list(rows))
        return
    connection = session.connection()
    columns = tuple(rows[0])
    names, select, _ = unnested(connection.dialect, table, columns)
    send_arrays(connection, f"INSERT INTO {names} {select}", table, columns, rows)


def takes_arrays(session: Session, table: Table) -> bool:
    """Whether rows of `table` can travel as arrays: PostgreSQL, and no column already an array
    (`unnest` would flatten it)."""
    return (session.get_bind().dialect.name == "postgresql"
            and not any(isinstance(column.type, ARRAY) for column in table.columns))


def send_arrays(connection: Connection, statement: str, table: Table, columns: tuple[str, ...],
                rows: Sequence[dict[str, Any]]) -> CursorResult:
    """Execute `statement` (built on `unnested`'s select) with `rows` as one array per column, each
    value first through its column's bind processor (timestamps aside, see `_column_writers`):
    the server gets what SQLAlchemy would send. Returns the result (for a statement with RETURNING)."""
    writers = _column_writers(connection.dialect, table, columns)
    row_values = itemgetter(*columns)
    # The rows turned into columns in C: a batch of 500 people is 12,000 values.
    if len(columns) == 1:
        values_by_column: Any = [tuple(map(row_values, rows))]
    else:
        values_by_column = zip(*map(row_values, rows)) if rows else [()] * len(columns)
    arrays = tuple(write(values) for values, write in zip(values_by_column, writers))
    return connection.exec_driver_sql(statement, arrays)


@lru_cache(maxsize=512)
def _column_writers(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> list[Callable[[tuple], Any]]:
    """Per column, what turns its values (as the rows hold them) into the statement's parameter: an
    array packed by binary_arrays where it packs the type, else the list psycopg adapts."""
    processors = unnested(dialect, table, columns)[2]
    writers = []
    for name, process in zip(columns, processors):
        type_ = table.c[name].type
        impl = type_.dialect_impl(dialect)
        pack = packer_for("TEXT" if isinstance(impl, JSON) else impl.compile(dialect=dialect))
        # Timestamps are packed as given: the packer reads an aware datetime's instant itself, as
        # UtcDateTime's conversion to UTC would, and leaves a naive one to that check.
        writers.append(_writer(pack, process, packs_given=isinstance(type_, UtcDateTime | DateTime)))
    return writers


def _writer(pack: Packer | None, process: Callable | None, packs_given: bool) -> Callable[[tuple], Any]:
    def write(values: tuple) -> Any:
        if pack is not None and packs_given and (packed := pack(values)) is not None:
            return packed
        processed = [process(value) for value in values] if process is not None else list(values)
        if pack is not None and not packs_given and (packed := pack(processed)) is not None:
            return packed
        return processed  # a list: psycopg adapts it as an array
    return write


@lru_cache(maxsize=512)
def unnested(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> tuple[str, str, list[Callable | None]]:
    """(`table (columns)`, `SELECT * FROM unnest(%b::type[], …)`, each column's bind processor).
    `%b` asks psycopg for binary: text arrays go through a regex per element."""
    quote = dialect.identifier_preparer.quote
    types = [table.c[name].type.dialect_impl(dialect) for name in columns]
    names = f"{dialect.identifier_preparer.format_table(table)} ({', '.join(quote(name) for name in columns)})"
    # JSON goes as text encoded here, as SQLAlchemy encodes it (a None as JSON null): its own
    # processor wraps each value for psycopg to encode, at twice the cost.
    arrays = ", ".join(f"%b::TEXT[]::{type_.compile(dialect=dialect)}[]" if isinstance(type_, JSON)
                       else f"%b::{type_.compile(dialect=dialect)}[]" for type_ in types)
    processors = [_json_text(type_) if isinstance(type_, JSON) else type_.bind_processor(dialect) for type_ in types]
    return names, f"SELECT * FROM unnest({arrays})", processors


def _json_text(type_: JSON) -> Callable[[Any], str | None]:
    if type_.none_as_null:
        return lambda value: None if value is None else orjson.dumps(value).decode()
    return lambda value: orjson.dumps(value).decode()
