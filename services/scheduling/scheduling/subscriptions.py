"""The event types scheduling consumes, each mapped to its handler (`handlers/<source>_events.py`):
profiles' and matching's for its read model and plans, and its own session events for CalDAV
write-back."""

from collections.abc import Mapping

from mentoring_shared.messaging.consumer import EventHandler
from scheduling.handlers.matching_events import matching_event_handlers
from scheduling.handlers.profiles_events import profiles_event_handlers
from scheduling.handlers.scheduling_events import scheduling_event_handlers
from scheduling.settings import load_scheduling_settings


def event_handlers(environ: Mapping[str, str] | None = None) -> dict[str, EventHandler]:
    """Built with scheduling's settings from `environ` (the process environment by default)."""
    settings = load_scheduling_settings(environ)
    return {**profiles_event_handlers(settings.organizer), **matching_event_handlers(settings.organizer),
            **scheduling_event_handlers(settings.organizer, fetch_policy=settings.calendar_fetch,
                                        timeout_s=settings.calendar_fetch.read_timeout_s)}
