"""Profiles' events: feedback's copy of people and programs, and what leavers and erasure mean for
feedback (a leaver's open requests close; an erased person's answers are anonymized)."""

from __future__ import annotations

from feedback import orm
from feedback.domain.submissions import anonymize
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.contracts import profiles
from mentoring_shared.ids import new_id
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import person_upserted_handler


def profiles_event_handlers() -> dict:
    def person_erased(event: Envelope, uow: FeedbackUnitOfWork) -> None:
        uow.people.record_erasure(event)
        person_id = event.data["person_id"]
        uow.submissions.close_open_requests(event.tenant_id, person_id, about_them_too=True)
        stand_in = new_id()
        for given in uow.submissions.feedback_involving(event.tenant_id, person_id):
            uow.submissions.save_feedback(anonymize(given, person_id, stand_in))

    def person_deactivated(event: Envelope, uow: FeedbackUnitOfWork) -> None:
        if uow.people.is_stale_event(event.tenant_id, event.data):
            return  # they came back since: what they were asked after that stays open
        # what others were asked about a leaver stays open: their view of past sessions still counts
        uow.submissions.close_open_requests(event.tenant_id, event.data["person_id"], about_them_too=False)

    def program_upserted(event: Envelope, uow: FeedbackUnitOfWork) -> None:
        data = event.data
        uow.programs.apply_snapshot({
            "tenant_id": event.tenant_id, "program_id": data["program_id"], "version": data["version"],
            "name": data["name"], "privacy_threshold": data["privacy_threshold"],
            "pulse_first_after_days": data["pulse_first_after_days"], "pulse_every_days": data["pulse_every_days"]})

    return {
        # the shared replica's snapshot handler: it writes through `uow.session`, and applies a
        # consumer batch's run of upserts in one statement (`apply_batch`)
        profiles.PERSON_UPSERTED_V1: person_upserted_handler(orm.people), profiles.PERSON_ERASED_V1: person_erased,
        profiles.PERSON_DEACTIVATED_V1: person_deactivated, profiles.PROGRAM_UPSERTED_V1: program_upserted,
    }
