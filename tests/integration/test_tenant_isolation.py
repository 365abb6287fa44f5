"""Every tenant's data is invisible to every other tenant, on every route of every service.

The route inventory below must name every route the apps serve: a new route fails
`test_every_route_has_a_tenant_isolation_check` until its isolation is proven here."""

import uuid

import pytest

from mentoring_shared.testing.polling import eventually
from tests.integration.helpers import count_rows, new_person

PUBLIC_ROUTES = {"/healthz", "/readyz", "/metrics", "/openapi.json", "/static/<path:filename>"}
CHECKED_ROUTES = {
    "profiles": {("GET", "/v1/people"), ("POST", "/v1/people"), ("GET", "/v1/people/<id:person_id>")},
    "matching": {("GET", "/v1/people"), ("GET", "/v1/people/<id:person_id>")},
    "scheduling": {("GET", "/v1/people"), ("GET", "/v1/people/<id:person_id>")},
    "feedback": {("GET", "/v1/people"), ("GET", "/v1/people/<id:person_id>")},
}


@pytest.mark.parametrize("service", sorted(CHECKED_ROUTES))
def test_every_route_has_a_tenant_isolation_check(apps, service):
    served = {(method, rule.rule) for rule in apps[service].url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"} if rule.rule not in PUBLIC_ROUTES}
    assert served == CHECKED_ROUTES[service]


@pytest.fixture
def person_of_tenant_a(api, tenant, running_workers, apps):
    person = api("profiles").post("/v1/people", json=new_person()).get_json()
    for service in ("matching", "scheduling", "feedback"):
        eventually(lambda: count_rows(apps[service], "people", tenant_id=tenant, person_id=person["id"]) == 1)
    return person


@pytest.fixture
def tenant_b() -> str:
    return f"tenant-b-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize("service", sorted(CHECKED_ROUTES))
def test_tenant_b_cannot_read_or_list_tenant_as_people(api, person_of_tenant_a, tenant_b, service):
    other = api(service, tenant_id=tenant_b)
    assert other.get(f"/v1/people/{person_of_tenant_a['id']}").status_code == 404
    listing = other.get("/v1/people", query_string={"limit": 200}).get_json()
    assert listing == {"items": [], "next_cursor": None}
    # and tenant A does see it, so the 404 above is isolation, not absence
    assert api(service).get(f"/v1/people/{person_of_tenant_a['id']}").status_code == 200


def test_tenant_b_registering_as_identity_makes_its_own_person_and_leaves_as_untouched(
        api, apps, tenant, person_of_tenant_a, tenant_b):
    # POST is the only route that writes so far: B's write cannot reach A's person or be refused by it.
    clash = {k: person_of_tenant_a[k] for k in ("name", "email", "time_zone", "employee_id")}
    created = api("profiles", tenant_id=tenant_b).post("/v1/people", json=clash)
    assert created.status_code == 201
    assert created.get_json()["id"] != person_of_tenant_a["id"]
    assert api("profiles").get(f"/v1/people/{person_of_tenant_a['id']}").get_json() == person_of_tenant_a
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 1
