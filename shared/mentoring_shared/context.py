"""Ids that follow one piece of work: from an HTTP request into the events it causes, and on into
the consumers' logs. Context variables, so threads and requests never see each other's ids."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)
event_id: ContextVar[str | None] = ContextVar("event_id", default=None)


@contextlib.contextmanager
def bound(**values: str | None) -> Iterator[None]:
    """Set some of the ids above for the duration of a block."""
    variables = {"request_id": request_id, "correlation_id": correlation_id,
                 "causation_id": causation_id, "event_id": event_id}
    tokens = [(variables[name], variables[name].set(value)) for name, value in values.items()]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


def current() -> dict[str, str]:
    """The ids in force, for a log line."""
    values = {"request_id": request_id.get(), "correlation_id": correlation_id.get(),
              "causation_id": causation_id.get(), "event_id": event_id.get()}
    return {k: v for k, v in values.items() if v}
