"""Local copies of another service's aggregates, built from snapshot events.

Snapshots carry the aggregate's version. Applying only a newer version makes the copy correct
whatever order or number of times the snapshots arrive (a relay retry can reorder them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentoring_shared.db.bulk import send_arrays, takes_arrays, unnested
from mentoring_shared.db.dialects import dialect_insert
from mentoring_shared.db.engine import is_unique_violation

if TYPE_CHECKING:
    from mentoring_shared.messaging.envelope import Envelope
    from mentoring_shared.unit_of_work import UnitOfWork


FIRST_VERSION = 1  # an aggregate's version when it is created
# A batch's first versions are inserted plainly from this many on: below, the savepoint's two round
# trips cost more than the rows save.
PLAIN_INSERT_FROM = 32


class NewerSnapshotUpsert:
    """One statement, `INSERT … ON CONFLICT (key) DO UPDATE … WHERE stored.version < new.version`,
    built once per table and dialect and reused for every snapshot (no read before the write).

    On PostgreSQL, a batch's first versions (FIRST_VERSION: aggregates just created, as an HR import
    makes them by the thousand) are first inserted plainly, betting that no row holds their key yet:
    ON CONFLICT's speculative insertion costs the server 20 µs a row of a people replica against 14
    (measured, the backend's own CPU time). The plain INSERT runs in a savepoint, so a lost bet
    (the key is there: a backfill, a row made another way) undoes only itself, and those rows then
    go through the upsert with the rest."""

    def __init__(self, table: Table, key_columns: list[str]):
        self._table = table
        self._key_columns = key_columns
        self._statements: dict[tuple[str, bool], Any] = {}
        self._unnested: dict[tuple[str, ...], str] = {}  # PostgreSQL's statement, by the rows' columns

    def apply(self, session: Session, row: dict[str, Any]) -> bool:
        """Store `row` (key columns, `version` and values) unless a newer version is stored. True if applied."""
        # RETURNING, not rowcount: psycopg reports -1 for an INSERT … ON CONFLICT through SQLAlchemy.
        return session.execute(self._statement(session, returning=True), row).first() is not None

    def apply_many(self, session: Session, rows: Sequence[dict[str, Any]]) -> None:
        """The same outcome as `apply` on each row in order. On PostgreSQL one statement over arrays
        (one execution for the batch, where an executemany costs the server and the driver a
        statement per row); elsewhere one executemany."""
        if not rows:
            return
        if takes_arrays(session, self._table):
            self._apply_unnested(session, newest_per_key(rows, self._key_columns))
        else:
            session.execute(self._statement(session, returning=False), list(rows))

    def _apply_unnested(self, session: Session, rows: list[dict[str, Any]]) -> None:
        first_versions: list[dict[str, Any]] = []
        later_versions: list[dict[str, Any]] = []
        for row in rows:
            (first_versions if row["version"] == FIRST_VERSION else later_versions).append(row)
        if len(first_versions) >= PLAIN_INSERT_FROM and self._inserted_plainly(session, first_versions):
            if not later_versions:
                return
            rows = later_versions
        connection = session.connection()
        columns = tuple(rows[0])
        statement = self._unnested.get(columns)
        if statement is None:
            quote = connection.dialect.identifier_preparer.quote
            names, select, _ = unnested(connection.dialect, self._table, columns)
            updates = ", ".join(f"{quote(name)} = EXCLUDED.{quote(name)}" for name in columns
                                if name not in self._key_columns)
            table = connection.dialect.identifier_preparer.format_table(self._table)
            statement = self._unnested[columns] = (
                f"INSERT INTO {names} {select} ON CONFLICT ({', '.join(map(quote, self._key_columns))}) "
                f"DO UPDATE SET {updates} WHERE {table}.version < EXCLUDED.version")
        send_arrays(connection, statement, self._table, columns, rows)

    def _inserted_plainly(self, session: Session, rows: list[dict[str, Any]]) -> bool:
        """Insert `rows` without ON CONFLICT, in a savepoint; False (nothing written) if a row's key
        was already there."""
        columns = tuple(rows[0])
        try:
            with session.begin_nested():
                connection = session.connection()
                names, select, _ = unnested(connection.dialect, self._table, columns)
                send_arrays(connection, f"INSERT INTO {names} {select}", self._table, columns, rows)
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            return False
        return True

    def _statement(self, session: Session, returning: bool):
        dialect = session.get_bind().dialect.name
        statement = self._statements.get((dialect, returning))
        if statement is None:
            insert = dialect_insert(session, self._table)
            updates = {column.name: insert.excluded[column.name] for column in self._table.columns
                       if column.name not in self._key_columns}
            statement = insert.on_conflict_do_update(
                index_elements=self._key_columns, set_=updates,
                where=self._table.c.version < insert.excluded.version,
            )
            if returning:
                statement = statement.returning(self._table.c.version)
            self._statements[(dialect, returning)] = statement
        return statement


def newest_per_key(rows: Sequence[dict[str, Any]], key_columns: list[str]) -> list[dict[str, Any]]:
    """For each key, the row applying `rows` one by one would leave: the first of its highest
    version (one statement may not touch a row twice). In key order, so batches lock rows in one order."""
    key_of = itemgetter(*key_columns) if len(key_columns) > 1 else lambda row: (row[key_columns[0]],)
    chosen: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = key_of(row)
        held = chosen.get(key)
        if held is None or row["version"] > held["version"]:
            chosen[key] = row
    return [chosen[key] for key in sorted(chosen)]


RowOf = Callable[["Envelope"], dict[str, Any]]


class SnapshotHandler:
    """The handler of an event whose whole effect is storing snapshots: for each (upsert, row_of)
    pair, the row `row_of(event)` stored if newer. Besides handling one event, it stores a run of
    such events from one consumer batch with one executemany per table (`apply_batch`), which the
    consumer uses when it can; it emits no events, so the run needs no per-event context."""

    def __init__(self, *writes: tuple[NewerSnapshotUpsert, RowOf], reads: frozenset[str] | None = None):
        self._writes = writes
        self.reads = reads  # the payload fields the rows are made of (None: all); the consumer loads only these

    def __call__(self, event: "Envelope", uow: "UnitOfWork") -> None:
        for upsert, row_of in self._writes:
            upsert.apply(uow.session, row_of(event))

    def apply_batch(self, events: Sequence["Envelope"], uow: "UnitOfWork") -> None:
        # Tables are independent and each keeps its events' order, so table by table is the same
        # as event by event.
        for upsert, row_of in self._writes:
            upsert.apply_many(uow.session, [row_of(event) for event in events])
