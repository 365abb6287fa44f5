"""Inserting many rows at once. On PostgreSQL a large batch goes through COPY, in the caller's
transaction (an HR import writes 100,000 people, 300,000 facet rows and 100,000 events: executemany
sends one statement per row); small batches and SQLite use an ordinary executemany."""

from __future__ import annotations

from typing import Any, Sequence

import orjson
import psycopg
from sqlalchemy import JSON, Table, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

COPY_FROM = 100  # rows; below this an executemany is as quick


def insert_many(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    if len(rows) < COPY_FROM or session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    json_columns = {column.name for column in table.columns if isinstance(column.type, JSON)}
    driver_connection = session.connection().connection.driver_connection  # psycopg, same transaction
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    try:
        with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([orjson.dumps(row[name]).decode() if name in json_columns and row[name] is not None
                                else row[name] for name in columns])
    except psycopg.errors.IntegrityError as error:  # as SQLAlchemy would raise it, for callers to handle
        raise IntegrityError(statement, None, error) from None
