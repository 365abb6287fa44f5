"""Profiles' events, applied to matching's read model; and what they mean for pairs: a leaver's
matches end (their mentees get a rematch proposal), a move into one reporting line ends the pair,
a withdrawal ends the person's pairs in that cohort, a closed cohort ends its pairs. An event older
than the copy held (by version) changes nothing: after a broker loses its log, profiles republishes
events consumers may have seen, behind newer ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import mentoring_shared.contracts.profiles as contracts
from matching import orm
from matching.domain import requests
from matching.domain.matches import end_match
from matching.engine.exclusions import in_one_reporting_line
from matching.handlers.matches import propose_rematch
from matching.unit_of_work import MatchingUnitOfWork
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import person_upserted_handler

# The snapshot's mentoring attributes, kept as the profile JSON (the rest are columns or not needed).
PROFILE_FIELDS = ("title", "time_zone", "location", "languages", "seniority_band", "skills", "interests", "goals",
                  "goals_text", "roles_offered", "roles_wanted", "working_hours", "mentor_capacity")
ENDED_COHORT_STATUSES = ("closed", "archived")


def _profile_columns(event: Envelope) -> dict:
    """Matching's own columns of the people replica (orm.PROFILE_COLUMNS), from a person snapshot."""
    snapshot = event.data
    return {"manager_employee_id": snapshot.get("manager_employee_id"), "department": snapshot.get("department"),
            "profile": {name: snapshot[name] for name in PROFILE_FIELDS if name in snapshot}}


