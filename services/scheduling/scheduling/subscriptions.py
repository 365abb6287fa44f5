"""The event types scheduling consumes, each mapped to its handler."""

from mentoring_shared.people_replica import people_replica_handlers

from scheduling.orm import people

HANDLERS = {
    **people_replica_handlers(people),
}
