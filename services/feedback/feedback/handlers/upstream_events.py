"""Events from profiles, matching and scheduling: feedback's copy of programs, pairs and sessions;
a feedback request to each side after every completed session, an exit survey when a pair ends,
check-ins at one and three months; and what leavers and erasure mean for feedback."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from mentoring_shared.contracts import matching, profiles, scheduling
from mentoring_shared.db.replica import NewerSnapshotUpsert
from mentoring_shared.db.unit_of_work import UnitOfWork
from mentoring_shared.ids import new_id, new_ids
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import is_stale_person_event, people_replica_handlers

from feedback import orm
from feedback.domain.submissions import anonymize, requests_for_pair
from feedback.repositories.pairs import Pairs
from feedback.repositories.submissions import Submissions
from feedback.settings import FeedbackSettings

CHECK_INS = ((30, "1 month"), (91, "3 months"))

_programs = NewerSnapshotUpsert(orm.programs, ["tenant_id", "program_id"])
_sessions = NewerSnapshotUpsert(orm.sessions, ["session_id"])


def upstream_event_handlers(settings: FeedbackSettings) -> dict:
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

    def match_confirmed(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        if not Pairs(uow.session).add_confirmed(event.tenant_id, data):
            return  # known already: confirmed before, or ended (its end arrived first)
        confirmed = data["confirmed_at"]
        uow.session.execute(insert(orm.check_ins), [
            {"check_in_id": new_id(), "tenant_id": event.tenant_id, "match_id": data["match_id"],
             "due_on": (confirmed + timedelta(days=days)).date(), "label": label, "completed_at": None, "note": None}
            for days, label in CHECK_INS])

    def match_ended(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        if not Pairs(uow.session).record_end(event.tenant_id, data):
            return  # a replay: the pair holds this end already
        if data["reason"] in ("person_erased",):
            return
        Submissions(uow.session).add_requests_to_present(requests_for_pair(
            ids=new_ids(), tenant_id=event.tenant_id, kind="exit", match_id=data["match_id"], session_id=None,
            cohort_id=data["cohort_id"], program_id=data["program_id"], mentee_id=data["mentee_id"],
            mentor_id=data["mentor_id"], now=datetime.now(timezone.utc), answer_within=settings.answer_within))

    def session_changed(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        status = {scheduling.SESSION_CANCELLED_V1: "no_show" if data.get("reason") == "no_show" else "cancelled",
                  scheduling.SESSION_COMPLETED_V1: "completed"}.get(event.type, "scheduled")
        applied = _sessions.apply(uow.session, {
            "session_id": data["session_id"], "tenant_id": event.tenant_id, "match_id": data["mentorship_id"],
            "cohort_id": data["cohort_id"], "program_id": data["program_id"], "starts_at": data["starts_at"],
            "minutes": int((data["ends_at"] - data["starts_at"]).total_seconds() // 60), "status": status,
            "version": data["version"]})
        submissions = Submissions(uow.session)
        # Only a newer snapshot asks for feedback: an older "completed" is a replay (completed is final).
        if applied and status == "completed" and not submissions.has_requests_for_session(
                event.tenant_id, data["session_id"]):
            submissions.add_requests_to_present(requests_for_pair(
                ids=new_ids(), tenant_id=event.tenant_id, kind="session", match_id=data["mentorship_id"],
                session_id=data["session_id"], cohort_id=data["cohort_id"], program_id=data["program_id"],
                mentee_id=data["mentee_id"], mentor_id=data["mentor_id"], now=datetime.now(timezone.utc),
                answer_within=settings.answer_within))

    return {
        profiles.PERSON_UPSERTED_V1: people[profiles.PERSON_UPSERTED_V1], profiles.PERSON_ERASED_V1: person_erased,
        profiles.PERSON_DEACTIVATED_V1: person_deactivated, profiles.PROGRAM_UPSERTED_V1: program_upserted,
        matching.MATCH_CONFIRMED_V1: match_confirmed, matching.MATCH_ENDED_V1: match_ended,
        **{event_type: session_changed for event_type in (
            scheduling.SESSION_SCHEDULED_V1, scheduling.SESSION_RESCHEDULED_V1, scheduling.SESSION_CANCELLED_V1,
            scheduling.SESSION_COMPLETED_V1)},
    }
