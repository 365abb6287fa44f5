"""Keyset pagination: `?limit=&cursor=`, bounded page size, `next_cursor` in every list response.
Ids are UUIDv7, so ordering by id is ordering by creation, and pages stay stable under inserts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import marshmallow as ma

from mentoring_shared.web.fields import WholeNumber
from mentoring_shared.web.input_guards import ID_PATTERN

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class PageArgs(ma.Schema):
    limit = WholeNumber(load_default=DEFAULT_PAGE_SIZE, validate=ma.validate.Range(min=1, max=MAX_PAGE_SIZE),
                        metadata={"description": f"Page size, at most {MAX_PAGE_SIZE}."})
    cursor = ma.fields.String(validate=ma.validate.Regexp(f"^{ID_PATTERN}$"),
                              metadata={"description": "`next_cursor` of the previous page."})


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A response schema `{items: [...], next_cursor: str|null}` for one item schema."""
    return ma.Schema.from_dict({
        "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
        "next_cursor": ma.fields.String(allow_none=True, required=True),
    }, name=name)


def page(rows: Sequence[Any], limit: int, cursor_of) -> dict[str, Any]:
    """Given up to `limit + 1` rows in key order, the page and the cursor of the next one."""
    items = list(rows[:limit])
    next_cursor = cursor_of(items[-1]) if len(rows) > limit and items else None
    return {"items": items, "next_cursor": next_cursor}
