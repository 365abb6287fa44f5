"""A pair's plan (handlers/mentorships.py), the events scheduling consumes from matching and profiles,
and the session clock, on fake repositories: what each stores, publishes and commits."""

from datetime import UTC, date, datetime, timedelta

import pytest

from mentoring_shared.actors import Actor
from mentoring_shared.contracts import matching, profiles
from mentoring_shared.contracts import scheduling as contracts
from mentoring_shared.errors import Conflict, InvalidField, NotFound
from mentoring_shared.messaging.envelope import Envelope
from scheduling.handlers import mentorships as handlers
from scheduling.handlers.matching_events import matching_event_handlers
from scheduling.handlers.profiles_events import profiles_event_handlers
from scheduling.session_clock import SessionClock
from tests.unit.scheduling.fakes import FakeMentorships, fake_unit_of_work
from tests.unit.scheduling.support import ORGANIZER, TENANT, a_plan, a_session, next_weekday, pair_uow

ADA = Actor("ada")
NOW = datetime.now(UTC)


def event(event_type: str, **data) -> Envelope:
    return Envelope.new(type=event_type, source="/test", subject=data.get("match_id") or data.get("person_id")
                        or data.get("program_id"), tenant_id=TENANT, data=data)


def handle(handlers_by_type: dict, envelope: Envelope, uow) -> None:
    """As the consumer runs a handler: inside the unit of work, then commit."""
    with uow:
        handlers_by_type[envelope.type](envelope, uow)
        uow.commit()


# --- the plan -------------------------------------------------------------------------------------

def test_suggested_times_are_on_the_cadence_inside_working_hours_and_name_the_mentorship():
    starts, mentorship = handlers.suggested_times(TENANT, "m-1", 3, next_weekday(0), ADA, pair_uow())
    assert mentorship.id == "m-1" and len(starts) == 3
    assert all(9 <= start.hour < 17 and start.weekday() < 5 for start in starts)
    assert starts[1] - starts[0] >= timedelta(days=6)


def test_suggested_times_of_a_pair_one_cannot_see_or_not_active_are_refused():
    with pytest.raises(NotFound):
        handlers.suggested_times(TENANT, "m-1", 3, None, Actor("grace"), pair_uow())
    with pytest.raises(Conflict):
        handlers.suggested_times(TENANT, "m-1", 3, None, ADA, pair_uow(plan=a_plan(status="ended")))


def test_kickoffs_are_booked_for_pairs_without_one_nobody_twice():
    uow = pair_uow(plan=a_plan())
    uow.mentorships.add(a_plan("m-2", mentee="grace", mentor="linus"))
    uow.mentorships.add(a_plan("m-3", mentee="alan", mentor="barbara"))
    uow.sessions.add([a_session(uow.mentorships.get(TENANT, "m-3"), next_weekday(10), "s-k", kind="kickoff")])
    for person in ("grace", "alan", "barbara"):
        uow.people.add_person(TENANT, person)
    results = handlers.book_kickoffs(TENANT, "c-1", None, ORGANIZER, uow)
    assert [m.id for m, _ in results] == ["m-1", "m-2"] and all(r.start for _, r in results)
    assert results[0][1].start != results[1][1].start  # Linus mentors both
    assert uow.published_types() == [contracts.SESSION_SCHEDULED_V1] * 2
    assert uow.sessions.mentorships_with_kickoff(TENANT, "c-1") == {"m-1", "m-2", "m-3"}


def test_kickoffs_of_an_unknown_cohort_or_one_all_kicked_off_commit_nothing():
    with pytest.raises(NotFound):
        handlers.book_kickoffs(TENANT, "c-9", None, ORGANIZER, pair_uow())
    uow = pair_uow(a_session(a_plan(), next_weekday(10), kind="kickoff"))
    assert handlers.book_kickoffs(TENANT, "c-1", None, ORGANIZER, uow) == [] and not uow.committed


