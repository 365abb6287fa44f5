"""Scheduling through its API and events: a confirmed match becomes a plan; kickoffs for a whole
cohort; booking that fits both people (and never double-books); moving, calling off, holding and
missing sessions; breaks; a match that ends cancels what is ahead; reminders exactly once."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from mentoring_shared.contracts import scheduling as contracts
from mentoring_testing.polling import eventually
from tests.integration.helpers import count_rows
from tests.integration.matching_cohorts import build_cohort, outbox_events

PYTHON = [{"name": "python", "level": "expert"}]


def confirmed_pairs(api, apps, tenant, mentors, mentees, **kwargs):
    """A cohort matched and approved; returns it once scheduling holds a mentorship per pair."""
    cohort = build_cohort(api, apps, tenant, mentors, mentees, **kwargs)
    matching = api("matching")
    run = matching.post(f"/v1/cohorts/{cohort.id}/matching-runs", json={}).get_json()
    assert matching.post(f"/v1/matching-runs/{run['id']}/approval").status_code == 200
    eventually(lambda: count_rows(apps["scheduling"], "mentorships", tenant_id=tenant, cohort_id=cohort.id)
               == run["summary"]["pairs"], message="scheduling never planned the confirmed matches")
    return cohort, api("scheduling").get("/v1/mentorships", query_string={"cohort_id": cohort.id}).get_json()["items"]


def next_weekday_at(hour_utc: int, days_ahead: int = 2) -> datetime:
    day = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(hour=hour_utc, minute=0, second=0,
                                                                          microsecond=0)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_a_confirmed_match_gets_a_plan_from_its_programs_cadence(api, apps, tenant, running_workers):
    cohort, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}},
                                           {"linus": {"goals": ["python"]}},
                                           program={"meeting_cadence": "biweekly", "meeting_minutes": 30})
    assert mentorship["cadence"] == "biweekly" and mentorship["meeting_minutes"] == 30
    assert mentorship["status"] == "active" and mentorship["ends_on"] > mentorship["starts_on"]
    assert mentorship["mentee_id"] == cohort.mentees["linus"]["id"]


def test_kickoffs_for_a_cohort_fit_everyone_and_double_book_nobody(api, apps, tenant, running_workers):
    cohort, mentorships = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON, "mentor_capacity": 3}},
                                          {"linus": {"goals": ["python"]}, "guido": {"goals": ["python"]},
                                           "margaret": {"goals": ["python"]}})
    scheduling = api("scheduling")
    response = scheduling.post(f"/v1/cohorts/{cohort.id}/kickoffs", json={})
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    starts = [datetime.fromisoformat(item["starts_at"]) for item in items]
    assert len(items) == 3 and all(starts)
    ordered = sorted(starts)
    assert all(later >= earlier + timedelta(minutes=45) for earlier, later in zip(ordered, ordered[1:]))
    for start in starts:  # 09:00-17:00 in Paris, on a weekday
        local = start.astimezone(ZoneInfo("Europe/Paris"))
        assert local.weekday() < 5 and 9 <= local.hour and (local + timedelta(minutes=45)).hour <= 17
    scheduled = outbox_events(apps["scheduling"], tenant, contracts.SESSION_SCHEDULED_V1)
    assert len(scheduled) == 3 and all("METHOD:REQUEST" in event["invitation"] for event in scheduled)
    again = scheduling.post(f"/v1/cohorts/{cohort.id}/kickoffs", json={}).get_json()["items"]
    assert again == []  # every pair has its kickoff


def test_a_booking_that_does_not_fit_is_refused_and_changes_nothing(api, apps, tenant, running_workers):
    _, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}}, {"linus": {"goals": ["python"]}})
    scheduling = api("scheduling")
    path = f"/v1/mentorships/{mentorship['id']}/sessions"
    night = scheduling.post(path, json={"starts_at": [next_weekday_at(1).isoformat()]})
    assert night.status_code == 422 and night.get_json()["errors"][0]["field"] == "starts_at"
    assert "outside working hours" in night.get_json()["errors"][0]["message"]
    good = next_weekday_at(9)  # 10:00 or 11:00 in Paris
    assert scheduling.post(path, json={"starts_at": [good.isoformat()]}).status_code == 201
    overlapping = scheduling.post(path, json={"starts_at": [(good + timedelta(minutes=15)).isoformat()]})
    assert overlapping.status_code == 422
    assert "overlaps another session" in overlapping.get_json()["errors"][0]["message"]
    naive = scheduling.post(path, json={"starts_at": ["2030-01-07T10:00:00"]})
    assert naive.status_code == 422
    assert count_rows(apps["scheduling"], "sessions", tenant_id=tenant) == 1


def test_a_session_moves_is_called_off_and_is_held_with_events(api, apps, tenant, running_workers):
    cohort, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}},
                                           {"linus": {"goals": ["python"]}})
    scheduling = api("scheduling")
    first, second = next_weekday_at(9), next_weekday_at(13)
    booked = scheduling.post(f"/v1/mentorships/{mentorship['id']}/sessions",
                             json={"starts_at": [first.isoformat(), (first + timedelta(days=7)).isoformat()]})
    assert booked.status_code == 201, booked.get_json()
    one, two = booked.get_json()["items"]
    assert one["series_id"] and one["series_id"] == two["series_id"]
    moved = scheduling.post(f"/v1/sessions/{one['id']}/reschedule", json={"starts_at": second.isoformat()})
    assert moved.status_code == 200 and moved.get_json()["starts_at"] == second.isoformat()
    [rescheduled] = outbox_events(apps["scheduling"], tenant, contracts.SESSION_RESCHEDULED_V1)
    assert "SEQUENCE:1" in rescheduled["invitation"]
    mentee = api("scheduling", roles=("mentee",), subject=cohort.mentees["linus"]["id"])
    cancelled = mentee.post(f"/v1/sessions/{two['id']}/cancel", json={"note": "travelling"})
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    [event] = outbox_events(apps["scheduling"], tenant, contracts.SESSION_CANCELLED_V1)
    assert event["reason"] == "asked" and event["cancelled_by"] == cohort.mentees["linus"]["id"]
    assert "METHOD:CANCEL" in event["cancellation"]
    assert mentee.post(f"/v1/sessions/{two['id']}/cancel", json={}).status_code == 409
    early = mentee.post(f"/v1/sessions/{one['id']}/confirm", json={})
    assert early.status_code == 409  # not started yet


def test_someone_outside_the_pair_cannot_see_or_touch_its_sessions(api, apps, tenant, running_workers):
    cohort, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}},
                                           {"linus": {"goals": ["python"]}})
    outsider = api("profiles").post("/v1/people", json={"name": "Eve", "email": f"eve-{tenant}@example.com",
                                                         "time_zone": "UTC", "employee_id": f"E-eve-{tenant}"})
    eve = outsider.get_json()
    eventually(lambda: count_rows(apps["scheduling"], "people", tenant_id=tenant, person_id=eve["id"]) == 1)
    intruder = api("scheduling", roles=("mentee",), subject=eve["id"])
    assert intruder.get(f"/v1/mentorships/{mentorship['id']}").status_code == 404
    response = intruder.post(f"/v1/mentorships/{mentorship['id']}/sessions",
                             json={"starts_at": [next_weekday_at(9).isoformat()]})
    assert response.status_code == 404
    assert count_rows(apps["scheduling"], "sessions", tenant_id=tenant) == 0


def test_a_break_cancels_what_is_ahead_and_blocks_booking_until_it_resumes(api, apps, tenant, running_workers):
    _, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}}, {"linus": {"goals": ["python"]}})
    scheduling = api("scheduling")
    path = f"/v1/mentorships/{mentorship['id']}/sessions"
    [session] = scheduling.post(path, json={"starts_at": [next_weekday_at(9).isoformat()]}).get_json()["items"]
    paused = scheduling.post(f"/v1/mentorships/{mentorship['id']}/pause", json={"note": "a break"})
    assert paused.status_code == 200 and paused.get_json()["status"] == "paused"
    assert scheduling.get(f"/v1/sessions/{session['id']}").get_json()["cancel_reason"] == "paused"
    blocked = scheduling.post(path, json={"starts_at": [next_weekday_at(10).isoformat()]})
    assert blocked.status_code == 409
    assert scheduling.post(f"/v1/mentorships/{mentorship['id']}/resume").get_json()["status"] == "active"
    assert scheduling.post(path, json={"starts_at": [next_weekday_at(10).isoformat()]}).status_code == 201
    assert [e["mentorship_id"] for e in outbox_events(apps["scheduling"], tenant, contracts.MENTORSHIP_PAUSED_V1)] \
        == [mentorship["id"]]


def test_an_ended_match_cancels_every_session_ahead(api, apps, tenant, running_workers):
    _, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}}, {"linus": {"goals": ["python"]}})
    scheduling = api("scheduling")
    [session] = scheduling.post(f"/v1/mentorships/{mentorship['id']}/sessions",
                                json={"starts_at": [next_weekday_at(9).isoformat()]}).get_json()["items"]
    api("matching").post(f"/v1/matches/{mentorship['id']}/end", json={"reason": "asked", "rematch": False})
    eventually(lambda: scheduling.get(f"/v1/sessions/{session['id']}").get_json()["status"] == "cancelled",
               message="the session of an ended match was not cancelled")
    assert scheduling.get(f"/v1/sessions/{session['id']}").get_json()["cancel_reason"] == "match_ended"
    assert scheduling.get(f"/v1/mentorships/{mentorship['id']}").get_json()["status"] == "ended"


def test_reminders_are_emitted_once_and_sessions_complete_by_themselves(api, apps, tenant, running_workers):
    from scheduling.session_clock import SessionClock

    _, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}}, {"linus": {"goals": ["python"]}})
    [session] = api("scheduling").post(f"/v1/mentorships/{mentorship['id']}/sessions", json={
        "starts_at": [next_weekday_at(9).isoformat()]}).get_json()["items"]
    starts = datetime.fromisoformat(session["starts_at"])
    app = apps["scheduling"]
    clock = SessionClock(app.extensions["runtime"], (1440, 60))
    clock.tick(starts - timedelta(hours=2))       # the day-before reminder is due, the hour-before is not
    clock.tick(starts - timedelta(hours=2))       # a restart ticking again emits nothing twice
    reminders = [e for e in outbox_events(apps["scheduling"], tenant, contracts.REMINDER_DUE_V1)
                 if e["session_id"] == session["id"]]
    assert sorted((e["person_id"], e["lead_minutes"]) for e in reminders) == sorted(
        (person, 1440) for person in (mentorship["mentee_id"], mentorship["mentor_id"]))
    clock.tick(starts - timedelta(minutes=30))
    assert len([e for e in outbox_events(apps["scheduling"], tenant, contracts.REMINDER_DUE_V1)
                if e["session_id"] == session["id"]]) == 4
    clock.tick(starts + timedelta(hours=2))
    done = api("scheduling").get(f"/v1/sessions/{session['id']}").get_json()
    assert done["status"] == "completed" and done["completion"] == "automatic"
    [completed] = [e for e in outbox_events(apps["scheduling"], tenant, contracts.SESSION_COMPLETED_V1)
                   if e["session_id"] == session["id"]]
    assert completed["minutes"] == 45
