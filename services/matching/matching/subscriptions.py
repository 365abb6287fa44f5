"""The event types matching consumes, each mapped to its handler (`handlers/<source>_events.py`):
profiles' for its read model and what leavers and moves mean for pairs, feedback's pair health."""

from collections.abc import Mapping

from matching.handlers.feedback_events import feedback_event_handlers
from matching.handlers.profiles_events import profiles_event_handlers
from matching.settings import load_matching_settings
from mentoring_shared.messaging.consumer import EventHandler


def event_handlers(environ: Mapping[str, str] | None = None) -> dict[str, EventHandler]:
    """Built with matching's settings from `environ` (the process environment by default)."""
    settings = load_matching_settings(environ)
    return {**profiles_event_handlers(settings.request_time_to_live), **feedback_event_handlers()}
