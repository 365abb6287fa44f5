"""A faster `dump` for response schemas of objects read by attribute (dataclasses), giving the same
output as marshmallow's. marshmallow serializes every field of every row through several generic
calls (accessor, get_value, serialize, _serialize); on a page of 50 people that was the largest
Python cost of the request. Here each field's converter is chosen once per schema instance, from
what marshmallow's own field would do; a field kind not known here is left to marshmallow.

Use: `class PersonSchema(FastDump, ma.Schema)`; a Nested(FastDump schema) dumps through it too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from marshmallow import fields
from marshmallow.utils import ensure_text_type, missing

Convert = Callable[[Any], Any]  # a value, neither None nor missing -> its dumped form


class FastDump:
    """Mixin for a ma.Schema: `dump` with precompiled per-field converters. Objects that are
    mappings, and schemas with dump hooks, go through marshmallow unchanged."""

    _plan: list[tuple[str, str | None, type | None, Callable]] | None = None

    def dump(self, obj: Any, *, many: bool | None = None):
        many = self.many if many is None else bool(many)  # type: ignore[attr-defined]
        if self._hooks[ma.decorators.PRE_DUMP] or self._hooks[ma.decorators.POST_DUMP]:  # type: ignore[attr-defined]
            return super().dump(obj, many=many)  # type: ignore[misc]
        if many and obj is not None:  # as marshmallow's own _serialize decides
            return [self._dump_one(each) for each in obj]
        return self._dump_one(obj)

    def _dump_one(self, obj: Any) -> dict:
        if hasattr(obj, "__getitem__"):  # marshmallow reads a mapping by key: leave it to marshmallow
            return super()._serialize(obj, many=False)  # type: ignore[misc]
        plan = self._plan
        if plan is None:
            plan = self._plan = [_step(self, name, field) for name, field in self.dump_fields.items()]  # type: ignore[attr-defined]
        result = {}
        for key, attribute, as_is, convert in plan:
            if attribute is None:  # the field computes its value from the object
                value = convert(obj)
                if value is missing:
                    continue
            else:
                value = getattr(obj, attribute, missing)
                if value is missing:  # no such attribute and no dump default: no key, as marshmallow
                    continue
                if value is not None and type(value) is not as_is:
                    value = convert(value)
            result[key] = value
        return result


def _step(schema: Any, name: str, field: fields.Field) -> tuple[str, str | None, type | None, Callable]:
    """(output key, attribute to read or None, the value type kept as is, converter): with an
    attribute, `converter(value)` for a value that is neither None nor of that type; without,
    `converter(obj)` gives the dumped value (or missing)."""
    key = field.data_key if field.data_key is not None else name
    if isinstance(field, fields.Method) and type(field)._serialize is fields.Method._serialize:
        method = field._serialize_method
        return key, None, None, method if method is not None else (lambda obj: missing)
    attribute = field.attribute or name
    plain_attribute = ("." not in attribute and field._CHECK_ATTRIBUTE and field.dump_default is missing
                       and type(field).get_value is fields.Field.get_value
                       and type(field).serialize is fields.Field.serialize
                       and type(schema).get_attribute is ma.Schema.get_attribute)
    convert = _converter(field) if plain_attribute else None
    if convert is None:  # left to marshmallow
        return key, None, None, lambda obj: field.serialize(name, obj, accessor=schema.get_attribute)
    return key, attribute, _kept_as_is(field), convert


def _kept_as_is(field: Any) -> type | None:  # a Field, by its exact class (mypy cannot narrow `type(x) is`)
    if type(field)._serialize is fields.String._serialize:
        return str
    if type(field)._serialize is fields.Number._serialize:
        return field.num_type
    return None


def _converter(field: Any) -> Convert | None:  # a Field, by its exact class
    """What field._serialize does with a value that is not None, or None if it is not known here."""
    kind = type(field)
    if kind._serialize is fields.String._serialize:
        return lambda value: value if type(value) is str else ensure_text_type(value)
    if (kind._serialize is fields.Number._serialize and kind._format_num is fields.Number._format_num
            and not field.as_string):
        num_type = field.num_type
        return lambda value: value if type(value) is num_type else num_type(value)
    if kind._serialize is fields._TemporalField._serialize:  # DateTime, AwareDateTime, Date, Time
        data_format = field.format or field.DEFAULT_FORMAT
        return field.SERIALIZATION_FUNCS.get(data_format) or (lambda value: value.strftime(data_format))
    if kind._serialize is fields.List._serialize:
        inner = _converter(field.inner)
        if inner is None:
            return None
        return lambda values: [None if each is None else inner(each) for each in values]
    if kind._serialize is fields.Nested._serialize and isinstance(field.schema, FastDump):
        schema: Any = field.schema
        many = schema.many or field.many
        return lambda value: schema.dump(value, many=many)
    return None
