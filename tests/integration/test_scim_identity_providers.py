"""Okta's and Microsoft Entra ID's provisioning, replayed request by request as their documentation
shows them (Okta: "SCIM 2.0 reference", developer.okta.com; Entra: "Tutorial: Develop and plan
provisioning for a SCIM endpoint", its request/response examples). After each step: what /scim/v2
answers, the person the platform holds (/v1/people), and the events published through the outbox."""

import json
import uuid

import pytest
from sqlalchemy import select

from mentoring_testing.fixtures import ApiClient
from tests.integration.test_scim import ENTERPRISE, PATCH_OP, USER, new_scim_client, scim_error

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


@pytest.fixture
def scim(apps, tenant):
    return new_scim_client(apps["profiles"], tenant)[0]


@pytest.fixture
def person(apps, tenant):
    admin = ApiClient(apps["profiles"], tenant, ("org_admin",))
    return lambda person_id: admin.get(f"/v1/people/{person_id}").get_json()


@pytest.fixture
def events(apps, tenant):
    """The (event type, data) published for a person so far, oldest first."""
    runtime = apps["profiles"].extensions["runtime"]
    outbox = runtime.outbox.metadata.tables["outbox"]

    def published(person_id: str) -> list[tuple[str, dict]]:
        with runtime.sessions() as session:
            rows = session.execute(select(outbox.c.event_type, outbox.c.envelope).where(
                outbox.c.tenant_id == tenant, outbox.c.message_key == person_id).order_by(outbox.c.seq)).all()
        return [(row.event_type, json.loads(row.envelope)["data"]) for row in rows]
    return published


