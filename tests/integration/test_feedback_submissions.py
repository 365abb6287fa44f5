"""Two-way feedback through the real pipeline: a session completed in scheduling asks both people
about each other; each answers once, may edit within the window, and nobody else can answer."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from mentoring_shared.contracts import feedback as contracts
from mentoring_testing.polling import eventually
from tests.integration.helpers import count_rows
from tests.integration.matching_cohorts import outbox_events
from tests.integration.test_scheduling_sessions import PYTHON, confirmed_pairs, next_weekday_at

PROBLEM = "application/problem+json"


def completed_session(api, apps, tenant, **cohort):
    """A pair with one session that scheduling has completed; returns the pair and the session."""
    from scheduling.session_clock import SessionClock

    _, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}}, {"linus": {"goals": ["python"]}},
                                      **cohort)
    [session] = api("scheduling").post(f"/v1/mentorships/{mentorship['id']}/sessions", json={
        "starts_at": [next_weekday_at(9).isoformat()]}).get_json()["items"]
    app = apps["scheduling"]
    SessionClock(app.extensions["runtime"], ()).tick(
        datetime.fromisoformat(session["ends_at"]) + timedelta(hours=1))
    eventually(lambda: count_rows(apps["feedback"], "feedback_requests", tenant_id=tenant, session_id=session["id"])
               == 2, message="feedback never asked the pair about their session")
    return mentorship, session


def as_person(api, person_id, role):
    return api("feedback", roles=(role,), subject=person_id)


def test_a_completed_session_asks_each_side_about_the_other(api, apps, tenant, running_workers):
    mentorship, session = completed_session(api, apps, tenant)
    mentee = as_person(api, mentorship["mentee_id"], "mentee")
    [request] = mentee.get("/v1/feedback-requests").get_json()["items"]
    assert request["session_id"] == session["id"] and request["direction"] == "mentee_to_mentor"
    assert request["subject_id"] == mentorship["mentor_id"] and request["status"] == "open"
    organizer_view = api("feedback").get("/v1/feedback-requests").get_json()["items"]
    assert {r["direction"] for r in organizer_view} == {"mentee_to_mentor", "mentor_to_mentee"}


def test_one_answer_per_person_and_session_editable_within_its_window(api, apps, tenant, running_workers):
    mentorship, _ = completed_session(api, apps, tenant)
    mentee = as_person(api, mentorship["mentee_id"], "mentee")
    [request] = mentee.get("/v1/feedback-requests").get_json()["items"]
    path = f"/v1/feedback-requests/{request['id']}/feedback"
    out_of_range = mentee.post(path, json={"rating": 6})
    assert out_of_range.status_code == 422 and out_of_range.get_json()["errors"][0]["field"] == "rating"
    given = mentee.post(path, json={"rating": 5, "text": "Very helpful",
                                    "goal_progress": [{"goal": "python", "progress": 40}]})
    assert given.status_code == 201, given.get_json()
    second = mentee.post(path, json={"rating": 4})
    assert second.status_code == 409 and second.mimetype == PROBLEM
    [event] = outbox_events(apps["feedback"], tenant, contracts.FEEDBACK_SUBMITTED_V1)
    assert event["rating"] == 5 and "text" not in event  # words stay in feedback's database
    feedback_id = given.get_json()["id"]
    edited = mentee.request("PATCH", f"/v1/feedback/{feedback_id}", json={"rating": 4})
    assert edited.status_code == 200 and edited.get_json()["version"] == 2
    runtime = apps["feedback"].extensions["runtime"]
    table = runtime.outbox.metadata.tables["feedback"]
    with runtime.sessions() as db:  # the window closes
        db.execute(update(table).where(table.c.feedback_id == feedback_id)
                   .values(editable_until=datetime.now(UTC) - timedelta(minutes=1)))
        db.commit()
    late = mentee.request("PATCH", f"/v1/feedback/{feedback_id}", json={"rating": 1})
    assert late.status_code == 409 and "editable_until" in late.get_json()
    assert api("feedback").get(f"/v1/feedback/{feedback_id}").get_json()["rating"] == 4


def test_nobody_outside_the_pair_can_answer_and_nobody_answers_for_someone_else(api, apps, tenant,
                                                                               running_workers):
    mentorship, _ = completed_session(api, apps, tenant)
    [request] = as_person(api, mentorship["mentee_id"], "mentee").get("/v1/feedback-requests").get_json()["items"]
    path = f"/v1/feedback-requests/{request['id']}/feedback"
    mentor = as_person(api, mentorship["mentor_id"], "mentor")
    assert mentor.post(path, json={"rating": 1}).status_code == 403  # the mentor cannot answer the mentee's
    assert api("feedback").post(path, json={"rating": 1}).status_code == 403  # nor an organizer
    outsider = api("profiles").post("/v1/people", json={"name": "Eve", "email": f"eve-{tenant}@example.com",
                                                        "time_zone": "UTC", "employee_id": f"E-eve-{tenant}"})
    eve = outsider.get_json()["id"]
    eventually(lambda: count_rows(apps["feedback"], "people", tenant_id=tenant, person_id=eve) == 1)
    assert as_person(api, eve, "mentee").post(path, json={"rating": 1}).status_code == 404
    assert count_rows(apps["feedback"], "feedback", tenant_id=tenant) == 0
