"""A domain dataclass as the row dict its table stores (the repositories' shared helper)."""

from __future__ import annotations


def fields_of(item) -> dict:
    return {name: getattr(item, name) for name in item.__dataclass_fields__}
