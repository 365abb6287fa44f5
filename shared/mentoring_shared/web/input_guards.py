"""Guards on raw input that no schema expresses: identifiers in paths, NUL characters (which
PostgreSQL cannot store in text) anywhere in a query or JSON body."""

from __future__ import annotations

import re
from typing import Any, Iterator

from flask import request
from werkzeug.routing import BaseConverter

from mentoring_shared.errors import InvalidField

ID_PATTERN = r"[A-Za-z0-9_-]{1,64}"
ID_REGEX = re.compile(ID_PATTERN)


class IdConverter(BaseConverter):
    """`<id:person_id>`: an identifier; anything else is simply not a route (404)."""

    regex = ID_PATTERN


def id_converter_openapi(_converter) -> dict:
    return {"type": "string", "pattern": f"^{ID_PATTERN}$"}


def _strings_with_nul(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, child in value.items():
            if "\x00" in str(key):
                yield f"{path}.{key}".strip(".").replace("\x00", "\\u0000")
            yield from _strings_with_nul(child, f"{path}.{key}".strip("."))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings_with_nul(child, f"{path}.{index}".strip("."))


def reject_nul_characters() -> None:
    """Before a route runs: a NUL character in a query parameter or JSON string is a 422 naming it."""
    for name, value in request.args.items(multi=True):
        if "\x00" in name or "\x00" in value:
            raise InvalidField(name.replace("\x00", "\\u0000"), "must not contain NUL characters")
    if request.is_json and request.content_length:
        body = request.get_json(silent=True)
        for field in _strings_with_nul(body, ""):
            raise InvalidField(field, "must not contain NUL characters")
