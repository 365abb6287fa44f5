"""The event types feedback consumes, each mapped to its handler (`handlers/<source>_events.py`):
profiles', matching's and scheduling's, for its copy of people, programs, pairs and sessions and
the feedback requests they call for."""

from collections.abc import Mapping

from feedback.handlers.matching_events import matching_event_handlers
from feedback.handlers.profiles_events import profiles_event_handlers
from feedback.handlers.scheduling_events import scheduling_event_handlers
from feedback.settings import load_feedback_settings
from mentoring_shared.messaging.consumer import EventHandler


def event_handlers(environ: Mapping[str, str] | None = None) -> dict[str, EventHandler]:
    """Built with feedback's settings from `environ` (the process environment by default)."""
    settings = load_feedback_settings(environ)
    return {**profiles_event_handlers(), **matching_event_handlers(settings.answer_within),
            **scheduling_event_handlers(settings.answer_within)}
