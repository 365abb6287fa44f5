"""Every tenant's data is invisible to every other tenant, on every route of every service.

CASES names every route the apps serve with the check it gets: a new route fails
`test_every_route_has_a_tenant_isolation_check` until it is added here, with its check."""

import io
import uuid

import pytest

from mentoring_testing.polling import eventually
from tests.integration.helpers import count_rows, new_person
from tests.integration.test_tenant_isolation_feedback import FEEDBACK_CASES
from tests.integration.test_tenant_isolation_matching import MATCHING_CASES
from tests.integration.test_tenant_isolation_scheduling import SCHEDULING_CASES

PUBLIC_ROUTES = {"/healthz", "/readyz", "/metrics", "/openapi.json", "/static/<path:filename>"}

# (service, method, route, kind, path with placeholders for tenant A's ids, body)
#   read:   tenant B gets 404 for A's object
#   list:   tenant B's list holds none of A's objects
#   change: tenant B gets 404 acting on A's object, and A's object is unchanged
#   refer:  tenant B's request naming A's object as a field is refused (422) and writes nothing
#   own:    tenant B creates its own object; A's are unaffected
#   import: tenant B imports an HR file naming A's person's employee id and email: B gets its own
CASES = [
    ("profiles", "GET", "/v1/people", "list", "/v1/people", None),
    ("profiles", "POST", "/v1/people", "own", "/v1/people", "person"),
    ("profiles", "POST", "/v1/hr-imports", "import", "/v1/hr-imports", None),
    ("profiles", "GET", "/v1/hr-imports/progress/<id:progress_id>", "read", "/v1/hr-imports/progress/{import_progress}",
     None),
    ("profiles", "GET", "/v1/people/<id:person_id>", "read", "/v1/people/{person}", None),
    ("profiles", "PATCH", "/v1/people/<id:person_id>", "change", "/v1/people/{person}", {"title": "Hacked"}),
    ("profiles", "GET", "/v1/people/<id:person_id>/export", "read", "/v1/people/{person}/export", None),
    ("profiles", "POST", "/v1/people/<id:person_id>/erasure", "change", "/v1/people/{person}/erasure", None),
    ("profiles", "GET", "/v1/programs", "list", "/v1/programs", None),
    ("profiles", "POST", "/v1/programs", "own", "/v1/programs", {"name": "B's", "type": "classic"}),
    ("profiles", "GET", "/v1/programs/<id:program_id>", "read", "/v1/programs/{program}", None),
    ("profiles", "PATCH", "/v1/programs/<id:program_id>", "change", "/v1/programs/{program}", {"name": "Hacked"}),
    ("profiles", "POST", "/v1/programs/<id:program_id>/duplicate", "change", "/v1/programs/{program}/duplicate",
     {"name": "Copy"}),
    ("profiles", "GET", "/v1/cohorts", "list", "/v1/cohorts", None),
    ("profiles", "POST", "/v1/cohorts", "refer", "/v1/cohorts", {"program_id": "{program}", "name": "Stolen"}),
    ("profiles", "GET", "/v1/cohorts/<id:cohort_id>", "read", "/v1/cohorts/{cohort}", None),
    ("profiles", "PATCH", "/v1/cohorts/<id:cohort_id>", "change", "/v1/cohorts/{cohort}", {"name": "Hacked"}),
    ("profiles", "POST", "/v1/cohorts/<id:cohort_id>/status", "change", "/v1/cohorts/{cohort}/status",
     {"status": "matching"}),
    ("profiles", "POST", "/v1/cohorts/<id:cohort_id>/duplicate", "change", "/v1/cohorts/{cohort}/duplicate",
     {"name": "Copy"}),
    ("profiles", "GET", "/v1/cohorts/<id:cohort_id>/enrollments", "read", "/v1/cohorts/{cohort}/enrollments", None),
    ("profiles", "POST", "/v1/cohorts/<id:cohort_id>/enrollments", "change", "/v1/cohorts/{cohort}/enrollments",
     {"person_id": "{person}", "role": "mentee"}),
    ("profiles", "GET", "/v1/enrollments/<id:enrollment_id>", "read", "/v1/enrollments/{enrollment}", None),
    ("profiles", "POST", "/v1/enrollments/<id:enrollment_id>/withdraw", "change",
     "/v1/enrollments/{enrollment}/withdraw", {"reason": "hacked"}),
    ("profiles", "GET", "/v1/scim-tokens", "list", "/v1/scim-tokens", None),
    ("profiles", "POST", "/v1/scim-tokens", "own", "/v1/scim-tokens", {"label": "B's"}),
    ("profiles", "POST", "/v1/scim-tokens/<id:token_id>/revoke", "change", "/v1/scim-tokens/{scim_token}/revoke", None),
    ("profiles", "GET", "/scim/v2/Users", "scim-list", "/scim/v2/Users", None),
    ("profiles", "POST", "/scim/v2/Users", "scim-own", "/scim/v2/Users", "scim-user"),
    ("profiles", "GET", "/scim/v2/Users/<id:user_id>", "scim-read", "/scim/v2/Users/{person}", None),
    ("profiles", "PUT", "/scim/v2/Users/<id:user_id>", "scim-change", "/scim/v2/Users/{person}",
     {"userName": "hacked@example.com"}),
    ("profiles", "PATCH", "/scim/v2/Users/<id:user_id>", "scim-change", "/scim/v2/Users/{person}",
     {"Operations": [{"op": "replace", "value": {"active": False}}]}),
    ("profiles", "DELETE", "/scim/v2/Users/<id:user_id>", "scim-change", "/scim/v2/Users/{person}", None),
    ("profiles", "POST", "/scim/v2/Users/.search", "scim-list", "/scim/v2/Users/.search",
     {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}),
    ("profiles", "POST", "/scim/v2/.search", "scim-list", "/scim/v2/.search",
     {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}),
    ("profiles", "GET", "/scim/v2/Groups", "scim-list", "/scim/v2/Groups", None),
    ("profiles", "POST", "/scim/v2/Groups/.search", "scim-list", "/scim/v2/Groups/.search",
     {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}),
    ("profiles", "POST", "/scim/v2/Groups", "scim-refer", "/scim/v2/Groups",
     {"displayName": "Stolen", "members": [{"value": "{person}"}]}),
    ("profiles", "GET", "/scim/v2/Groups/<id:group_id>", "scim-read", "/scim/v2/Groups/{scim_group}", None),
    ("profiles", "PUT", "/scim/v2/Groups/<id:group_id>", "scim-change", "/scim/v2/Groups/{scim_group}",
     {"displayName": "Hacked"}),
    ("profiles", "PATCH", "/scim/v2/Groups/<id:group_id>", "scim-change", "/scim/v2/Groups/{scim_group}",
     {"Operations": [{"op": "replace", "path": "displayName", "value": "Hacked"}]}),
    ("profiles", "DELETE", "/scim/v2/Groups/<id:group_id>", "scim-change", "/scim/v2/Groups/{scim_group}", None),
    ("profiles", "GET", "/scim/v2/ServiceProviderConfig", "scim-static", "/scim/v2/ServiceProviderConfig", None),
    ("profiles", "GET", "/scim/v2/ResourceTypes", "scim-static", "/scim/v2/ResourceTypes", None),
    ("profiles", "GET", "/scim/v2/ResourceTypes/<string:name>", "scim-static", "/scim/v2/ResourceTypes/User", None),
    ("profiles", "GET", "/scim/v2/Schemas", "scim-static", "/scim/v2/Schemas", None),
    ("profiles", "GET", "/scim/v2/Schemas/<string:schema_id>", "scim-static",
     "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", None),
] + [
    (service, method, route, kind, path, None)
    for service in ("matching", "scheduling", "feedback")
    for method, route, kind, path in (("GET", "/v1/people", "list", "/v1/people"),
                                      ("GET", "/v1/people/<id:person_id>", "read", "/v1/people/{person}"))
]

