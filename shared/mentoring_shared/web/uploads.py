"""Routes that take a file (multipart/form-data) instead of JSON, with a body limit of their own."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request


def accepts_upload(max_bytes: int) -> Callable:
    """Mark a view method as taking a multipart upload of up to `max_bytes` (other routes keep
    HTTP_MAX_BODY_BYTES and JSON only)."""
    def decorator(view: Callable) -> Callable:
        view.upload_max_bytes = max_bytes  # type: ignore[attr-defined]  # read by the body-size guard
        return view
    return decorator


def upload_limit() -> int | None:
    """The upload limit of the route serving this request, if it takes uploads."""
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    method = getattr(view_class, request.method.lower(), None) if view_class else view
    return getattr(method, "upload_max_bytes", None)