def profiles_event_handlers(time_to_live: timedelta) -> dict:
    # A shared snapshot handler (it stores a consumer batch's run of upserts at once) on the
    # transaction's session: the people replica, with the profile in the same row.
    person_upserted = person_upserted_handler(orm.people, _profile_columns)

    def person_erased(event: Envelope, uow: MatchingUnitOfWork) -> None:
        uow.people.erase(event)
        person_id = event.data["person_id"]
        uow.enrollments.forget_personal_details_of(event.tenant_id, person_id)
        _end_pairs_of(uow, event.tenant_id, person_id, "person_erased", None, time_to_live)
        uow.matches.scrub_explanations(event.tenant_id, person_id)
        uow.match_requests.scrub_explanations(event.tenant_id, person_id)
        uow.runs.scrub_explanations(event.tenant_id, person_id)

    def person_deactivated(event: Envelope, uow: MatchingUnitOfWork) -> None:
        if uow.people.is_stale_event(event.tenant_id, event.data):
            return  # they came back since: pairs made after that stand
        _end_pairs_of(uow, event.tenant_id, event.data["person_id"], "person_left",
                      f"the person left ({event.data['reason']})", time_to_live)

    def person_moved(event: Envelope, uow: MatchingUnitOfWork) -> None:
        """A new manager or department can put a pair in one reporting line: such a pair ends. The
        check reads the read model as it is now, not the event, so a late or repeated move is harmless."""
        person_id = event.data["person_id"]
        managers = uow.people.reporting_lines(event.tenant_id)
        for match in uow.matches.of_person(event.tenant_id, person_id, active_only=True, for_update=True):
            profiles = uow.people.profiles(event.tenant_id, [match.mentee_id, match.mentor_id])
            mentee, mentor = profiles.get(match.mentee_id), profiles.get(match.mentor_id)
            if mentee and mentor and in_one_reporting_line(mentee.employee_id, mentor.employee_id, managers):
                _end(uow, match, "reporting_line", "the pair is now in one reporting line", time_to_live)

    def program_upserted(event: Envelope, uow: MatchingUnitOfWork) -> None:
        snapshot = event.data
        uow.programs.store({
            "tenant_id": event.tenant_id, "program_id": snapshot["program_id"], "version": snapshot["version"],
            "name": snapshot["name"], "type": snapshot["type"], "matching_weights": snapshot["matching_weights"],
            "meeting_minutes": snapshot["meeting_minutes"]})

    def cohort_upserted(event: Envelope, uow: MatchingUnitOfWork) -> None:
        snapshot = event.data
        uow.cohorts.store({
            "tenant_id": event.tenant_id, "cohort_id": snapshot["cohort_id"], "version": snapshot["version"],
            "program_id": snapshot["program_id"], "name": snapshot["name"], "status": snapshot["status"],
            "starts_on": snapshot.get("starts_on")})  # a date: the consumer loads payloads by their schema

    def cohort_status_changed(event: Envelope, uow: MatchingUnitOfWork) -> None:
        data = event.data
        if uow.cohorts.holds_newer_than(event.tenant_id, data["cohort_id"], data["version"]):
            return  # the cohort moved on since: the newer change did what was due
        uow.cohorts.change_status(event.tenant_id, data["cohort_id"], data["to_status"], data["version"])
        if data["to_status"] in ENDED_COHORT_STATUSES:
            for match in uow.matches.active_in_cohort(event.tenant_id, data["cohort_id"]):
                _end(uow, match, "cohort_closed", f"the cohort is {data['to_status']}", None)

    def enrollment_created(event: Envelope, uow: MatchingUnitOfWork) -> None:
        data = event.data
        uow.enrollments.store({
            "tenant_id": event.tenant_id, "enrollment_id": data["enrollment_id"], "version": data["version"],
            "cohort_id": data["cohort_id"], "person_id": data["person_id"], "role": data["role"],
            "status": data["status"], "goals": data["goals"], "goals_text": data.get("goals_text"),
            "preferences": data["preferences"], "mentors_wanted": data["mentors_wanted"]})

    def enrollment_withdrawn(event: Envelope, uow: MatchingUnitOfWork) -> None:
        data = event.data
        if not uow.enrollments.record_withdrawal(event.tenant_id, data["enrollment_id"], data["cohort_id"],
                                                 data["person_id"], data["role"], data["version"]):
            return  # a replay: the copy holds this withdrawal already
        _end_pairs_of(uow, event.tenant_id, data["person_id"], "withdrawn", data.get("reason"), time_to_live,
                      cohort_id=data["cohort_id"])

    return {
        contracts.PERSON_UPSERTED_V1: person_upserted, contracts.PERSON_ERASED_V1: person_erased,
        contracts.PERSON_DEACTIVATED_V1: person_deactivated, contracts.PERSON_MOVED_V1: person_moved,
        contracts.PROGRAM_UPSERTED_V1: program_upserted, contracts.COHORT_UPSERTED_V1: cohort_upserted,
        contracts.COHORT_STATUS_CHANGED_V1: cohort_status_changed,
        contracts.ENROLLMENT_CREATED_V1: enrollment_created, contracts.ENROLLMENT_WITHDRAWN_V1: enrollment_withdrawn,
    }


def _end_pairs_of(uow: MatchingUnitOfWork, tenant_id: str, person_id: str, reason: str, note: str | None,
                  time_to_live: timedelta | None, cohort_id: str | None = None) -> None:
    """End the person's active pairs (in one cohort, or all) and close their open requests."""
    for match in uow.matches.of_person(tenant_id, person_id, active_only=True, for_update=True):
        if cohort_id is None or match.cohort_id == cohort_id:
            _end(uow, match, reason, note, time_to_live if match.mentor_id == person_id else None)
    now = datetime.now(UTC)
    for request in uow.match_requests.open_of(tenant_id, person_id, now):
        if cohort_id is None or request.cohort_id == cohort_id:
            uow.match_requests.save(requests.cancel(request, note or reason, now))


def _end(uow: MatchingUnitOfWork, match, reason: str, note: str | None,
         rematch_time_to_live: timedelta | None) -> None:
    """End one pair; with a time to live, propose a new mentor to its mentee."""
    ended, events = end_match(match, reason, note, datetime.now(UTC))
    uow.matches.save(ended)
    uow.publish(events)
    if rematch_time_to_live is not None:
        propose_rematch(uow, ended, rematch_time_to_live)
