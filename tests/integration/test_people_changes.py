"""Changing people through the API: versions, moves, deactivations, manager chains, search."""

from mentoring_shared.contracts import profiles as contracts
from tests.integration.helpers import count_rows, new_person

PROBLEM = "application/problem+json"


def outbox_types(apps, tenant, subject):
    runtime = apps["profiles"].extensions["runtime"]
    outbox = runtime.outbox
    with runtime.sessions() as session:
        rows = session.execute(outbox.select().where(outbox.c.tenant_id == tenant, outbox.c.message_key == subject)
                               .order_by(outbox.c.seq)).all()
    return [row.event_type for row in rows]


def test_a_full_profile_round_trips(api):
    body = new_person(title="Staff Engineer", department="Platform", location="Lyon", languages=["fr", "en"],
                      seniority_band=6, skills=[{"name": "Kafka", "level": "expert"}], interests=["climbing"],
                      goals=["leadership"], goals_text="Lead a team within a year.", roles_offered=["mentor"],
                      roles_wanted=["peer"], working_hours={"start": "08:30", "end": "16:30", "days": [1, 2, 3, 4]},
                      mentor_capacity=3)
    created = api("profiles").post("/v1/people", json=body)
    assert created.status_code == 201, created.get_json()
    person = created.get_json()
    for key, value in body.items():
        assert person[key] == value, key


def test_patching_a_department_moves_the_person_and_terminating_deactivates(api, apps, tenant):
    profiles = api("profiles")
    person = profiles.post("/v1/people", json=new_person(department="Sales")).get_json()
    moved = profiles.request("PATCH", f"/v1/people/{person['id']}", json={"department": "Marketing"})
    assert moved.status_code == 200 and moved.get_json()["version"] == 2
    left = profiles.request("PATCH", f"/v1/people/{person['id']}", json={"status": "terminated"}).get_json()
    assert left["status"] == "terminated" and left["version"] == 3
    assert outbox_types(apps, tenant, person["id"]) == [
        contracts.PERSON_UPSERTED_V1, contracts.PERSON_UPSERTED_V1, contracts.PERSON_MOVED_V1,
        contracts.PERSON_UPSERTED_V1, contracts.PERSON_DEACTIVATED_V1]


def test_a_patch_that_changes_nothing_writes_nothing(api, apps, tenant):
    profiles = api("profiles")
    person = profiles.post("/v1/people", json=new_person(department="Sales")).get_json()
    same = profiles.request("PATCH", f"/v1/people/{person['id']}", json={"department": "Sales"}).get_json()
    assert same["version"] == 1
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant) == 1


def test_a_manager_loop_is_refused_and_changes_nothing(api):
    profiles = api("profiles")
    boss = profiles.post("/v1/people", json=new_person(employee_id="BOSS")).get_json()
    report = profiles.post("/v1/people", json=new_person(employee_id="REPORT", manager_employee_id="BOSS")).get_json()
    looped = profiles.request("PATCH", f"/v1/people/{boss['id']}", json={"manager_employee_id": "REPORT"})
    assert looped.status_code == 409 and looped.mimetype == PROBLEM
    assert looped.get_json()["fields"] == ["manager_employee_id"]
    assert profiles.get(f"/v1/people/{boss['id']}").get_json()["manager_employee_id"] is None
    assert report["manager_employee_id"] == "BOSS"


def test_a_taken_email_is_refused_on_patch(api):
    profiles = api("profiles")
    first = profiles.post("/v1/people", json=new_person()).get_json()
    second = profiles.post("/v1/people", json=new_person()).get_json()
    response = profiles.request("PATCH", f"/v1/people/{second['id']}", json={"email": first["email"]})
    assert response.status_code == 409 and response.get_json()["fields"] == ["email"]


def test_people_are_searched_by_department_skill_role_status_and_name(api):
    profiles = api("profiles")
    ada = profiles.post("/v1/people", json=new_person(name="Ada", department="R&D", roles_offered=["mentor"],
                                                      skills=[{"name": "Rust", "level": "expert"}])).get_json()
    bob = profiles.post("/v1/people", json=new_person(name="Bob", department="R&D", roles_offered=["mentee"],
                                                      skills=[{"name": "Go", "level": "beginner"}])).get_json()
    profiles.request("PATCH", f"/v1/people/{bob['id']}", json={"status": "on_leave"})

    def found(**query):
        return [item["id"] for item in profiles.get("/v1/people", query_string=query).get_json()["items"]]

    assert found(department="R&D") == [ada["id"], bob["id"]]
    assert found(skill="rust") == [ada["id"]]
    assert found(role="mentor") == [ada["id"]]
    assert found(status="on_leave") == [bob["id"]]
    assert found(q="bo") == [bob["id"]]
    assert found(department="R&D", role="mentee", status="active") == []
    changed = profiles.request("PATCH", f"/v1/people/{ada['id']}", json={"skills": [{"name": "GO", "level": "expert"}],
                                                                          "roles_offered": ["peer"]})
    assert changed.status_code == 200  # a change replaces what the person is found by
    assert found(skill="rust") == [] and found(skill="go") == [ada["id"], bob["id"]]
    assert found(role="mentor") == [] and found(role="peer") == [ada["id"]]
    assert profiles.get("/v1/people", query_string={"role": "wizard"}).status_code == 422


def test_a_change_based_on_an_old_version_is_refused_and_changes_nothing(apps, api, tenant):
    import pytest

    from mentoring_shared.errors import PreconditionFailed
    from profiles.handlers.people import change_person

    person = api("profiles").post("/v1/people", json=new_person()).get_json()
    runtime = apps["profiles"].extensions["runtime"]
    change_person(tenant, person["id"], {"title": "Lead"}, runtime.unit_of_work(), expected_version=1)
    with pytest.raises(PreconditionFailed):
        change_person(tenant, person["id"], {"title": "Stale"}, runtime.unit_of_work(), expected_version=1)
    assert api("profiles").get(f"/v1/people/{person['id']}").get_json()["title"] == "Lead"
