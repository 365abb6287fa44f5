"""Errors a use case raises, free of HTTP: the web layer renders them as problem+json."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    status = 400
    title = "Bad Request"

    def __init__(self, detail: str, retry_after_s: int | None = None, **extensions: Any):
        super().__init__(detail)
        self.detail = detail
        self.retry_after_s = retry_after_s  # the same request may succeed then (Retry-After)
        self.extensions = extensions


class Forbidden(ApplicationError):
    """The caller is who they say, but this is not theirs to do."""

    status = 403
    title = "Forbidden"


class NotFound(ApplicationError):
    status = 404
    title = "Not Found"


class Conflict(ApplicationError):
    status = 409
    title = "Conflict"


class PreconditionFailed(ApplicationError):
    """The object is no longer at the version the caller based its change on."""

    status = 412
    title = "Precondition Failed"


class InvalidField(ApplicationError):
    """A value that passed the schema but breaks a domain rule; names the field like schema errors do."""

    status = 422
    title = "Validation failed"

    def __init__(self, field: str, message: str):
        super().__init__(f"Invalid fields: {field}",
                         errors=[{"field": field, "location": "json", "message": message}])
        self.field = field
        self.message = message
