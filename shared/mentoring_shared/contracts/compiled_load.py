"""A compiled reader of event payloads: for each schema, plain functions that give what the
marshmallow schema's `load` gives, without its per-field machinery (a consumer reads thousands of
events a second, and `load` was a third of its time).

The compiled reader is only ever sure or silent: it accepts exactly-typed JSON values it knows
how to read (str, int, float, bool, list, dict, and fields it hands to marshmallow one by one), and
for anything else (a wrong type, a missing required field, a failed validator, an unknown key in a
strict nested schema) it raises `NotSure`, and the caller asks marshmallow, which gives the answer
and the error message. Schemas with hooks, renamed keys or custom field classes are not compiled."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import marshmallow as ma
from marshmallow import fields

Reader = Callable[[Any], Any]


class NotSure(Exception):
    """The compiled reader does not decide this payload: marshmallow does."""


class NotCompilable(Exception):
    """The schema uses something the compiler does not know."""


def compile_schema(schema: ma.Schema) -> Reader | None:
    """A reader for `schema.load(data)`, or None if the schema cannot be compiled."""
    try:
        return _schema_reader(schema, schema.unknown)
    except NotCompilable:
        return None


def _schema_reader(schema: ma.Schema, unknown: str) -> Reader:
    if any(schema._hooks.values()) or schema.many or schema.partial or unknown not in (ma.EXCLUDE, ma.RAISE):
        raise NotCompilable(type(schema).__name__)
    readers = []
    for name, field in schema.load_fields.items():
        if field.data_key is not None or field.attribute is not None:
            raise NotCompilable(f"{type(schema).__name__}.{name}")
        readers.append((name, _field_reader(field), field.required, _default_of(field)))
    known = frozenset(name for name, *_ in readers)
    strict = unknown == ma.RAISE

    def read(data: Any) -> dict:
        if type(data) is not dict or (strict and not data.keys() <= known):
            raise NotSure
        loaded = {}
        for name, reader, required, default in readers:
            if name in data:
                loaded[name] = reader(data[name])
            elif required:
                raise NotSure
            elif default is not ma.missing:
                loaded[name] = default() if callable(default) else default
        return loaded
    return read


def _default_of(field: fields.Field) -> Any:
    return field.load_default


def _field_reader(field: fields.Field) -> Reader:
    """What `field.deserialize(value)` gives for a value that is present."""
    if field.pre_load or field.post_load:
        raise NotCompilable(type(field).__name__)
    read_value = _value_reader(field)
    validators = list(field.validators)
    allow_none = field.allow_none

    def read(value: Any) -> Any:
        if value is None:
            if allow_none:
                return None
            raise NotSure
        loaded = read_value(value)
        for validator in validators:
            try:
                if validator(loaded) is False:
                    raise NotSure
            except ma.ValidationError:
                raise NotSure from None
        return loaded
    return read


def _value_reader(field: Any) -> Reader:  # a Field, by its exact class (mypy cannot narrow `type(x) is`)
    kind = type(field)
    if kind is fields.String:
        return _exactly(str)
    if kind is fields.Integer:
        return _exactly(int)  # bool is not int here: marshmallow refuses True as a number
    if kind is fields.Boolean:
        return _exactly(bool)
    if kind is fields.Float:
        return _float(field.allow_nan)
    if kind is fields.List:
        return _list(_field_reader(field.inner))
    if kind is fields.Dict and field.key_field is None and field.value_field is None:
        return _plain_dict
    if kind is fields.Nested:
        if field.many or field.unknown is not None or field.only or field.exclude:
            raise NotCompilable("Nested")
        return _schema_reader(field.schema, field.schema.unknown)
    if kind in (fields.Email, fields.AwareDateTime, fields.NaiveDateTime, fields.DateTime, fields.Date, fields.UUID):
        return _by_marshmallow(field)  # parsing rules of their own: marshmallow reads the one value
    raise NotCompilable(kind.__name__)


def _exactly(python_type: type) -> Reader:
    def read(value: Any) -> Any:
        if type(value) is not python_type:
            raise NotSure
        return value
    return read


def _float(allow_nan: bool | None) -> Reader:
    def read(value: Any) -> float:
        if type(value) is float:
            if not allow_nan and (math.isnan(value) or math.isinf(value)):
                raise NotSure
            return value
        if type(value) is int:
            return float(value)
        raise NotSure
    return read


def _list(read_item: Reader) -> Reader:
    def read(value: Any) -> list:
        if type(value) is not list:
            raise NotSure
        return [read_item(item) for item in value]
    return read


def _plain_dict(value: Any) -> dict:
    if type(value) is not dict:
        raise NotSure
    return dict(value)


def _by_marshmallow(field: fields.Field) -> Reader:
    """The field's own `_deserialize` (validators and None are handled around it)."""
    def read(value: Any) -> Any:
        try:
            return field._deserialize(value, None, None)
        except ma.ValidationError:
            raise NotSure from None
    return read
