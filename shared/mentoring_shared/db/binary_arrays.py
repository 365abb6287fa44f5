"""Columns packed into PostgreSQL's binary array format here, for the `unnest` writes of
db.bulk: psycopg dumps a list element by element in Python (0.38 µs a value on the project's
machines, measured on text), where packing a whole column at once costs 0.16. A consumer writes
14 to 22 values an event (its inbox row and read model), an HR import 40 a person.

Each packer takes a column's values and returns a PackedArray, or None when a value is not of the
one Python type it packs (an int in a text column, a naive datetime): the caller then hands
psycopg the list, which adapts it as before. The array's element type must be the one the
statement casts to (`%b::VARCHAR(36)[]` is varchar); PackedArray goes with oid 0 ("unknown"), so
the server reads it as that cast's type."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import chain, repeat
from struct import Struct
from typing import Any

import psycopg
from psycopg.adapt import Dumper
from psycopg.pq import Format

# Element type oids (pg_type), by the name a column type compiles to on PostgreSQL.
_TEXT, _VARCHAR, _INT2, _INT4, _INT8, _BOOL, _TIMESTAMPTZ = 25, 1043, 21, 23, 20, 16, 1184

_HEADER = Struct("!iiIii")   # dimensions, has nulls, element oid, length, lower bound
_LENGTH = Struct("!i").pack
_NULL = _LENGTH(-1)
_INT2_ITEM, _INT4_ITEM, _INT8_ITEM = Struct("!ih").pack, Struct("!ii").pack, Struct("!iq").pack
_BOOL_ITEM = Struct("!i?").pack
_STR, _STR_OR_NONE = frozenset({str}), frozenset({str, type(None)})
_PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_NOTHING = object()


class PackedArray:
    """A one-dimensional array in PostgreSQL's binary format, for a `%b` parameter."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data


class _PackedArrayDumper(Dumper):
    format = Format.BINARY
    oid = 0  # the statement's cast gives the type

    def dump(self, obj: PackedArray) -> bytes:
        return obj.data


psycopg.adapters.register_dumper(PackedArray, _PackedArrayDumper)

Packer = Callable[[Sequence[Any]], PackedArray | None]


def packer_for(compiled_type: str) -> Packer | None:
    """The packer for a column type as compiled for PostgreSQL ("VARCHAR(36)", "BIGINT", ...),
    or None where psycopg's list adaptation is kept."""
    name = compiled_type.upper()
    if name == "TEXT":
        return _text_packer(_TEXT)
    if name.startswith("VARCHAR"):
        return _text_packer(_VARCHAR)
    if name == "TIMESTAMP WITH TIME ZONE":
        return _pack_timestamptz
    fixed = {"SMALLINT": (_INT2, _INT2_ITEM, 2, int), "INTEGER": (_INT4, _INT4_ITEM, 4, int),
             "BIGINT": (_INT8, _INT8_ITEM, 8, int), "BOOLEAN": (_BOOL, _BOOL_ITEM, 1, bool)}.get(name)
    return _fixed_size_packer(*fixed) if fixed else None


def _array(oid: int, values: Sequence[Any], items: Iterable[bytes], has_nulls: bool) -> PackedArray:
    header = _HEADER.pack(1, has_nulls, oid, len(values), 1)
    return PackedArray(b"".join(chain((header,), items)))  # one copy of a column that may hold kilobytes a row


def _text_packer(oid: int) -> Packer:
    def pack(values: Sequence[Any]) -> PackedArray | None:
        kinds = set(map(type, values))
        if kinds == _STR:  # the common case, in C all the way
            encoded = [value.encode() for value in values]
            return _array(oid, values, chain.from_iterable(zip(map(_LENGTH, map(len, encoded)), encoded)), False)
        if not values or not kinds <= _STR_OR_NONE:  # not a subclass: psycopg writes an Enum's name, not its value
            return None
        items: list[bytes] = []
        for value in values:
            if value is None:
                items.append(_NULL)
            else:
                data = value.encode()
                items += (_LENGTH(len(data)), data)
        return _array(oid, values, items, True)
    return pack


def _fixed_size_packer(oid: int, item: Callable[[int, Any], bytes], size: int, kind: type) -> Packer:
    only, or_none = frozenset({kind}), frozenset({kind, type(None)})

    def pack(values: Sequence[Any]) -> PackedArray | None:
        kinds = set(map(type, values))
        try:
            if kinds == only:
                return _array(oid, values, list(map(item, repeat(size), values)), False)
            if not values or not kinds <= or_none:
                return None
            return _array(oid, values, [_NULL if value is None else item(size, value) for value in values], True)
        except Exception:  # out of the type's range: psycopg says so in its own words
            return None
    return pack


def _pack_timestamptz(values: Sequence[Any]) -> PackedArray | None:
    """Aware datetimes as microseconds since 2000-01-01 UTC. A batch's rows often share one (its
    `now`): a value that is the one before it is not converted again, nor even hashed."""
    if not values:
        return None
    last: object = _NOTHING
    last_packed = _NULL
    has_nulls = False
    items = []
    for value in values:
        if value is not last:
            if value is None:
                has_nulls = True
            elif type(value) is not datetime or value.tzinfo is None:
                return None  # a naive datetime goes to the column's own check, which refuses it
            last, last_packed = value, _NULL if value is None else _INT8_ITEM(
                8, (value - _PG_EPOCH) // _MICROSECOND)
        items.append(last_packed)
    return _array(_TIMESTAMPTZ, values, items, has_nulls)