def patch_op(*operations):
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def test_okta_user_lifecycle(scim, person, events):
    # 1. Okta looks the user up by userName first; nothing is there.
    found = scim("GET", "/Users", query_string={"filter": 'userName eq "test.user@okta.example"',
                                                "startIndex": 1, "count": 100})
    assert found.status_code == 200 and found.get_json() == {"schemas": [LIST], "totalResults": 0,
                                                             "itemsPerPage": 0, "startIndex": 1, "Resources": []}
    # 2. Create, with the attributes Okta sends (password, locale, groups included).
    created = scim("POST", "/Users", {
        "schemas": [USER], "userName": "test.user@okta.example",
        "name": {"givenName": "Test", "familyName": "User"},
        "emails": [{"primary": True, "value": "test.user@okta.example", "type": "work"}],
        "displayName": "Test User", "locale": "en-US", "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [], "password": "1mz050nq", "active": True})
    assert created.status_code == 201, created.get_json()
    user = created.get_json()
    assert user["userName"] == "test.user@okta.example" and user["externalId"] == "00ujl29u0le5T6Aj10h7"
    assert user["name"] == {"givenName": "Test", "familyName": "User"} and user["displayName"] == "Test User"
    assert "password" not in user
    held = person(user["id"])
    assert held["email"] == "test.user@okta.example" and held["name"] == "Test User" and held["status"] == "active"
    assert held["employee_id"] == "00ujl29u0le5T6Aj10h7"
    assert [kind for kind, _ in events(user["id"])] == ["profiles.person.upserted.v1"]
    # 3. Read back.
    assert scim("GET", f"/Users/{user['id']}").get_json()["userName"] == "test.user@okta.example"
    # 4. Profile update: Okta PUTs the whole user.
    replaced = scim("PUT", f"/Users/{user['id']}", {
        "schemas": [USER], "id": user["id"], "userName": "test.user@okta.example",
        "name": {"givenName": "Another", "familyName": "User"},
        "emails": [{"primary": True, "value": "test.user@okta.example", "type": "work"}],
        "displayName": "Another User", "externalId": "00ujl29u0le5T6Aj10h7", "active": True})
    assert replaced.status_code == 200 and replaced.get_json()["displayName"] == "Another User"
    assert replaced.get_json()["name"]["givenName"] == "Another" and person(user["id"])["name"] == "Another User"
    # 5. Deactivate, 6. reactivate: PATCH replace without a path.
    off = scim("PATCH", f"/Users/{user['id']}", patch_op({"op": "replace", "value": {"active": False}}))
    assert off.status_code == 200 and off.get_json()["active"] is False
    assert person(user["id"])["status"] == "terminated"
    on = scim("PATCH", f"/Users/{user['id']}", patch_op({"op": "replace", "value": {"active": True}}))
    assert on.status_code == 200 and on.get_json()["active"] is True and person(user["id"])["status"] == "active"
    published = events(user["id"])
    assert [kind for kind, _ in published] == [
        "profiles.person.upserted.v1", "profiles.person.upserted.v1",                    # create, PUT
        "profiles.person.upserted.v1", "profiles.person.deactivated.v1",                 # deactivate
        "profiles.person.upserted.v1"]                                                   # reactivate
    assert published[-1][1]["status"] == "active" and published[-1][1]["name"] == "Another User"


def test_okta_group_push(scim, person):
    ada, bob = (scim("POST", "/Users", {"schemas": [USER], "userName": f"{who}@okta.example",
                                        "emails": [{"primary": True, "value": f"{who}@okta.example", "type": "work"}],
                                        "name": {"givenName": who, "familyName": "X"}, "active": True}
                     ).get_json()["id"] for who in ("ada", "bob"))
    created = scim("POST", "/Groups", {"schemas": [GROUP], "displayName": "Test SCIMv2", "members": []})
    assert created.status_code == 201, created.get_json()
    group = created.get_json()
    added = scim("PATCH", f"/Groups/{group['id']}", patch_op(
        {"op": "add", "path": "members", "value": [{"value": ada, "display": "ada@okta.example"},
                                                   {"value": bob, "display": "bob@okta.example"}]}))
    assert added.status_code == 200 and {m["value"] for m in added.get_json()["members"]} == {ada, bob}
    removed = scim("PATCH", f"/Groups/{group['id']}", patch_op(
        {"op": "remove", "path": f'members[value eq "{ada}"]'}))
    assert [m["value"] for m in removed.get_json()["members"]] == [bob]
    # Okta renames with a no-path replace carrying the group's id.
    renamed = scim("PATCH", f"/Groups/{group['id']}", patch_op(
        {"op": "replace", "value": {"id": group["id"], "displayName": "Test SCIMv2 renamed"}}))
    assert renamed.status_code == 200, renamed.get_json()
    assert renamed.get_json()["displayName"] == "Test SCIMv2 renamed"
    assert [m["value"] for m in renamed.get_json()["members"]] == [bob]
    assert scim("DELETE", f"/Groups/{group['id']}").status_code == 204
    assert person(bob)["status"] == "active"  # a group going away changes nobody


def test_entra_user_lifecycle(scim, person, events):
    suffix = uuid.uuid4().hex[:8]
    user_name = f"Test_User_{suffix}"
    # Entra's "Get User by query - zero results" before it creates.
    assert scim("GET", "/Users", query_string={"filter": f'userName eq "{user_name}"'}).get_json()["totalResults"] == 0
    manager = scim("POST", "/Users", {"schemas": [USER], "userName": f"Manager_{suffix}",
                                      "emails": [{"primary": True, "type": "work", "value": f"m.{suffix}@testuser.com"}],
                                      "name": {"givenName": "Man", "familyName": "Ager"}, "active": True}).get_json()
    # Create User: userName is not an email; meta and roles come along.
    created = scim("POST", "/Users", {
        "schemas": [USER, ENTERPRISE], "externalId": f"ext-{suffix}", "userName": user_name, "active": True,
        "emails": [{"primary": True, "type": "work", "value": f"{user_name}@testuser.com"}],
        "meta": {"resourceType": "User"}, "roles": [],
        "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"}})
    assert created.status_code == 201, created.get_json()
    user = created.get_json()
    assert user["userName"] == user_name and user["externalId"] == f"ext-{suffix}"
    assert person(user["id"])["email"] == f"{user_name}@testuser.com".lower()
    # Entra's lookups by externalId, by userName and by the work email's value path.
    for query in (f'externalId eq "ext-{suffix}"', f'userName eq "{user_name.upper()}"',
                  f'emails[type eq "work"].value eq "{user_name}@testuser.com"'):
        found = scim("GET", "/Users", query_string={"filter": query}).get_json()
        assert [r["id"] for r in found["Resources"]] == [user["id"]], query
    # Update User [Multi-valued properties]: "Replace" capitalised, a value path, a name part.
    updated = scim("PATCH", f"/Users/{user['id']}", patch_op(
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": f"updated.{suffix}@microsoft.com"},
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
        {"op": "Replace", "path": "displayName", "value": "Updated Display"}))
    assert updated.status_code == 200, updated.get_json()
    body = updated.get_json()
    assert body["emails"][0]["value"] == f"updated.{suffix}@microsoft.com"
    assert body["name"]["familyName"] == "updatedFamilyName" and body["name"]["givenName"] == "givenName"
    assert body["displayName"] == "Updated Display"
    held = person(user["id"])
    assert held["email"] == f"updated.{suffix}@microsoft.com" and held["name"] == "givenName familyName"
    # A no-path replace of one name part leaves the other alone (RFC 7644 §3.5.2.3).
    given = scim("PATCH", f"/Users/{user['id']}", patch_op({"op": "replace", "value": {"name": {"givenName": "G"}}}))
    assert given.get_json()["name"]["familyName"] == "updatedFamilyName" and given.get_json()["name"]["givenName"] == "G"
    # Update User [Single-valued properties], and the manager as a bare id (the manager has an
    # employee id only because Entra sent no employeeNumber: it is the externalId-less person's
    # reference that must work).
    renamed = scim("PATCH", f"/Users/{user['id']}", patch_op(
        {"op": "Replace", "path": "userName", "value": f"{user_name}@testuser.com"},
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": manager["id"]},
        {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Sales"}))
    assert renamed.status_code == 200, renamed.get_json()
    assert renamed.get_json()["userName"] == f"{user_name}@testuser.com"
    assert renamed.get_json()[ENTERPRISE]["manager"]["value"] == manager["id"]
    assert scim("GET", f"/Users/{user['id']}").get_json()[ENTERPRISE]["manager"]["value"] == manager["id"]
    assert person(user["id"])["department"] == "Sales"
    # Disable User, then enable again.
    off = scim("PATCH", f"/Users/{user['id']}", patch_op({"op": "Replace", "path": "active", "value": "False"}))
    assert off.status_code == 200 and off.get_json()["active"] is False and person(user["id"])["status"] == "terminated"
    on = scim("PATCH", f"/Users/{user['id']}", patch_op({"op": "Replace", "path": "active", "value": True}))
    assert on.get_json()["active"] is True and person(user["id"])["status"] == "active"
    # Delete User: 204, then 404; the person is deactivated, not erased.
    assert scim("DELETE", f"/Users/{user['id']}").status_code == 204
    scim_error(scim("GET", f"/Users/{user['id']}"), 404)
    assert person(user["id"])["status"] == "terminated"
    kinds = [kind for kind, _ in events(user["id"])]
    assert kinds.count("profiles.person.deactivated.v1") == 2 and "profiles.person.moved.v1" in kinds
    assert kinds[0] == "profiles.person.upserted.v1" and kinds[-1] == "profiles.person.deactivated.v1"


def test_a_manager_without_an_employee_id_can_be_referenced(scim, person):
    # A user provisioned with neither employeeNumber nor externalId has no employee id.
    boss = scim("POST", "/Users", {"schemas": [USER], "userName": "boss@x.example"}).get_json()
    assert not person(boss["id"]).get("employee_id")
    report = scim("POST", "/Users", {"schemas": [USER, ENTERPRISE], "userName": "report@x.example",
                                     ENTERPRISE: {"manager": {"value": boss["id"]}}})
    assert report.status_code == 201, report.get_json()
    assert report.get_json()[ENTERPRISE]["manager"]["value"] == boss["id"]
    entra = scim("PATCH", f"/Users/{report.get_json()['id']}", patch_op(
        {"op": "Replace", "path": "title", "value": "Analyst"}))
    assert entra.get_json()[ENTERPRISE]["manager"]["value"] == boss["id"]


def test_entra_group_lifecycle(scim, person):
    members = [scim("POST", "/Users", {"schemas": [USER], "userName": f"m{i}_{uuid.uuid4().hex[:6]}",
                                       "emails": [{"primary": True, "type": "work",
                                                   "value": f"m{i}.{uuid.uuid4().hex[:6]}@testuser.com"}]}
                    ).get_json()["id"] for i in range(2)]
    created = scim("POST", "/Groups", {
        "schemas": [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "displayName": "displayName",
        "meta": {"resourceType": "Group"}})
    assert created.status_code == 201, created.get_json()
    group = created.get_json()
    assert group["externalId"] == "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"
    found = scim("GET", "/Groups", query_string={"excludedAttributes": "members",
                                                 "filter": 'displayName eq "displayName"'}).get_json()
    assert [g["id"] for g in found["Resources"]] == [group["id"]] and "members" not in found["Resources"][0]
    # Add members, with Entra's "$ref": null.
    added = scim("PATCH", f"/Groups/{group['id']}", patch_op(
        {"op": "Add", "path": "members", "value": [{"$ref": None, "value": member} for member in members]}))
    assert added.status_code == 200, added.get_json()
    assert {m["value"] for m in added.get_json()["members"]} == set(members)
    # Remove a member: a remove with a value list.
    removed = scim("PATCH", f"/Groups/{group['id']}", patch_op(
        {"op": "Remove", "path": "members", "value": [{"$ref": None, "value": members[0]}]}))
    assert removed.status_code == 200 and [m["value"] for m in removed.get_json()["members"]] == [members[1]]
    # Update Group [Non-member attributes].
    renamed = scim("PATCH", f"/Groups/{group['id']}", patch_op({"op": "Replace", "path": "displayName",
                                                                "value": "1879db59-3bdf-4490-ad68-ab880a269474"}))
    assert renamed.get_json()["displayName"] == "1879db59-3bdf-4490-ad68-ab880a269474"
    read = scim("GET", f"/Groups/{group['id']}", query_string={"excludedAttributes": "members"}).get_json()
    assert "members" not in read and read["displayName"] == "1879db59-3bdf-4490-ad68-ab880a269474"
    assert scim("DELETE", f"/Groups/{group['id']}").status_code == 204
    scim_error(scim("GET", f"/Groups/{group['id']}"), 404)


def test_scim_errors_everywhere_under_scim_v2(scim):
    for method, path in (("GET", "/Nowhere"), ("POST", "/Bulk"), ("DELETE", "/Users"), ("PUT", "/Groups"),
                         ("POST", "/ServiceProviderConfig")):
        response = scim(method, path, json={} if method in ("POST", "PUT") else None)
        status = 404 if path in ("/Nowhere", "/Bulk") else 405
        document = scim_error(response, status)
        assert document["detail"]
    scim_error(scim("GET", "/Users", query_string={"sortBy": "userName"}), 400, "invalidValue")
