"""Errors as `application/problem+json` (RFC 9457), with field-level detail for validation."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, json
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"


class FieldErrorSchema(ma.Schema):
    field = ma.fields.String(required=True, metadata={"description": "Dotted path of the field, or `body`."})
    location = ma.fields.String(required=True, metadata={"description": "json, query, path or headers."})
    message = ma.fields.String(required=True)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details; validation problems list every field in `errors`."""

    class Meta:
        unknown = ma.INCLUDE  # problem types may add extension members

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    errors = ma.fields.List(ma.fields.Nested(FieldErrorSchema))


class Problem(Exception):
    """Raise from a route or handler to answer with a problem document."""

    def __init__(self, status: int, title: str, detail: str | None = None, type_: str = "about:blank",
                 headers: dict[str, str] | None = None, **extensions: Any):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.type = status, title, detail, type_
        self.headers = headers or {}  # a 401's WWW-Authenticate, say
        self.extensions = extensions


def problem_response(status: int, title: str, detail: str | None = None, type_: str = "about:blank",
                     **extensions: Any) -> Response:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extensions)
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


def validation_errors(messages: Any) -> list[dict[str, str]]:
    """Flatten webargs/marshmallow messages into [{"field": "a.b", "location": ..., "message": ...}]."""
    errors: list[dict[str, str]] = []

    def walk(node: Any, path: list[str], location: str) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                walk(child, path + [str(key)], location)
        elif isinstance(node, list) and all(isinstance(item, str) for item in node):
            for message in node:
                errors.append({"field": ".".join(path) or "body", "location": location, "message": message})
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, path + [str(index)], location)
        else:
            errors.append({"field": ".".join(path) or "body", "location": location, "message": str(node)})

    if isinstance(messages, dict):
        for location, node in messages.items():
            walk(node, [], location)
    else:
        walk(messages, [], "json")
    for error in errors:
        if error["field"] == "_schema":
            error["field"] = "body"
    return errors


def from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages is not None:
        errors = validation_errors(messages)
        if any(e["message"] == "Invalid JSON body." for e in errors):
            return problem_response(400, "Malformed JSON", "The request body is not valid JSON.")
        fields = ", ".join(sorted({e["field"] for e in errors}))
        return problem_response(422 if status == 422 else status, "Validation failed",
                                f"Invalid fields: {fields}", errors=errors)
    if status == 413:
        return problem_response(413, "Request body too large", error.description)
    detail = data.get("message") or error.description
    response = problem_response(status, error.name, detail)
    # Keep the exception's own headers (a 405's Allow, say), all but its content type.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
