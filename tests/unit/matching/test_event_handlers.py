"""Matching's inbound event handlers (handlers/feedback_events.py, handlers/profiles_events.py) on a
fake unit of work. profiles.person.upserted.v1 is the shared SnapshotHandler on the transaction's
session: the integration tests prove it."""

from datetime import UTC, date, datetime, timedelta

from matching.domain.requests import propose
from matching.handlers.feedback_events import feedback_event_handlers
from matching.handlers.profiles_events import profiles_event_handlers
from mentoring_shared.contracts import feedback, profiles
from mentoring_shared.contracts import matching as contracts
from tests.unit.matching.fakes import COHORT, PROGRAM, TENANT, active_match, cohort_uow, event, person_profile

NOW = datetime.now(UTC)
HANDLERS = {**profiles_event_handlers(timedelta(days=7)), **feedback_event_handlers()}


def handle(uow, event_type, **data):
    """Deliver one event as the consumer does: in the unit of work, committed."""
    with uow:
        HANDLERS[event_type](event(event_type, data), uow)
        uow.commit()


# --- feedback ---

def test_an_at_risk_verdict_flags_the_active_match_unless_a_later_one_is_held():
    uow = cohort_uow()
    match = active_match(uow)
    reasons = [{"code": "no_sessions", "detail": "no session for 4 weeks"}]
    handle(uow, feedback.PAIR_AT_RISK_V1, match_id=match.id, reasons=reasons, evaluated_at=NOW, version=2)
    flagged = uow.matches.get(TENANT, match.id)
    assert flagged.health == "at_risk" and list(flagged.health_reasons) == reasons
    handle(uow, feedback.PAIR_RECOVERED_V1, match_id=match.id, status="on_track", evaluated_at=NOW, version=1)
    assert uow.matches.get(TENANT, match.id).health == "at_risk" and uow.published == []


def test_a_recovery_clears_the_flag_and_its_reasons():
    uow = cohort_uow()
    match = active_match(uow)
    handle(uow, feedback.PAIR_AT_RISK_V1, match_id=match.id, reasons=[{"code": "x", "detail": "y"}],
           evaluated_at=NOW, version=1)
    handle(uow, feedback.PAIR_RECOVERED_V1, match_id=match.id, status="on_track", evaluated_at=NOW, version=2)
    recovered = uow.matches.get(TENANT, match.id)
    assert recovered.health == "on_track" and recovered.health_reasons == ()


# --- profiles: the read model ---

def test_program_cohort_and_enrollment_snapshots_are_kept_unless_older():
    uow = cohort_uow(mentees=(), mentors=())
    handle(uow, profiles.PROGRAM_UPSERTED_V1, program_id=PROGRAM, version=2, name="Renamed", type="classic",
           matching_weights={"seniority": 1.0}, meeting_minutes=45)
    handle(uow, profiles.PROGRAM_UPSERTED_V1, program_id=PROGRAM, version=1, name="Old", type="classic",
           matching_weights={}, meeting_minutes=30)
    assert uow.programs.get(TENANT, PROGRAM).name == "Renamed"
    handle(uow, profiles.COHORT_UPSERTED_V1, cohort_id="cohort-2", version=1, program_id=PROGRAM, name="Autumn",
           status="draft", starts_on=date(2026, 9, 1))
    assert uow.cohorts.get(TENANT, "cohort-2").starts_on == date(2026, 9, 1)
    handle(uow, profiles.ENROLLMENT_CREATED_V1, enrollment_id="e-1", version=1, cohort_id=COHORT,
           person_id="p-1", role="mentee", status="enrolled", goals=["go"], preferences={}, mentors_wanted=2)
    assert [(e.person_id, e.mentors_wanted) for e in uow.enrollments.of_cohort(TENANT, COHORT)] == [("p-1", 2)]
    assert uow.published == []


def test_closing_a_cohort_ends_its_active_pairs_without_rematch():
    uow = cohort_uow(mentors=("mentor-1", "mentor-2"))
    match = active_match(uow)
    other = active_match(uow, "elsewhere-1", "mentor-2", cohort_id="cohort-2")
    handle(uow, profiles.COHORT_STATUS_CHANGED_V1, cohort_id=COHORT, from_status="active", to_status="closed",
           version=2)
    assert uow.cohorts.get(TENANT, COHORT).status == "closed"
    assert uow.matches.get(TENANT, match.id).end_reason == "cohort_closed"
    assert uow.matches.get(TENANT, other.id).active
    assert uow.published_types() == [contracts.MATCH_ENDED_V1]


def test_a_stale_cohort_status_change_changes_nothing():
    uow = cohort_uow()
    match = active_match(uow)
    uow.cohorts.change_status(TENANT, COHORT, "active", 3)
    handle(uow, profiles.COHORT_STATUS_CHANGED_V1, cohort_id=COHORT, from_status="matching", to_status="closed",
           version=2)
    assert uow.cohorts.get(TENANT, COHORT).status == "active" and uow.matches.get(TENANT, match.id).active


