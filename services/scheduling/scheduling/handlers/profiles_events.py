"""Profiles' events: scheduling's copy of people (with their working hours) and of program cadences;
every session ahead cancelled when a person leaves or is erased, and an erased person's calendars
and feed tokens forgotten."""

from __future__ import annotations

from mentoring_shared.contracts import profiles
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import person_upserted_handler
from scheduling import orm
from scheduling.calendars.entries import Participant
from scheduling.handlers.calendars import forget_calendars
from scheduling.handlers.feeds import forget_feed_tokens
from scheduling.handlers.sessions import cancel_future_sessions
from scheduling.unit_of_work import SchedulingUnitOfWork


def _working_hours(event: Envelope) -> dict:
    """Scheduling's own column of the people replica, from a person snapshot."""
    return {"working_hours": event.data.get("working_hours")}


def profiles_event_handlers(organizer: Participant) -> dict:
    # Profiles' shared snapshot handler: it writes the people replica, working hours in the same
    # row, on `uow.session`, a run of snapshots at once.
    person_upserted = person_upserted_handler(orm.people, _working_hours, own_fields=frozenset({"working_hours"}))

    def person_erased(event: Envelope, uow: SchedulingUnitOfWork) -> None:
        uow.people.erase(event)
        person_id = event.data["person_id"]
        cancel_future_sessions(uow, event.tenant_id, "person_erased", None, organizer, person_id=person_id)
        forget_calendars(uow, event.tenant_id, person_id)  # their busy times and credentials
        forget_feed_tokens(uow, event.tenant_id, person_id)

    def person_deactivated(event: Envelope, uow: SchedulingUnitOfWork) -> None:
        if uow.people.is_stale_event(event.tenant_id, event.data):
            return  # they came back since: their sessions booked after that stand
        cancel_future_sessions(uow, event.tenant_id, "person_left", f"a participant left ({event.data['reason']})",
                               organizer, person_id=event.data["person_id"])

    def program_upserted(event: Envelope, uow: SchedulingUnitOfWork) -> None:
        snapshot = event.data
        uow.programs.apply_snapshot({
            "tenant_id": event.tenant_id, "program_id": snapshot["program_id"], "version": snapshot["version"],
            "name": snapshot["name"], "meeting_cadence": snapshot["meeting_cadence"],
            "meeting_minutes": snapshot["meeting_minutes"], "term_months": snapshot["term_months"]})

    return {
        profiles.PERSON_UPSERTED_V1: person_upserted, profiles.PERSON_ERASED_V1: person_erased,
        profiles.PERSON_DEACTIVATED_V1: person_deactivated, profiles.PROGRAM_UPSERTED_V1: program_upserted,
    }