# What tenant A's objects look like from A, by the path placeholders above.
READ_BACK = {"person": "/v1/people/{person}", "program": "/v1/programs/{program}", "cohort": "/v1/cohorts/{cohort}",
             "enrollment": "/v1/enrollments/{enrollment}"}


@pytest.mark.parametrize("service", ["profiles", "matching", "scheduling", "feedback"])
def test_every_route_has_a_tenant_isolation_check(apps, service):
    served = {(method, rule.rule) for rule in apps[service].url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"} if rule.rule not in PUBLIC_ROUTES}
    assert served == {(method, route) for s, method, route, *_ in CASES + MATCHING_CASES + SCHEDULING_CASES + FEEDBACK_CASES
                                          if s == service}


@pytest.fixture
def tenant_a_objects(api, apps, tenant, running_workers):
    """In tenant A: a person (also copied to the other services), a program, an enrolling cohort and
    an enrollment."""
    profiles = api("profiles")
    person = profiles.post("/v1/people", json=new_person()).get_json()
    program = profiles.post("/v1/programs", json={"name": "A's program", "type": "classic"}).get_json()
    cohort = profiles.post("/v1/cohorts", json={"program_id": program["id"], "name": "A's cohort"}).get_json()
    profiles.post(f"/v1/cohorts/{cohort['id']}/status", json={"status": "enrolling"})
    enrollment = profiles.post(f"/v1/cohorts/{cohort['id']}/enrollments",
                               json={"person_id": person["id"], "role": "mentee"}).get_json()
    scim_token = profiles.post("/v1/scim-tokens", json={"label": "A's"}).get_json()
    group = apps["profiles"].test_client().post(
        "/scim/v2/Groups", json={"displayName": "A's group", "members": [{"value": person["id"]}]},
        headers={"Authorization": f"Bearer {scim_token['token']}"}).get_json()
    import_progress = uuid.uuid4().hex
    profiles.post("/v1/hr-imports", content_type="multipart/form-data", data={
        "file": (io.BytesIO(b"id,name,email,tz\n"), "hr.csv"), "dry_run": "true", "progress_id": import_progress,
        "mapping": '{"employee_id": "id", "name": "name", "email": "email", "time_zone": "tz"}'})
    for service in ("matching", "scheduling", "feedback"):
        eventually(lambda: count_rows(apps[service], "people", tenant_id=tenant, person_id=person["id"]) == 1)
    return {"person": person["id"], "program": program["id"], "cohort": cohort["id"], "enrollment": enrollment["id"],
            "scim_token": scim_token["id"], "scim_group": group["id"], "import_progress": import_progress}


def snapshot_of_tenant_a(api, ids):
    return {name: api("profiles").get(path.format(**ids)).get_json() for name, path in READ_BACK.items()}


def fill(value, ids):
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return value.format(**ids) if isinstance(value, str) else value


@pytest.mark.parametrize("service,method,route,kind,path,body", CASES, ids=[f"{c[1]} {c[0]}{c[2]}" for c in CASES])
def test_tenant_b_cannot_see_or_touch_tenant_as_objects(api, apps, tenant, tenant_a_objects, service, method, route,
                                                       kind, path, body):
    ids = tenant_a_objects
    tenant_b = f"tenant-b-{uuid.uuid4().hex[:12]}"
    other = api(service, tenant_id=tenant_b)
    before = snapshot_of_tenant_a(api, ids)
    url = path.format(**ids)
    payload = new_person() if body == "person" else fill(body, ids)
    if body == "scim-user":  # tenant A's identity, provisioned into tenant B
        payload = {"userName": before["person"]["email"], "externalId": before["person"]["employee_id"]}

    if kind == "read":
        assert other.request(method, url).status_code == 404
        assert api(service).request(method, url).status_code == 200  # A sees it: the 404 is isolation
    elif kind == "list":
        listing = other.get(url, query_string={"limit": 200}).get_json()
        assert not set(ids.values()) & {item.get("id") or item.get("person_id") for item in listing["items"]}
    elif kind == "change":
        assert other.request(method, url, json=payload).status_code == 404
    elif kind == "refer":
        response = other.request(method, url, json=payload)
        assert response.status_code == 422, response.get_json()
        assert count_rows(apps[service], "cohorts", tenant_id=tenant_b) == 0
    elif kind == "own":
        assert other.request(method, url, json=payload).status_code == 201
    elif kind.startswith("scim-"):
        secret = api("profiles", tenant_id=tenant_b).post("/v1/scim-tokens", json={"label": "B"}).get_json()["token"]
        response = apps["profiles"].test_client().open(url, method=method, json=payload,
                                                       headers={"Authorization": f"Bearer {secret}"})
        if kind in ("scim-read", "scim-change"):
            assert response.status_code == 404
        elif kind == "scim-list":
            assert not set(ids.values()) & {resource["id"] for resource in response.get_json()["Resources"]}
        elif kind == "scim-own":
            assert response.status_code == 201
        elif kind == "scim-refer":  # another tenant's person is not a User here: left out of the group
            assert response.status_code == 201 and count_rows(apps[service], "scim_group_members",
                                                               tenant_id=tenant_b) == 0
        elif kind == "scim-static":
            assert response.status_code == 200
        assert count_rows(apps["profiles"], "scim_group_members", tenant_id=tenant, group_id=ids["scim_group"]) == 1
    elif kind == "import":
        a_person = before["person"]
        csv = (f"id,name,email,tz\n{a_person['employee_id']},Same Id,{a_person['email']},UTC\n").encode()
        mapping = '{"employee_id": "id", "name": "name", "email": "email", "time_zone": "tz"}'
        response = other.request(method, url, data={"file": (io.BytesIO(csv), "hr.csv"), "mapping": mapping},
                                 content_type="multipart/form-data")
        assert response.status_code == 200 and response.get_json()["summary"]["creates"] == 1
    assert snapshot_of_tenant_a(api, ids) == before
