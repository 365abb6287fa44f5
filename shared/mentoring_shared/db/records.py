"""Frozen domain dataclasses to table rows and back. Domain objects call their key `id` and hold
sequences as tuples (so they stay hashable and immutable); tables name the key after the entity
(`match_id`) and store sequences as JSON lists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, Generic, TypeVar

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
