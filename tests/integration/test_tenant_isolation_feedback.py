"""Tenant isolation on feedback's own routes: tenant B never sees or changes tenant A's requests,
answers, goals, check-ins, pairs or health rules. `test_tenant_isolation` checks that every route is listed here or there."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from mentoring_shared.ids import new_id
from mentoring_testing.fixtures import ApiClient

FEEDBACK_CASES = [
    ("feedback", "GET", "/v1/feedback-requests", "list", "/v1/feedback-requests", None),
    ("feedback", "POST", "/v1/feedback-requests/<id:request_id>/feedback", "change",
     "/v1/feedback-requests/{open_request}/feedback", {"rating": 1}),
    ("feedback", "GET", "/v1/feedback/<id:feedback_id>", "read", "/v1/feedback/{feedback}", None),
    ("feedback", "PATCH", "/v1/feedback/<id:feedback_id>", "change", "/v1/feedback/{feedback}", {"rating": 1}),
    ("feedback", "GET", "/v1/cohorts/<id:cohort_id>/report", "read", "/v1/cohorts/{cohort}/report", None),
    ("feedback", "GET", "/v1/programs/<id:program_id>/report", "read", "/v1/programs/{program}/report", None),
    ("feedback", "GET", "/v1/report", "report", "/v1/report", None),
    ("feedback", "GET", "/v1/pairs/<id:match_id>/goals", "read", "/v1/pairs/{pair}/goals", None),
    ("feedback", "POST", "/v1/pairs/<id:match_id>/goals", "change", "/v1/pairs/{pair}/goals",
     {"title": "B's goal", "target_date": (date.today() + timedelta(days=30)).isoformat()}),
    ("feedback", "GET", "/v1/goals/<id:goal_id>", "read", "/v1/goals/{goal}", None),
    ("feedback", "PATCH", "/v1/goals/<id:goal_id>", "change", "/v1/goals/{goal}", {"progress": 90}),
    ("feedback", "POST", "/v1/goals/<id:goal_id>/milestones", "change", "/v1/goals/{goal}/milestones",
     {"title": "B's milestone"}),
    ("feedback", "POST", "/v1/milestones/<id:milestone_id>/reached", "change", "/v1/milestones/{milestone}/reached",
     None),
    ("feedback", "GET", "/v1/pairs/<id:match_id>/check-ins", "read", "/v1/pairs/{pair}/check-ins", None),
    ("feedback", "POST", "/v1/check-ins/<id:check_in_id>/completion", "change",
     "/v1/check-ins/{check_in}/completion", {"note": "B was here"}),
    ("feedback", "GET", "/v1/cohorts/<id:cohort_id>/pairs", "read", "/v1/cohorts/{cohort}/pairs", None),
    ("feedback", "GET", "/v1/pairs/<id:match_id>", "read", "/v1/pairs/{pair}", None),
    ("feedback", "GET", "/v1/programs/<id:program_id>/health-rules", "read", "/v1/programs/{program}/health-rules",
     None),
    ("feedback", "PUT", "/v1/programs/<id:program_id>/health-rules", "change", "/v1/programs/{program}/health-rules",
     {"overrides": {"no_session_days_at_risk": 90}}),
    ("feedback", "GET", "/v1/people/<id:person_id>/export", "read", "/v1/people/{author}/export", None),
]


@pytest.fixture(scope="module")
def tenant_a(apps):
    """Tenant A: an open request and an answered one with its feedback, a pair with a goal, a milestone
    and a check-in, its program, and the mentee who was asked; written straight into the database."""
    tenant = f"tenant-a-{uuid.uuid4().hex[:12]}"
    runtime = apps["feedback"].extensions["runtime"]
    tables = runtime.outbox.metadata.tables
    now = datetime.now(UTC)
    common = {"tenant_id": tenant, "kind": "session", "match_id": new_id(), "session_id": new_id(),
              "cohort_id": new_id(), "program_id": new_id(), "direction": "mentee_to_mentor"}
    author, subject = new_id(), new_id()
    open_request, answered = new_id(), new_id()
    feedback_id, goal_id, milestone_id, check_in_id = new_id(), new_id(), new_id(), new_id()
    with runtime.sessions() as db:
        db.execute(insert(tables["feedback_requests"]), [
            {**common, "request_id": request_id, "author_id": author, "subject_id": subject, "status": status,
             "created_at": now, "due_at": now + timedelta(days=14)}
            for request_id, status in ((open_request, "open"), (answered, "answered"))])
        db.execute(insert(tables["feedback"]).values(
            **common, feedback_id=feedback_id, request_id=answered, author_id=author, subject_id=subject, rating=5,
            recommend=None, text="A's words", goal_progress=[], submitted_at=now,
            editable_until=now + timedelta(days=3), version=1, anonymized=False))
        db.execute(insert(tables["people"]).values(
            tenant_id=tenant, person_id=author, employee_id=None, name="A's mentee", email="mentee@a.example",
            time_zone="UTC", status="active", version=1, updated_at=now))
        db.execute(insert(tables["pairs"]).values(
            match_id=common["match_id"], tenant_id=tenant, cohort_id=common["cohort_id"],
            program_id=common["program_id"], mentee_id=author, mentor_id=subject, status="active", confirmed_at=now,
            health="on_track", health_reasons=[]))
        db.execute(insert(tables["programs"]).values(
            tenant_id=tenant, program_id=common["program_id"], version=1, name="A's program", privacy_threshold=5,
            pulse_first_after_days=30, pulse_every_days=60))
        db.execute(insert(tables["goals"]).values(
            goal_id=goal_id, tenant_id=tenant, match_id=common["match_id"], cohort_id=common["cohort_id"],
            program_id=common["program_id"], title="A's goal", description=None,
            target_date=now.date() + timedelta(days=60), status="open", progress=10, created_at=now,
            achieved_at=None, version=1))
        db.execute(insert(tables["milestones"]).values(milestone_id=milestone_id, tenant_id=tenant, goal_id=goal_id,
                                                       match_id=common["match_id"], title="A's step", reached_at=None))
        db.execute(insert(tables["check_ins"]).values(check_in_id=check_in_id, tenant_id=tenant,
                                                      match_id=common["match_id"], due_on=now.date(), label="1 month",
                                                      completed_at=None, note=None))
        db.commit()
    return {"api": ApiClient(apps["feedback"], tenant, ("org_admin",)),
            "ids": {"open_request": open_request, "feedback": feedback_id, "cohort": common["cohort_id"],
                    "program": common["program_id"], "pair": common["match_id"], "goal": goal_id,
                    "milestone": milestone_id, "check_in": check_in_id, "author": author}}


def state_of(api, ids) -> dict:
    return {"requests": api.get("/v1/feedback-requests").get_json(),
            "feedback": api.get("/v1/feedback/{feedback}".format(**ids)).get_json(),
            "goals": api.get("/v1/pairs/{pair}/goals".format(**ids)).get_json(),
            "check_ins": api.get("/v1/pairs/{pair}/check-ins".format(**ids)).get_json(),
            "health_rules": api.get("/v1/programs/{program}/health-rules".format(**ids)).get_json()}


@pytest.mark.parametrize("service,method,route,kind,path,body", FEEDBACK_CASES,
                         ids=[f"{c[1]} {c[2]}" for c in FEEDBACK_CASES])
def test_tenant_b_cannot_see_or_touch_tenant_as_feedback(apps, tenant_a, service, method, route, kind, path, body):
    api, ids = tenant_a["api"], tenant_a["ids"]
    other = ApiClient(apps[service], f"tenant-b-{uuid.uuid4().hex[:12]}", ("org_admin",))
    before = state_of(api, ids)
    url = path.format(**ids)
    if kind == "read":
        assert other.request(method, url).status_code == 404
        assert api.request(method, url).status_code == 200
    elif kind == "list":
        assert other.get(url, query_string={"limit": 200}).get_json()["items"] == []
        assert api.get(url).get_json()["items"]
    elif kind == "change":
        assert other.request(method, url, json=body).status_code == 404
    elif kind == "report":  # B's organization-wide report holds nothing of A's
        assert other.get(url).status_code == 404
        assert api.get(url).get_json()["total"]["participation"]["pairs"] == 1
        csv = api.get(url, query_string={"format": "csv"})
        assert csv.mimetype == "text/csv" and csv.data.count(b"\r\n") >= 2  # a header, the group, the total
    assert state_of(api, ids) == before
