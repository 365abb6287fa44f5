"""The event types matching consumes, each mapped to its handler."""

from matching.handlers.feedback_events import feedback_event_handlers
from matching.handlers.profiles_events import profiles_event_handlers
from matching.settings import MatchingSettings


def event_handlers(settings: MatchingSettings) -> dict:
    return {**profiles_event_handlers(settings.request_time_to_live), **feedback_event_handlers()}