def test_a_pause_cancels_the_sessions_ahead_and_a_resume_reopens_the_plan():
    uow = pair_uow(a_session(a_plan(), next_weekday(10)))
    paused = handlers.pause(TENANT, "m-1", "exams", None, ADA, ORGANIZER, uow)
    assert uow.mentorships.get(TENANT, "m-1") == paused and paused.status == "paused"
    assert uow.sessions.get(TENANT, "s-1").cancel_reason == "paused"
    assert uow.published_types() == [contracts.SESSION_CANCELLED_V1, contracts.MENTORSHIP_PAUSED_V1]
    resumed = handlers.resume(TENANT, "m-1", ADA, uow)
    assert resumed.status == "active" and uow.published_types()[-1] == contracts.MENTORSHIP_RESUMED_V1
    with pytest.raises(Conflict):
        handlers.resume(TENANT, "m-1", ADA, uow)
    assert uow.commits == 2


def test_a_pause_until_a_past_day_or_by_someone_else_is_refused():
    uow = pair_uow()
    with pytest.raises(InvalidField):
        handlers.pause(TENANT, "m-1", None, date.today(), ADA, ORGANIZER, uow)
    with pytest.raises(NotFound):
        handlers.pause(TENANT, "m-1", None, None, Actor("grace"), ORGANIZER, uow)
    assert not uow.committed and uow.mentorships.get(TENANT, "m-1").status == "active"


# --- matching's events ----------------------------------------------------------------------------

MATCH = {"match_id": "m-1", "cohort_id": "c-1", "program_id": "p-1", "mentee_id": "ada", "mentor_id": "linus"}


def test_a_confirmed_match_gets_a_plan_on_its_programs_cadence_once():
    uow = fake_unit_of_work(mentorships=FakeMentorships())
    uow.programs.apply_snapshot({"tenant_id": TENANT, "program_id": "p-1", "version": 1, "name": "P",
                                 "meeting_cadence": "biweekly", "meeting_minutes": 30, "term_months": 3})
    confirmed = event(matching.MATCH_CONFIRMED_V1, **MATCH, version=1, confirmed_at=NOW)
    handle(matching_event_handlers(ORGANIZER), confirmed, uow)
    handle(matching_event_handlers(ORGANIZER), confirmed, uow)
    [plan] = uow.mentorships.page(TENANT, limit=10)
    assert (plan.cadence, plan.meeting_minutes, plan.status) == ("biweekly", 30, "active")
    assert uow.published == []


def test_a_plan_before_its_program_is_known_takes_the_defaults():
    uow = fake_unit_of_work(mentorships=FakeMentorships())
    handle(matching_event_handlers(ORGANIZER), event(matching.MATCH_CONFIRMED_V1, **MATCH, version=1,
                                                     confirmed_at=NOW), uow)
    assert uow.mentorships.get(TENANT, "m-1").cadence == "monthly"


def test_an_ended_match_ends_its_plan_and_cancels_what_is_ahead_and_an_older_end_changes_nothing():
    uow = pair_uow(a_session(a_plan(), next_weekday(10)))
    handle(matching_event_handlers(ORGANIZER), event(matching.MATCH_ENDED_V1, **MATCH, version=3, reason="completed",
                                                     ended_at=NOW), uow)
    assert uow.mentorships.get(TENANT, "m-1").status == "ended"
    assert uow.sessions.get(TENANT, "s-1").cancel_reason == "match_ended"
    assert uow.published_types() == [contracts.SESSION_CANCELLED_V1]
    handle(matching_event_handlers(ORGANIZER), event(matching.MATCH_ENDED_V1, **MATCH, version=2, reason="other",
                                                     ended_at=NOW), uow)
    assert uow.mentorships.get(TENANT, "m-1").end_reason == "completed" and len(uow.published) == 1


