"""The event types scheduling consumes, each mapped to its handler: profiles' and matching's
events for its read model and plans, and its own session events for CalDAV write-back."""

from scheduling.handlers.calendar_write_back import write_back_handlers
from scheduling.handlers.upstream_events import upstream_event_handlers
from scheduling.settings import SchedulingSettings


def event_handlers(settings: SchedulingSettings) -> dict:
    return {**upstream_event_handlers(settings.organizer),
            **write_back_handlers(settings.organizer, fetch_policy=settings.calendar_fetch,
                                  timeout_s=settings.calendar_fetch.read_timeout_s)}
