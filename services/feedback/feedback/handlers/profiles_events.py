"""Profiles' events: feedback's copy of people and programs, and what leavers and erasure mean for
feedback (a leaver's open requests close; an erased person's answers are anonymized)."""

from __future__ import annotations

from mentoring_shared.contracts import profiles
from mentoring_shared.db.replica import NewerSnapshotUpsert
from mentoring_shared.unit_of_work import UnitOfWork
from mentoring_shared.ids import new_id
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import is_stale_person_event, people_replica_handlers

from feedback import orm
from feedback.domain.submissions import anonymize
from feedback.repositories.submissions import Submissions

_programs = NewerSnapshotUpsert(orm.programs, ["tenant_id", "program_id"])


def profiles_event_handlers() -> dict:
    people = people_replica_handlers(orm.people)

    def person_erased(event: Envelope, uow: UnitOfWork) -> None:
        people[profiles.PERSON_ERASED_V1](event, uow)
        person_id = event.data["person_id"]
        submissions = Submissions(uow.session)
        submissions.close_open_requests(event.tenant_id, person_id, about_them_too=True)
        stand_in = new_id()
        for given in submissions.feedback_involving(event.tenant_id, person_id):
            submissions.save_feedback(anonymize(given, person_id, stand_in))

    def person_deactivated(event: Envelope, uow: UnitOfWork) -> None:
        if is_stale_person_event(uow.session, orm.people, event.tenant_id, event.data):
            return  # they came back since: what they were asked after that stays open
        # what others were asked about a leaver stays open: their view of past sessions still counts
        Submissions(uow.session).close_open_requests(event.tenant_id, event.data["person_id"], about_them_too=False)

    def program_upserted(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        _programs.apply(uow.session, {
            "tenant_id": event.tenant_id, "program_id": data["program_id"], "version": data["version"],
            "name": data["name"], "privacy_threshold": data["privacy_threshold"],
            "pulse_first_after_days": data["pulse_first_after_days"], "pulse_every_days": data["pulse_every_days"]})

    return {
        profiles.PERSON_UPSERTED_V1: people[profiles.PERSON_UPSERTED_V1], profiles.PERSON_ERASED_V1: person_erased,
        profiles.PERSON_DEACTIVATED_V1: person_deactivated, profiles.PROGRAM_UPSERTED_V1: program_upserted,
    }