def test_an_end_before_its_confirmation_is_recorded_so_the_late_confirmation_is_ignored():
    uow = fake_unit_of_work(mentorships=FakeMentorships())
    handlers_by_type = matching_event_handlers(ORGANIZER)
    handle(handlers_by_type, event(matching.MATCH_ENDED_V1, **MATCH, version=2, reason="withdrawn", ended_at=NOW), uow)
    handle(handlers_by_type, event(matching.MATCH_CONFIRMED_V1, **MATCH, version=1, confirmed_at=NOW), uow)
    assert uow.mentorships.get(TENANT, "m-1").status == "ended" and uow.published == []


# --- profiles' events -----------------------------------------------------------------------------

def test_an_erased_person_is_forgotten_with_their_sessions_ahead_calendars_and_feeds():
    uow = pair_uow(a_session(a_plan(), next_weekday(10)))
    uow.feed_tokens.add("secret", "t-1", TENANT, "ada", NOW)
    handle(profiles_event_handlers(ORGANIZER), event(profiles.PERSON_ERASED_V1, person_id="ada", version=5), uow)
    assert uow.people.person(TENANT, "ada")["status"] == "erased"
    assert uow.people.working_hours_of(TENANT, ["ada"]) == {"ada": None}
    assert uow.sessions.get(TENANT, "s-1").cancel_reason == "person_erased"
    assert uow.feed_tokens.tokens_of(TENANT, "ada", limit=10) == []
    assert uow.published_types() == [contracts.SESSION_CANCELLED_V1]


def test_a_person_who_left_has_their_sessions_ahead_cancelled_unless_the_event_is_stale():
    uow = pair_uow(a_session(a_plan(), next_weekday(10)))
    uow.people.add_person(TENANT, "ada", version=4)
    handle(profiles_event_handlers(ORGANIZER),
           event(profiles.PERSON_DEACTIVATED_V1, person_id="ada", version=3, reason="terminated"), uow)
    assert uow.sessions.get(TENANT, "s-1").status == "scheduled" and uow.published == []
    handle(profiles_event_handlers(ORGANIZER),
           event(profiles.PERSON_DEACTIVATED_V1, person_id="ada", version=5, reason="terminated"), uow)
    assert uow.sessions.get(TENANT, "s-1").cancel_reason == "person_left"
    assert uow.published[0].data["note"] == "a participant left (terminated)"


def test_a_programs_newer_snapshot_replaces_its_cadence():
    uow = fake_unit_of_work()
    program = {"program_id": "p-1", "name": "P", "meeting_cadence": "weekly", "meeting_minutes": 30,
               "term_months": 6}
    handle(profiles_event_handlers(ORGANIZER), event(profiles.PROGRAM_UPSERTED_V1, **program, version=2), uow)
    handle(profiles_event_handlers(ORGANIZER), event(profiles.PROGRAM_UPSERTED_V1, **{
        **program, "meeting_cadence": "monthly"}, version=1), uow)
    assert uow.programs.program(TENANT, "p-1")["meeting_cadence"] == "weekly"


# --- the session clock ----------------------------------------------------------------------------

def test_the_clock_reminds_each_of_the_pair_once_and_completes_sessions_that_are_over():
    start = next_weekday(10)
    uow = pair_uow(a_session(a_plan(), start), a_session(a_plan(), start - timedelta(days=14), session_id="s-0"))
    clock = SessionClock(lambda: uow, (1440, 60))
    assert clock.tick(start - timedelta(hours=2)) == (2, 1)
    assert clock.tick(start - timedelta(hours=2)) == (0, 0)  # a second tick emits nothing twice
    assert sorted(e.data["person_id"] for e in uow.published if e.type == contracts.REMINDER_DUE_V1) == \
        ["ada", "linus"]
    assert uow.sessions.get(TENANT, "s-0").completion == "automatic"
    assert contracts.SESSION_COMPLETED_V1 in uow.published_types()
    assert len(uow.reminders.sent_to(TENANT, "ada", ["s-1"])) == 1
