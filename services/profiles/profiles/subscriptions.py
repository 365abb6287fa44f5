"""The event types profiles consumes, each mapped to its handler: none (yet), as profiles is the
source of people's data. The same shape as every service's, so the worker and the AsyncAPI
generator read every service alike."""

from collections.abc import Mapping

from mentoring_shared.messaging.consumer import EventHandler


def event_handlers(environ: Mapping[str, str] | None = None) -> dict[str, EventHandler]:
    return {}
