"""The event types feedback consumes, each mapped to its handler."""

from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.people_replica import person_upserted_handler

from feedback.orm import people

HANDLERS = {
    PERSON_UPSERTED_V1: person_upserted_handler(people),
}
