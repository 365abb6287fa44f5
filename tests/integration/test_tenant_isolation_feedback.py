"""Tenant isolation on feedback's own routes: tenant B never sees or changes tenant A's requests
or answers. `test_tenant_isolation` checks that every route is listed here or there."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from mentoring_shared.ids import new_id
from mentoring_shared.testing.fixtures import ApiClient

FEEDBACK_CASES = [
    ("feedback", "GET", "/v1/feedback-requests", "list", "/v1/feedback-requests", None),
    ("feedback", "POST", "/v1/feedback-requests/<id:request_id>/feedback", "change",
     "/v1/feedback-requests/{open_request}/feedback", {"rating": 1}),
    ("feedback", "GET", "/v1/feedback/<id:feedback_id>", "read", "/v1/feedback/{feedback}", None),
    ("feedback", "PATCH", "/v1/feedback/<id:feedback_id>", "change", "/v1/feedback/{feedback}", {"rating": 1}),
    ("feedback", "GET", "/v1/cohorts/<id:cohort_id>/report", "read", "/v1/cohorts/{cohort}/report", None),
    ("feedback", "GET", "/v1/programs/<id:program_id>/report", "read", "/v1/programs/{program}/report", None),
    ("feedback", "GET", "/v1/report", "report", "/v1/report", None),
]


@pytest.fixture(scope="module")
def tenant_a(apps):
    """Tenant A: an open request and an answered one with its feedback, written straight into the database."""
    tenant = f"tenant-a-{uuid.uuid4().hex[:12]}"
    runtime = apps["feedback"].extensions["runtime"]
    tables = runtime.outbox.metadata.tables
    now = datetime.now(timezone.utc)
    common = {"tenant_id": tenant, "kind": "session", "match_id": new_id(), "session_id": new_id(),
              "cohort_id": new_id(), "program_id": new_id(), "direction": "mentee_to_mentor"}
    author, subject = new_id(), new_id()
    open_request, answered = new_id(), new_id()
    feedback_id = new_id()
    with runtime.sessions() as db:
        db.execute(insert(tables["feedback_requests"]), [
            {**common, "request_id": request_id, "author_id": author, "subject_id": subject, "status": status,
             "created_at": now, "due_at": now + timedelta(days=14)}
            for request_id, status in ((open_request, "open"), (answered, "answered"))])
        db.execute(insert(tables["feedback"]).values(
            **common, feedback_id=feedback_id, request_id=answered, author_id=author, subject_id=subject, rating=5,
            recommend=None, text="A's words", goal_progress=[], submitted_at=now,
            editable_until=now + timedelta(days=3), version=1, anonymized=False))
        db.execute(insert(tables["pairs"]).values(
            match_id=common["match_id"], tenant_id=tenant, cohort_id=common["cohort_id"],
            program_id=common["program_id"], mentee_id=author, mentor_id=subject, status="active", confirmed_at=now,
            health="on_track", health_reasons=[]))
        db.commit()
    return {"api": ApiClient(apps["feedback"], tenant, ("org_admin",)),
            "ids": {"open_request": open_request, "feedback": feedback_id, "cohort": common["cohort_id"],
                    "program": common["program_id"]}}


def state_of(api, ids) -> dict:
    return {"requests": api.get("/v1/feedback-requests").get_json(),
            "feedback": api.get("/v1/feedback/{feedback}".format(**ids)).get_json()}


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
