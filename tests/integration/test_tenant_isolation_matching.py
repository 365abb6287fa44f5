"""Tenant isolation on matching's own routes (runs, matches, requests, suggestions): tenant B never
sees or changes tenant A's. `test_tenant_isolation` checks that every route is listed here or there."""

import uuid

import pytest

from mentoring_testing.fixtures import ApiClient
from tests.integration.matching_cohorts import build_cohort

# (service, method, route, kind, path with tenant A's ids, body); kinds as in test_tenant_isolation.
MATCHING_CASES = [
    ("matching", "POST", "/v1/cohorts/<id:cohort_id>/matching-runs", "change", "/v1/cohorts/{cohort}/matching-runs", {}),
    ("matching", "GET", "/v1/cohorts/<id:cohort_id>/matching-runs", "read", "/v1/cohorts/{cohort}/matching-runs", None),
    ("matching", "GET", "/v1/matching-runs/<id:run_id>", "read", "/v1/matching-runs/{run}", None),
    ("matching", "GET", "/v1/matching-runs/<id:run_id>/pairs", "read", "/v1/matching-runs/{run}/pairs", None),
    ("matching", "POST", "/v1/matching-runs/<id:run_id>/approval", "change", "/v1/matching-runs/{run}/approval", None),
    ("matching", "GET", "/v1/matches", "list", "/v1/matches", None),
    ("matching", "GET", "/v1/matches/<id:match_id>", "read", "/v1/matches/{match}", None),
    ("matching", "POST", "/v1/matches/<id:match_id>/end", "change", "/v1/matches/{match}/end", {"rematch": False}),
    ("matching", "GET", "/v1/cohorts/<id:cohort_id>/suggestions", "read",
     "/v1/cohorts/{cohort}/suggestions?mentee_id={waiting}", None),
    ("matching", "POST", "/v1/cohorts/<id:cohort_id>/match-requests", "change", "/v1/cohorts/{cohort}/match-requests",
     {"mentee_id": "{waiting}", "mentor_id": "{mentor}"}),
    ("matching", "GET", "/v1/match-requests", "list", "/v1/match-requests", None),
    ("matching", "GET", "/v1/match-requests/<id:request_id>", "read", "/v1/match-requests/{request}", None),
    ("matching", "POST", "/v1/match-requests/<id:request_id>/accept", "change", "/v1/match-requests/{request}/accept", {}),
    ("matching", "POST", "/v1/match-requests/<id:request_id>/decline", "change",
     "/v1/match-requests/{request}/decline", {}),
    ("matching", "POST", "/v1/match-requests/<id:request_id>/cancel", "change", "/v1/match-requests/{request}/cancel", {}),
    ("matching", "GET", "/v1/people/<id:person_id>/export", "read", "/v1/people/{mentor}/export", None),
]


@pytest.fixture(scope="module")
def tenant_a(apps, running_workers):
    """Tenant A: a matched cohort (an approved run, a match) and a mentee still waiting, with a
    pending request to a second mentor."""
    tenant = f"tenant-a-{uuid.uuid4().hex[:12]}"
    api = lambda service, **kw: ApiClient(apps[service], kw.get("tenant_id", tenant), ("org_admin",))  # noqa: E731
    cohort = build_cohort(api, apps, tenant, {"ada": {"mentor_capacity": 1}, "grace": {"mentor_capacity": 1}},
                          {"linus": {}, "guido": {}, "margaret": {}})
    matching = api("matching")
    run = matching.post(f"/v1/cohorts/{cohort.id}/matching-runs", json={}).get_json()
    assert matching.post(f"/v1/matching-runs/{run['id']}/approval").status_code == 200
    match = matching.get("/v1/matches").get_json()["items"][0]
    [waiting] = [u["mentee_id"] for u in run["summary"]["unmatched"]]
    # Free a mentor by ending a match without rematch, so the waiting mentee can ask them.
    ended = matching.get("/v1/matches").get_json()["items"][1]
    matching.post(f"/v1/matches/{ended['id']}/end", json={"rematch": False})
    request = matching.post(f"/v1/cohorts/{cohort.id}/match-requests",
                            json={"mentee_id": waiting, "mentor_id": ended["mentor_id"]})
    assert request.status_code == 201, request.get_json()
    return {"tenant": tenant, "api": api, "ids": {
        "cohort": cohort.id, "run": run["id"], "match": match["id"], "waiting": waiting,
        "mentor": ended["mentor_id"], "request": request.get_json()["id"]}}


def state_of(api, ids) -> dict:
    matching = api("matching")
    return {path: matching.get(path.format(**ids)).get_json() for path in (
        "/v1/matching-runs/{run}", "/v1/matches/{match}", "/v1/match-requests/{request}",
        "/v1/cohorts/{cohort}/matching-runs")}


@pytest.mark.parametrize("service,method,route,kind,path,body", MATCHING_CASES,
                         ids=[f"{c[1]} {c[2]}" for c in MATCHING_CASES])
def test_tenant_b_cannot_see_or_touch_tenant_as_matching(apps, tenant_a, service, method, route, kind, path, body):
    api, ids = tenant_a["api"], tenant_a["ids"]
    other = ApiClient(apps[service], f"tenant-b-{uuid.uuid4().hex[:12]}", ("org_admin",))
    before = state_of(api, ids)
    url = path.format(**ids)
    payload = {key: value.format(**ids) if isinstance(value, str) else value for key, value in (body or {}).items()}
    if kind == "read":
        assert other.request(method, url).status_code == 404
        assert api(service).request(method, url).status_code == 200
    elif kind == "list":
        listing = other.get(url, query_string={"limit": 200}).get_json()
        assert listing["items"] == []
        assert api(service).get(url).get_json()["items"]  # A's list is not empty: the emptiness is isolation
    elif kind == "change":
        assert other.request(method, url, json=payload).status_code == 404
    assert state_of(api, ids) == before