def test_a_withdrawal_ends_the_persons_pairs_in_that_cohort_and_cancels_their_requests():
    uow = cohort_uow(mentors=("mentor-1", "mentor-2"))
    match = active_match(uow)
    other = active_match(uow, "mentee-1", "mentor-2", cohort_id="cohort-2")
    request, _ = propose(request_id="request-1", tenant_id=TENANT, cohort_id=COHORT, program_id=PROGRAM,
                         mentee_id="mentee-1", mentor_id="mentor-2", origin="self_match", score=700, factors=(),
                         now=NOW, time_to_live=timedelta(days=7))
    uow.match_requests.add(request)
    withdrawal = dict(enrollment_id="enrollment-mentee-1-cohort-1", cohort_id=COHORT, person_id="mentee-1",
                      role="mentee", version=2, reason="left the program")
    handle(uow, profiles.ENROLLMENT_WITHDRAWN_V1, **withdrawal)
    assert uow.enrollments.of_person(TENANT, "mentee-1")[0].status == "withdrawn"
    assert uow.enrollments.of_person(TENANT, "mentee-1")[0].goals == ()
    assert uow.matches.get(TENANT, match.id).end_reason == "withdrawn" and uow.matches.get(TENANT, other.id).active
    assert uow.match_requests.get(TENANT, request.id).status == "cancelled"
    published = len(uow.published)
    handle(uow, profiles.ENROLLMENT_WITHDRAWN_V1, **withdrawal)  # a replay
    assert len(uow.published) == published


def test_a_withdrawal_of_an_unknown_enrollment_is_recorded_so_its_late_creation_is_ignored():
    uow = cohort_uow(mentees=(), mentors=())
    handle(uow, profiles.ENROLLMENT_WITHDRAWN_V1, enrollment_id="e-9", cohort_id=COHORT, person_id="p-9",
           role="mentor", version=2, reason=None)
    handle(uow, profiles.ENROLLMENT_CREATED_V1, enrollment_id="e-9", version=1, cohort_id=COHORT,
           person_id="p-9", role="mentor", status="enrolled", goals=[], preferences={}, mentors_wanted=1)
    assert [e.status for e in uow.enrollments.of_person(TENANT, "p-9")] == ["withdrawn"]


# --- profiles: people ---

def test_a_mentor_who_leaves_ends_their_pairs_and_their_mentees_get_a_rematch_proposal():
    uow = cohort_uow(mentors=("mentor-1", "mentor-2"))
    match = active_match(uow)
    handle(uow, profiles.PERSON_DEACTIVATED_V1, person_id="mentor-1", version=2, reason="terminated")
    ended = uow.matches.get(TENANT, match.id)
    assert ended.end_reason == "person_left" and ended.end_note == "the person left (terminated)"
    assert uow.published_types() == [contracts.MATCH_ENDED_V1, contracts.MATCH_PROPOSED_V1]
    assert uow.published[1].data["mentor_id"] == "mentor-2"


def test_a_mentee_who_leaves_gets_no_rematch_and_a_stale_deactivation_ends_nothing():
    uow = cohort_uow()
    match = active_match(uow)
    uow.people.hold(TENANT, person_profile("mentee-1", version=5))
    handle(uow, profiles.PERSON_DEACTIVATED_V1, person_id="mentee-1", version=4, reason="terminated")
    assert uow.matches.get(TENANT, match.id).active and uow.published == []
    handle(uow, profiles.PERSON_DEACTIVATED_V1, person_id="mentee-1", version=6, reason="terminated")
    assert uow.published_types() == [contracts.MATCH_ENDED_V1]


def test_a_move_into_one_reporting_line_ends_the_pair():
    uow = cohort_uow(mentors=("mentor-1", "mentor-2"))
    match = active_match(uow)
    kept = active_match(uow, "mentee-1", "mentor-2")
    uow.people.hold(TENANT, person_profile("mentee-1", version=2, manager="E-mentor-1"))
    handle(uow, profiles.PERSON_MOVED_V1, person_id="mentee-1", version=2)
    assert uow.matches.get(TENANT, match.id).end_reason == "reporting_line"
    assert uow.matches.get(TENANT, kept.id).active


def test_erasure_ends_pairs_forgets_goals_and_scrubs_explanations():
    uow = cohort_uow()
    match = active_match(uow)
    handle(uow, profiles.PERSON_ERASED_V1, person_id="mentee-1", version=3)
    assert uow.people.person_row(TENANT, "mentee-1")["name"] == "Erased person"
    assert uow.people.profile(TENANT, "mentee-1").status == "erased"
    assert uow.enrollments.of_person(TENANT, "mentee-1")[0].goals_text is None
    ended = uow.matches.get(TENANT, match.id)
    assert ended.end_reason == "person_erased" and {f["detail"] for f in ended.factors} == {"erased"}
    assert uow.published_types() == [contracts.MATCH_ENDED_V1]
