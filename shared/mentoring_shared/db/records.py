"""Frozen domain dataclasses to table rows and back. Domain objects call their key `id` and hold
sequences as tuples (so they stay hashable and immutable); tables name the key after the entity
(`match_id`) and store sequences as JSON lists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, RowMapping, Select, Table, select
from sqlalchemy.orm import Session

Record = TypeVar("Record")


class RecordMapping(Generic[Record]):
    def __init__(self, record_type: type[Record], id_column: str, sequences: tuple[str, ...] = ()):
        self._type = record_type
        self._id_column = id_column
        self._sequences = sequences

    def row(self, record: Record) -> dict[str, Any]:
        row = asdict(record)  # type: ignore[call-overload]  # Record: any frozen dataclass
        row[self._id_column] = row.pop("id")
        for name in self._sequences:
            row[name] = list(row[name])
        return row

    def record(self, row: Mapping[Any, Any]) -> Record:  # a dict, or a SQLAlchemy RowMapping
        values = dict(row)
        values["id"] = values.pop(self._id_column)
        for name in self._sequences:
            values[name] = tuple(values[name])
        return self._type(**values)


def row_by_key(session: Session | Connection, table: Table, for_update: bool = False,
               **key: Any) -> RowMapping | None:
    """The row of `table` with these column values (`tenant_id=..., match_id=...`), or None; locked
    until the transaction ends if `for_update`."""
    return session.execute(locked_if(select(table).where(*(table.c[name] == value for name, value in key.items())),
                                     for_update)).mappings().first()


def locked_if(query: Select, for_update: bool) -> Select:
    """`query ... FOR UPDATE` if asked: rows a change reads before it writes them."""
    return query.with_for_update() if for_update else query


def page_query(table: Table, key: str, tenant_id: str, *, limit: int, after: str | None = None,
               involving: str | None = None, **equal_to: str | None) -> Select:
    """One page of a tenant's rows of `table` in `key` order, after `after` (keyset paging): at
    most `limit`, where each named column equals its value (an empty one filters nothing) and,
    given `involving`, the person is the row's mentee or its mentor."""
    query = select(table).where(table.c.tenant_id == tenant_id)
    query = query.where(*(table.c[column] == value for column, value in equal_to.items() if value))
    if involving:
        query = query.where((table.c.mentee_id == involving) | (table.c.mentor_id == involving))
    if after:
        query = query.where(table.c[key] > after)
    return query.order_by(table.c[key]).limit(limit)
