"""SCIM's own error document (RFC 7644 §3.12), answered on every /scim/v2 path instead of
problem+json: unknown paths and methods included. The body is scim2-models' Error."""

from __future__ import annotations

from flask import Flask, Response, json, request
from pydantic import ValidationError
from scim2_models import Context, Error, SCIMException
from werkzeug.exceptions import HTTPException, MethodNotAllowed

SCIM_JSON = "application/scim+json"
PREFIX = "/scim/v2"


class ScimError(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type

    @classmethod
    def from_library(cls, error: SCIMException | ValidationError) -> "ScimError":
        """scim2-models' refusal of a payload, as our error (400 with its scimType)."""
        if isinstance(error, ValidationError):
            first = Error.from_validation_errors(error)[0]
            return cls(first.status or 400, first.detail or str(error), first.scim_type or "invalidValue")
        return cls(error.status, error.detail, error.scim_type or None)


def scim_response(body, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(json.dumps(body), status=status, mimetype=SCIM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def error_response(status: int, detail: str, scim_type: str | None = None) -> Response:
    body = Error(status=status, scim_type=scim_type, detail=detail).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    response = scim_response(body, status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="scim"'
    return response


def answer_routing_errors_in_scim(app: Flask) -> None:
    """Unknown paths and methods under /scim/v2 never reach the SCIM blueprint (routing failed before
    it), so the app's HTTP error handler is wrapped: under /scim/v2 it answers a SCIM error."""
    platform_handler = app.error_handler_spec[None][None][HTTPException]

    def handle(error: HTTPException):
        if request.path == PREFIX or request.path.startswith(PREFIX + "/"):
            response = error_response(error.code or 500, error.description or error.name)
            if isinstance(error, MethodNotAllowed) and error.valid_methods:
                response.headers["Allow"] = ", ".join(error.valid_methods)
            return response
        return platform_handler(error)

    app.error_handler_spec[None][None][HTTPException] = handle
