"""Profiles' events, applied to matching's read model; and what they mean for pairs: a leaver's
matches end (their mentees get a rematch proposal), a move into one reporting line ends the pair,
a withdrawal ends the person's pairs in that cohort, a closed cohort ends its pairs. An event older
than the copy held (by version) changes nothing: after a broker loses its log, profiles republishes
events consumers may have seen, behind newer ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from mentoring_shared.contracts import profiles as contracts
from mentoring_shared.db.dialects import dialect_insert
from mentoring_shared.db.replica import NewerSnapshotUpsert
from mentoring_shared.unit_of_work import UnitOfWork
from mentoring_shared.event_order import held_version, is_stale
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import (ERASED_STATUS, is_stale_person_event, people_replica_handlers,
                                             person_upserted_handler)

from matching import orm
from matching.domain import requests
from matching.domain.matches import end_match
from matching.engine.exclusions import in_one_reporting_line
from matching.handlers.matches import propose_rematch
from matching.repositories.matching import MatchingRecords
from matching.repositories.read_model import ReadModel

# The snapshot's mentoring attributes, kept as the profile JSON (the rest are columns or not needed).
PROFILE_FIELDS = ("title", "time_zone", "location", "languages", "seniority_band", "skills", "interests", "goals",
                  "goals_text", "roles_offered", "roles_wanted", "working_hours", "mentor_capacity")
ENDED_COHORT_STATUSES = ("closed", "archived")
# A withdrawn or erased participant's goals and preferences are no longer needed: keep none of them.
_NOTHING_PERSONAL = {"goals": [], "goals_text": None,
                     "preferences": {"skills": [], "languages": [], "departments": [], "avoid_person_ids": []}}

_profiles = NewerSnapshotUpsert(orm.person_profiles, ["tenant_id", "person_id"])
_programs = NewerSnapshotUpsert(orm.programs, ["tenant_id", "program_id"])
_cohorts = NewerSnapshotUpsert(orm.cohorts, ["tenant_id", "cohort_id"])
_enrollments = NewerSnapshotUpsert(orm.enrollments, ["tenant_id", "enrollment_id"])


def _profile_row(event: Envelope) -> dict:
    snapshot = event.data
    return {"tenant_id": event.tenant_id, "person_id": snapshot["person_id"], "version": snapshot["version"],
            "employee_id": snapshot.get("employee_id"), "manager_employee_id": snapshot.get("manager_employee_id"),
            "department": snapshot.get("department"), "status": snapshot["status"],
            "profile": {name: snapshot[name] for name in PROFILE_FIELDS if name in snapshot}}


def profiles_event_handlers(time_to_live: timedelta) -> dict:
    people = people_replica_handlers(orm.people)
    person_upserted = person_upserted_handler(orm.people, (_profiles, _profile_row))

    def person_erased(event: Envelope, uow: UnitOfWork) -> None:
        people[contracts.PERSON_ERASED_V1](event, uow)
        person_id = event.data["person_id"]
        _profiles.apply(uow.session, {
            "tenant_id": event.tenant_id, "person_id": person_id, "version": event.data["version"],
            "employee_id": None, "manager_employee_id": None, "department": None, "status": ERASED_STATUS,
            "profile": {}})
        table = orm.enrollments
        uow.session.execute(update(table).where(table.c.tenant_id == event.tenant_id, table.c.person_id == person_id)
                            .values(**_NOTHING_PERSONAL))
        _end_pairs_of(uow, event.tenant_id, person_id, "person_erased", None, time_to_live)
        MatchingRecords(uow.session).scrub_explanations(event.tenant_id, person_id)

    def person_deactivated(event: Envelope, uow: UnitOfWork) -> None:
        if is_stale_person_event(uow.session, orm.people, event.tenant_id, event.data):
            return  # they came back since: pairs made after that stand
        _end_pairs_of(uow, event.tenant_id, event.data["person_id"], "person_left",
                      f"the person left ({event.data['reason']})", time_to_live)

    def person_moved(event: Envelope, uow: UnitOfWork) -> None:
        """A new manager or department can put a pair in one reporting line: such a pair ends. The
        check reads the read model as it is now, not the event, so a late or repeated move is harmless."""
        person_id = event.data["person_id"]
        records = MatchingRecords(uow.session)
        read_model = ReadModel(uow.session)
        managers = read_model.reporting_lines(event.tenant_id)
        for match in records.matches_of(event.tenant_id, person_id, active_only=True, for_update=True):
            profiles = read_model.profiles(event.tenant_id, [match.mentee_id, match.mentor_id])
            mentee, mentor = profiles.get(match.mentee_id), profiles.get(match.mentor_id)
            if mentee and mentor and in_one_reporting_line(mentee.employee_id, mentor.employee_id, managers):
                _end(uow, records, match, "reporting_line", "the pair is now in one reporting line", time_to_live)

    def program_upserted(event: Envelope, uow: UnitOfWork) -> None:
        snapshot = event.data
        _programs.apply(uow.session, {
            "tenant_id": event.tenant_id, "program_id": snapshot["program_id"], "version": snapshot["version"],
            "name": snapshot["name"], "type": snapshot["type"], "matching_weights": snapshot["matching_weights"],
            "meeting_minutes": snapshot["meeting_minutes"]})

    def cohort_upserted(event: Envelope, uow: UnitOfWork) -> None:
        snapshot = event.data
        _cohorts.apply(uow.session, {
            "tenant_id": event.tenant_id, "cohort_id": snapshot["cohort_id"], "version": snapshot["version"],
            "program_id": snapshot["program_id"], "name": snapshot["name"], "status": snapshot["status"],
            "starts_on": snapshot.get("starts_on")})  # a date: the consumer loads payloads by their schema

    def cohort_status_changed(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        table = orm.cohorts
        if is_stale(data["version"], held_version(uow.session, table, tenant_id=event.tenant_id,
                                                  cohort_id=data["cohort_id"])):
            return  # the cohort moved on since: the newer change did what was due
        uow.session.execute(update(table).where(
            table.c.tenant_id == event.tenant_id, table.c.cohort_id == data["cohort_id"],
            table.c.version < data["version"]).values(status=data["to_status"], version=data["version"]))
        if data["to_status"] in ENDED_COHORT_STATUSES:
            records = MatchingRecords(uow.session)
            for match in records.matches(event.tenant_id, limit=1_000_000, cohort_id=data["cohort_id"],
                                         status="active"):
                _end(uow, records, match, "cohort_closed", f"the cohort is {data['to_status']}", None)

    def enrollment_created(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        _enrollments.apply(uow.session, {
            "tenant_id": event.tenant_id, "enrollment_id": data["enrollment_id"], "version": data["version"],
            "cohort_id": data["cohort_id"], "person_id": data["person_id"], "role": data["role"],
            "status": data["status"], "goals": data["goals"], "goals_text": data.get("goals_text"),
            "preferences": data["preferences"], "mentors_wanted": data["mentors_wanted"]})

    def enrollment_withdrawn(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        if not _record_withdrawal(uow, event.tenant_id, data):
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


def _record_withdrawal(uow: UnitOfWork, tenant_id: str, data: dict) -> bool:
    """The enrollment is withdrawn, unless the copy holds this version already. One not known yet is
    recorded as withdrawn, so that its creation, arriving late, is ignored. True if applied."""
    table = orm.enrollments
    withdrawn = {"status": "withdrawn", "version": data["version"], **_NOTHING_PERSONAL}
    updated = uow.session.execute(update(table).where(
        table.c.tenant_id == tenant_id, table.c.enrollment_id == data["enrollment_id"],
        table.c.version < data["version"]).values(**withdrawn).returning(table.c.enrollment_id))
    if updated.first() is not None:
        return True
    added = uow.session.execute(dialect_insert(uow.session, table).values(
        tenant_id=tenant_id, enrollment_id=data["enrollment_id"], cohort_id=data["cohort_id"],
        person_id=data["person_id"], role=data["role"], mentors_wanted=1, **withdrawn)
        .on_conflict_do_nothing(index_elements=["tenant_id", "enrollment_id"]).returning(table.c.enrollment_id))
    return added.first() is not None


def _end_pairs_of(uow: UnitOfWork, tenant_id: str, person_id: str, reason: str, note: str | None,
                  time_to_live: timedelta | None, cohort_id: str | None = None) -> None:
    """End the person's active pairs (in one cohort, or all) and close their open requests."""
    records = MatchingRecords(uow.session)
    for match in records.matches_of(tenant_id, person_id, active_only=True, for_update=True):
        if cohort_id is None or match.cohort_id == cohort_id:
            _end(uow, records, match, reason, note, time_to_live if match.mentor_id == person_id else None)
    now = datetime.now(timezone.utc)
    for request in records.open_requests_of(tenant_id, person_id, now):
        if cohort_id is None or request.cohort_id == cohort_id:
            records.save_request(requests.cancel(request, note or reason, now))


def _end(uow: UnitOfWork, records: MatchingRecords, match, reason: str, note: str | None,
         rematch_time_to_live: timedelta | None) -> None:
    """End one pair; with a time to live, propose a new mentor to its mentee."""
    ended, events = end_match(match, reason, note, datetime.now(timezone.utc))
    records.save_match(ended)
    uow.publish(events)
    if rematch_time_to_live is not None:
        propose_rematch(uow, ended, rematch_time_to_live)
