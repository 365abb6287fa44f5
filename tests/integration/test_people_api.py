"""Profiles' people routes against PostgreSQL: what they answer, and that bad input writes nothing."""

import pytest

from tests.integration.helpers import count_rows, new_person

PROBLEM = "application/problem+json"


def test_a_registered_person_can_be_read_back(api):
    profiles = api("profiles")
    created = profiles.post("/v1/people", json=new_person(name="Grace Hopper"))
    assert created.status_code == 201
    person = created.get_json()
    assert person["name"] == "Grace Hopper" and person["status"] == "active" and person["version"] == 1
    fetched = profiles.get(f"/v1/people/{person['id']}")
    assert fetched.status_code == 200
    assert fetched.get_json() == person


def test_registering_writes_the_person_and_one_event_in_the_outbox(api, apps, tenant):
    api("profiles").post("/v1/people", json=new_person())
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 1
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant, event_type="profiles.person.upserted.v1") == 1


def test_people_are_listed_in_pages_in_creation_order(api):
    profiles = api("profiles")
    ids = [profiles.post("/v1/people", json=new_person()).get_json()["id"] for _ in range(5)]
    seen, cursor = [], None
    while True:
        query = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = profiles.get("/v1/people", query_string=query).get_json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids


def test_page_size_is_bounded(api):
    response = api("profiles").get("/v1/people", query_string={"limit": 1000})
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert response.get_json()["errors"][0]["field"] == "limit"


def test_a_duplicate_employee_id_or_email_is_a_conflict(api, apps, tenant):
    profiles = api("profiles")
    first = new_person()
    profiles.post("/v1/people", json=first)
    response = profiles.post("/v1/people", json=new_person(employee_id=first["employee_id"], email=first["email"]))
    assert response.status_code == 409
    assert response.get_json()["fields"] == ["email", "employee_id"]
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 1
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant) == 1


@pytest.mark.parametrize("body,content_type,status,field", [
    ('{"name": "x", ', "application/json", 400, None),                                   # bad JSON
    ('{"employee_id":"E","name":"A","email":"a@b.co","time_zone":"UTC","nickname":"z"}', "application/json", 422,
     "nickname"),
    ('{"employee_id":"E","name":"A","email":"a@b.co","time_zone":7}', "application/json", 422, "time_zone"),
    ('{"employee_id":"E","name":"A","email":"not-an-email","time_zone":"UTC"}', "application/json", 422, "email"),
    ('{"employee_id":"E","email":"a@b.co","time_zone":"UTC"}', "application/json", 422, "name"),  # missing
    ('{"employee_id":"E","name":"A","email":"a@b.co","time_zone":"Mars/Base"}', "application/json", 422,
     "time_zone"),
    ('{"employee_id":"E","name":"A","email":"a@b.co","time_zone":"UTC","skills":[{"name":"Go","level":"guru"}]}',
     "application/json", 422, "skills.0.level"),
    ('{"employee_id":"E","name":"A","email":"a@b.co","time_zone":"UTC","manager_employee_id":"NOBODY"}',
     "application/json", 422, "manager_employee_id"),
    ('[1, 2]', "application/json", 422, "body"),
    ("name=A", "application/x-www-form-urlencoded", 415, None),
    ('{"employee_id":"E","name":"A","email":"a@b.co","time_zone":"UTC","mentor_capacity":2.5}', "application/json",
     422, "mentor_capacity"),                                                             # not stored as 2
    ('{"employee_id":"E","name":"A","email":"a@b.co","time_zone":"UTC","mentor_capacity":true}', "application/json",
     422, "mentor_capacity"),
])
def test_bad_input_is_a_problem_naming_the_field_and_writes_nothing(api, apps, tenant, body, content_type,
                                                                      status, field):
    response = api("profiles").post("/v1/people", data=body, content_type=content_type)
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status and problem["title"]
    if field:
        assert field in {error["field"] for error in problem["errors"]}
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant) == 0


def test_an_oversized_body_is_refused_and_writes_nothing(api, apps, tenant):
    limit = apps["profiles"].config["MAX_CONTENT_LENGTH"]
    body = new_person(name="x" * (limit + 10))
    response = api("profiles").post("/v1/people", json=body)
    assert response.status_code == 413
    assert response.mimetype == PROBLEM
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0


def test_requests_without_a_valid_token_are_unauthorized(apps):
    client = apps["profiles"].test_client()
    assert client.get("/v1/people").status_code == 401
    response = client.get("/v1/people", headers={"Authorization": "Bearer not.a.token"})
    assert response.status_code == 401 and response.mimetype == PROBLEM


def test_only_admins_and_services_register_people(api, apps, tenant):
    response = api("profiles", roles=("mentee",)).post("/v1/people", json=new_person())
    assert response.status_code == 403
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0


def test_health_and_readiness_answer_without_a_token(apps):
    for app in apps.values():
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.get_json()
        assert ready.get_json()["checks"] == {"database": "ok", "broker": "ok"}


def test_an_api_stays_ready_while_the_broker_is_away_but_not_without_its_database(service_databases):
    from mentoring_testing.fixtures import platform_environment
    from mentoring_testing.servers import free_port
    from profiles.app import create_app

    no_broker = create_app(platform_environment(service_databases, f"127.0.0.1:{free_port()}")).test_client()
    ready = no_broker.get("/readyz")  # writes wait in the outbox: keep taking traffic
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": "ok", "broker": "unavailable"}
    no_database = platform_environment({**service_databases,
                                        "profiles": f"postgresql://postgres@127.0.0.1:{free_port()}/gone"},
                                       f"127.0.0.1:{free_port()}")
    unready = create_app(no_database).test_client().get("/readyz")
    assert unready.status_code == 503 and unready.get_json()["checks"]["database"] == "unavailable"


def test_nul_characters_are_refused_naming_the_field(api, apps, tenant):
    profiles = api("profiles")
    response = profiles.post("/v1/people", json=new_person(name="Ada\x00Lovelace"))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "name"
    # An email carries no NUL pattern in the OpenAPI document: its format rules NUL out.
    response = profiles.post("/v1/people", json=new_person(email="ada\x00@example.com"))
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "email"
    assert profiles.get("/v1/people", query_string={"cursor": "a\x00b"}).status_code == 422
    assert profiles.get("/v1/people/a%00b").status_code == 404
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0


def test_concurrent_registrations_of_one_person_make_one_person_and_conflicts(api, apps, tenant):
    from concurrent.futures import ThreadPoolExecutor

    body = new_person()
    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(lambda _: api("profiles").post("/v1/people", json=body).status_code, range(8)))
    assert statuses == [201] + [409] * 7
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 1
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant) == 1


def test_a_machine_client_registers_and_reads_people_but_changes_exports_and_imports_nothing(api, apps, tenant):
    machine = api("profiles", roles=("service",))
    created = machine.post("/v1/people", json=new_person())
    assert created.status_code == 201
    person = created.get_json()
    assert machine.get(f"/v1/people/{person['id']}").status_code == 200
    assert machine.request("PATCH", f"/v1/people/{person['id']}", json={"title": "Changed"}).status_code == 403
    assert machine.get(f"/v1/people/{person['id']}/export").status_code == 403
    assert machine.post(f"/v1/people/{person['id']}/erasure").status_code == 403
    assert machine.post("/v1/hr-imports", data={}, content_type="multipart/form-data").status_code == 403
    assert api("profiles").get(f"/v1/people/{person['id']}").get_json()["title"] != "Changed"
