"""What feedback does with profiles', matching's and scheduling's events (handlers/*_events.py),
over fake repositories: no broker, no database."""

from datetime import timedelta

from feedback.handlers.matching_events import matching_event_handlers
from feedback.handlers.profiles_events import profiles_event_handlers
from feedback.handlers.scheduling_events import scheduling_event_handlers
from mentoring_shared.contracts import matching, profiles, scheduling
from tests.unit.feedback.builders import (
    MENTEE,
    MENTOR,
    NOW,
    STRANGER,
    TENANT,
    answer,
    event,
    pair_row,
    person_row,
    program_row,
    request,
)
from tests.unit.feedback.fakes import FakePairsRepository, FakePeopleRepository, FakeSubmissionsRepository, feedback_uow

ANSWER_WITHIN = timedelta(days=14)
MATCHING = matching_event_handlers(ANSWER_WITHIN)
SCHEDULING = scheduling_event_handlers(ANSWER_WITHIN)
PROFILES = profiles_event_handlers()


def match(version=1, **changes) -> dict:
    return {"match_id": "match-1", "version": version, "cohort_id": "cohort-1", "program_id": "program-1",
            "mentee_id": MENTEE, "mentor_id": MENTOR, "confirmed_at": NOW, "ended_at": NOW, "reason": "completed",
            **changes}


def session(status_event=scheduling.SESSION_COMPLETED_V1, version=2, **changes):
    return event(status_event, {"session_id": "session-1", "mentorship_id": "match-1", "cohort_id": "cohort-1",
                                "program_id": "program-1", "mentee_id": MENTEE, "mentor_id": MENTOR,
                                "starts_at": NOW - timedelta(hours=1), "ends_at": NOW - timedelta(minutes=15),
                                "version": version, **changes})


def authors(uow) -> list[str]:
    return sorted(request.author_id for request in uow.submissions.requests_by_id.values())


# --- matching ---
def test_a_confirmed_match_becomes_an_active_pair_with_two_check_ins():
    uow = feedback_uow()
    MATCHING[matching.MATCH_CONFIRMED_V1](event(matching.MATCH_CONFIRMED_V1, match()), uow)
    assert uow.pairs.pair(TENANT, "match-1").status == "active"
    check_ins = uow.goals.check_ins_of_pair(TENANT, "match-1")
    assert [(c.label, c.due_on) for c in check_ins] == [("1 month", (NOW + timedelta(days=30)).date()),
                                                        ("3 months", (NOW + timedelta(days=91)).date())]
    assert uow.published == []


def test_a_known_pair_s_confirmation_again_adds_nothing():
    uow = feedback_uow(pairs=FakePairsRepository([pair_row()]))
    MATCHING[matching.MATCH_CONFIRMED_V1](event(matching.MATCH_CONFIRMED_V1, match()), uow)
    assert uow.goals.check_ins_by_id == {}


def test_an_ended_match_ends_the_pair_and_asks_both_sides_for_an_exit_survey():
    uow = feedback_uow(pairs=FakePairsRepository([pair_row()]))
    MATCHING[matching.MATCH_ENDED_V1](event(matching.MATCH_ENDED_V1, match(version=2)), uow)
    assert uow.pairs.pair(TENANT, "match-1").status == "ended"
    assert authors(uow) == [MENTEE, MENTOR]
    assert {r.kind for r in uow.submissions.requests_by_id.values()} == {"exit"}


def test_no_exit_survey_goes_to_someone_who_has_left():
    uow = feedback_uow(pairs=FakePairsRepository([pair_row()]),
                       people=FakePeopleRepository([person_row(MENTOR, status="terminated")]))
    MATCHING[matching.MATCH_ENDED_V1](event(matching.MATCH_ENDED_V1, match(version=2)), uow)
    assert authors(uow) == [MENTEE]


def test_a_replayed_end_or_an_erasure_asks_nothing():
    uow = feedback_uow(pairs=FakePairsRepository([pair_row(status="ended", match_version=2)]))
    MATCHING[matching.MATCH_ENDED_V1](event(matching.MATCH_ENDED_V1, match(version=2)), uow)
    erased = feedback_uow()
    MATCHING[matching.MATCH_ENDED_V1](event(matching.MATCH_ENDED_V1, match(reason="person_erased")), erased)
    assert authors(uow) == [] and authors(erased) == []
    assert erased.pairs.pair(TENANT, "match-1").status == "ended"  # known only from its end


# --- scheduling ---
def test_a_completed_session_asks_each_side_about_the_other():
    uow = feedback_uow()
    SCHEDULING[scheduling.SESSION_COMPLETED_V1](session(), uow)
    assert uow.mentoring_sessions.rows["session-1"]["status"] == "completed"
    assert uow.mentoring_sessions.rows["session-1"]["minutes"] == 45
    assert authors(uow) == [MENTEE, MENTOR]
    assert {(r.kind, r.session_id, r.due_at - r.created_at) for r in uow.submissions.requests_by_id.values()} == {
        ("session", "session-1", ANSWER_WITHIN)}


