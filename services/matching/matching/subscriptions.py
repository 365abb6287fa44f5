"""The event types matching consumes, each mapped to its handler."""

from mentoring_shared.people_replica import people_replica_handlers

from matching.orm import people

HANDLERS = {
    **people_replica_handlers(people),
}
