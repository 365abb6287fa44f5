"""The event types feedback consumes, each mapped to its handler."""

from feedback.handlers.upstream_events import upstream_event_handlers
from feedback.settings import FeedbackSettings


def event_handlers(settings: FeedbackSettings) -> dict:
    return upstream_event_handlers(settings)
