"""Engines for PostgreSQL (production, tests) and SQLite (the embedded default)."""

from __future__ import annotations

from typing import cast

import orjson
from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from mentoring_shared.db.connection_liveness import check_connections_on_checkout


def normalize_url(url: str) -> str:
    """Prefer psycopg 3 for a bare postgresql:// URL."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://"):]
    return url


def _json_dumps(value) -> str:
    return orjson.dumps(value).decode()  # JSON columns: several per row, 100,000 rows in an import


def make_engine(url: str, pool_size: int = 5, autocommit: bool = False) -> Engine:
    """`autocommit` (PostgreSQL only): connections that never open a transaction, for reads of one
    statement (db/reads.py)."""
    url = normalize_url(url)
    json_codec = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **json_codec)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pool_pre_ping (a round trip per checkout): the liveness check reads the socket instead, and
    # connections are renewed hourly, before any idle timeout between here and the server.
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=3600,
                           **({"isolation_level": "AUTOCOMMIT"} if autocommit else {}), **json_codec)
    check_connections_on_checkout(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # An API and a worker share the file: WAL lets readers run beside the one writer.
    dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


WRITES = {"sqlite_begin_immediate": True}


def rows_affected(result: Result) -> int:
    """How many rows an UPDATE or DELETE touched (0 where the driver cannot say)."""
    return cast(CursorResult, result).rowcount or 0


def is_unique_violation(error: DBAPIError) -> bool:
    """PostgreSQL refused a row whose key another row holds (SQLSTATE 23505)."""
    return getattr(error.orig, "sqlstate", None) == "23505"


def for_writing(session: Session) -> Session:
    """Mark a session's transaction as one that writes. On SQLite it then takes the write lock up
    front (BEGIN IMMEDIATE), so two writers queue instead of failing on a lock upgrade; reads keep a
    plain BEGIN and run beside the writer (WAL). Elsewhere it changes nothing."""
    session.connection(execution_options=WRITES)
    return session


def _sqlite_begin(connection) -> None:
    immediate = connection.get_execution_options().get("sqlite_begin_immediate")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
