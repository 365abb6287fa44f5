"""Guards on raw input that no schema expresses: identifiers in paths, NUL characters (which
PostgreSQL cannot store in text) anywhere in a query or JSON body, and JSON nested deeper than any
of our documents (a parser would recurse until Python gives up)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import current_app, request
from werkzeug.routing import BaseConverter

from mentoring_shared.errors import InvalidField
from mentoring_shared.web.problems import Problem

ID_PATTERN = r"[A-Za-z0-9_-]{1,64}"
MAX_JSON_DEPTH = 32  # our deepest documents nest about 5 levels
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


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True if the JSON text nests arrays and objects deeper than `limit`. Counted on the raw bytes,
    outside strings, so it never recurses; bodies with few brackets are not scanned at all."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # closing quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


def reject_deep_json() -> None:
    """Before a route parses its body: JSON nested deeper than MAX_JSON_DEPTH is a 400."""
    if request.is_json and request.content_length and json_depth_exceeds(request.get_data(cache=True)):
        message = f"must not nest arrays and objects more than {MAX_JSON_DEPTH} levels deep"
        raise Problem(400, "Malformed JSON", f"The request body {message}.",
                      errors=[{"field": "body", "location": "json", "message": message}])


def reject_undeclared_query_parameters() -> None:
    """A request that changes something, with query parameters its route does not declare, is a
    422 naming each (a GET's declared parameters are checked by its own schema)."""
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"} or not request.args:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    unknown = sorted(set(request.args) - _declared_query_names(view, request.method))
    if unknown:
        raise Problem(422, "Validation failed", f"Invalid fields: {', '.join(unknown)}",
                      errors=[{"field": name, "location": "query", "message": "Unknown field."} for name in unknown])


def _declared_query_names(view, method: str) -> set[str]:
    """The query parameters a flask-smorest route declares (`@blp.arguments(..., location="query")`)."""
    handler = getattr(getattr(view, "view_class", None), method.lower(), None) or view
    names: set[str] = set()
    for parameter in getattr(handler, "_apidoc", {}).get("arguments", {}).get("parameters", []):
        if parameter.get("in") == "query":
            schema = parameter["schema"]
            schema = schema() if isinstance(schema, type) else schema
            names |= {field.data_key or name for name, field in schema.fields.items()}
    return names


def require_a_patch_body() -> None:
    """A PATCH says what to change: without a body it is a 400, not a 200 that changed nothing."""
    if request.method == "PATCH" and not request.content_length:
        raise Problem(400, "Body required", "A PATCH needs a JSON body with the fields to change.",
                      errors=[{"field": "body", "location": "json", "message": "Missing data for required field."}])