def test_a_session_asks_once_and_an_older_snapshot_asks_nothing():
    uow = feedback_uow()
    SCHEDULING[scheduling.SESSION_COMPLETED_V1](session(), uow)
    SCHEDULING[scheduling.SESSION_COMPLETED_V1](session(version=3), uow)  # newer, but asked already
    SCHEDULING[scheduling.SESSION_COMPLETED_V1](session(version=1), uow)  # older: not applied
    assert len(authors(uow)) == 2 and uow.mentoring_sessions.rows["session-1"]["version"] == 3


def test_a_cancelled_session_is_kept_and_asks_nothing():
    uow = feedback_uow()
    SCHEDULING[scheduling.SESSION_CANCELLED_V1](session(scheduling.SESSION_CANCELLED_V1, reason="no_show"), uow)
    SCHEDULING[scheduling.SESSION_SCHEDULED_V1](session(scheduling.SESSION_SCHEDULED_V1, session_id="session-2"), uow)
    assert uow.mentoring_sessions.rows["session-1"]["status"] == "no_show"
    assert uow.mentoring_sessions.rows["session-2"]["status"] == "scheduled"
    assert authors(uow) == []


def test_a_completed_session_asks_nobody_who_has_left():
    uow = feedback_uow(people=FakePeopleRepository([person_row(MENTEE, status="erased")]))
    SCHEDULING[scheduling.SESSION_COMPLETED_V1](session(), uow)
    assert authors(uow) == [MENTOR]


# --- profiles ---
def test_an_erased_person_s_requests_close_and_their_answers_are_anonymized():
    submissions = FakeSubmissionsRepository(
        [request("asked-them", author_id=MENTEE), request("about-them", author_id=MENTOR, subject_id=MENTEE),
         request("others", author_id=MENTOR, subject_id=STRANGER)],
        [answer("by-them", author_id=MENTEE), answer("about-them", author_id=MENTOR, subject_id=MENTEE)])
    uow = feedback_uow(submissions=submissions, people=FakePeopleRepository([person_row(MENTEE)]))
    PROFILES[profiles.PERSON_ERASED_V1](event(profiles.PERSON_ERASED_V1, {"person_id": MENTEE, "version": 2}), uow)
    assert uow.people.person(TENANT, MENTEE)["status"] == "erased"
    assert {r.id: r.status for r in submissions.requests_by_id.values()} == {
        "asked-them": "closed", "about-them": "closed", "others": "open"}
    by_them, about_them = submissions.feedback_by_id["by-them"], submissions.feedback_by_id["about-them"]
    assert by_them.author_id is None and by_them.anonymous_author and by_them.text is None and by_them.anonymized
    assert about_them.subject_id is None and about_them.author_id == MENTOR and about_them.text is None


def test_a_leaver_s_own_requests_close_but_those_about_them_stay_open():
    submissions = FakeSubmissionsRepository([request("asked-them", author_id=MENTEE),
                                             request("about-them", author_id=MENTOR, subject_id=MENTEE)])
    uow = feedback_uow(submissions=submissions, people=FakePeopleRepository([person_row(MENTEE, version=2)]))
    PROFILES[profiles.PERSON_DEACTIVATED_V1](
        event(profiles.PERSON_DEACTIVATED_V1, {"person_id": MENTEE, "version": 3}), uow)
    assert {r.id: r.status for r in submissions.requests_by_id.values()} == {
        "asked-them": "closed", "about-them": "open"}


def test_a_stale_deactivation_of_someone_who_came_back_closes_nothing():
    submissions = FakeSubmissionsRepository([request(author_id=MENTEE)])
    uow = feedback_uow(submissions=submissions, people=FakePeopleRepository([person_row(MENTEE, version=5)]))
    PROFILES[profiles.PERSON_DEACTIVATED_V1](
        event(profiles.PERSON_DEACTIVATED_V1, {"person_id": MENTEE, "version": 4}), uow)
    assert submissions.request(TENANT, "request-1").status == "open"


def test_a_program_snapshot_is_kept_unless_a_newer_one_is_held():
    uow = feedback_uow()
    for version, name in ((2, "Engineering"), (1, "Old name")):
        data = {key: value for key, value in program_row(version=version, name=name).items() if key != "tenant_id"}
        PROFILES[profiles.PROGRAM_UPSERTED_V1](event(profiles.PROGRAM_UPSERTED_V1, data), uow)
    assert uow.programs.known(TENANT, "program-1") and uow.programs.rows[(TENANT, "program-1")]["name"] == "Engineering"
    assert uow.published == []
