"""SCIM 2.0 provisioning at /scim/v2 against PostgreSQL: Okta's and Entra ID's requests, per-tenant
tokens, deactivation through the people domain (outbox events), and bad input writing nothing."""

import uuid

import pytest

from mentoring_testing.fixtures import ApiClient
from tests.integration.helpers import count_rows, new_person

SCIM = "application/scim+json"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def scim_app(apps):
    return apps["profiles"]


class Scim:
    def __init__(self, app, secret):
        self.client, self.headers = app.test_client(), {"Authorization": f"Bearer {secret}"}

    def __call__(self, method, path, json=None, headers=None, **kwargs):
        return self.client.open(f"/scim/v2{path}", method=method, headers={**self.headers, **(headers or {})},
                                data=None if json is None else __import__("json").dumps(json),
                                content_type=SCIM if json is not None else None, **kwargs)


def new_scim_client(app, tenant_id):
    admin = ApiClient(app, tenant_id, ("org_admin",))
    created = admin.post("/v1/scim-tokens", json={"label": "Okta"})
    assert created.status_code == 201, created.get_json()
    return Scim(app, created.get_json()["token"]), created.get_json()


@pytest.fixture
def scim(scim_app, tenant):
    return new_scim_client(scim_app, tenant)[0]


def user_body(**overrides):
    suffix = uuid.uuid4().hex[:8]
    body = {"schemas": [USER, ENTERPRISE], "userName": f"User.{suffix}@Example.com", "externalId": f"E-{suffix}",
            "name": {"givenName": "Ada", "familyName": f"Lovelace {suffix}"},
            "emails": [{"value": f"user.{suffix}@example.com", "type": "work", "primary": True}],
            "title": "Engineer", "active": True}
    body.update(overrides)
    return body


def scim_error(response, status, scim_type=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == SCIM
    document = response.get_json()
    assert document["schemas"] == [ERROR] and document["status"] == str(status)
    if scim_type:
        assert document["scimType"] == scim_type
    return document


def test_a_provisioned_user_is_a_person_and_reads_back(scim, scim_app, tenant):
    body = user_body(timezone="Europe/Paris")
    created = scim("POST", "/Users", body)
    assert created.status_code == 201 and created.mimetype == SCIM
    user = created.get_json()
    assert user["userName"] == body["userName"]  # kept as sent: any string (RFC 7643 §4.1.1)
    assert user["emails"] == body["emails"] and user["name"] == body["name"] and user["externalId"] == body["externalId"]
    assert user["active"] is True and user["timezone"] == "Europe/Paris"
    assert user["meta"]["version"] == 'W/"1"' and created.headers["ETag"] == 'W/"1"'
    assert created.headers["Location"].endswith(f"/scim/v2/Users/{user['id']}")
    assert count_rows(scim_app, "people", tenant_id=tenant, id=user["id"]) == 1
    assert count_rows(scim_app, "outbox", tenant_id=tenant, event_type="profiles.person.upserted.v1") == 1
    assert scim("GET", f"/Users/{user['id']}").get_json() == user
    # the same person through the JWT API
    person = ApiClient(scim_app, tenant, ("org_admin",)).get(f"/v1/people/{user['id']}").get_json()
    assert person["employee_id"] == user["externalId"] and person["name"].startswith("Ada Lovelace")


def test_time_zone_defaults_to_utc_and_duplicates_are_uniqueness_errors(scim, scim_app, tenant):
    body = user_body()
    assert scim("POST", "/Users", body).get_json()["timezone"] == "UTC"
    scim_error(scim("POST", "/Users", {**body, "externalId": "other"}), 409, "uniqueness")
    assert count_rows(scim_app, "people", tenant_id=tenant) == 1


def test_filters_and_pagination(scim):
    made = [scim("POST", "/Users", user_body(title=f"T{i}")).get_json() for i in range(5)]
    target = made[2]
    found = scim("GET", "/Users", query_string={"filter": f'userName eq "{target["userName"].upper()}"'}).get_json()
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == target["id"]
    assert found["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    by_external = scim("GET", "/Users", query_string={"filter": f'externalId eq "{target["externalId"]}"'}).get_json()
    assert [r["id"] for r in by_external["Resources"]] == [target["id"]]
    by_number = scim("GET", "/Users", query_string={
        "filter": f'{ENTERPRISE}:employeeNumber eq "{target["externalId"]}"'}).get_json()
    assert by_number["totalResults"] == 1
    combined = scim("GET", "/Users", query_string={
        "filter": '(title sw "t" and active eq true) or userName co "nobody-at-all"'}).get_json()
    assert combined["totalResults"] == 5
    assert scim("GET", "/Users", query_string={"filter": 'not (title eq "T1") and title pr'}).get_json()[
        "totalResults"] == 4
    assert scim("GET", "/Users", query_string={"filter": 'title ew "3"'}).get_json()["totalResults"] == 1
    seen = []
    for start in (1, 3, 5):
        page = scim("GET", "/Users", query_string={"startIndex": start, "count": 2}).get_json()
        assert page["totalResults"] == 5 and page["startIndex"] == start and page["itemsPerPage"] == len(page["Resources"])
        seen += [r["id"] for r in page["Resources"]]
    assert seen == [u["id"] for u in made]
    assert scim("GET", "/Users", query_string={"count": 100000}).get_json()["itemsPerPage"] == 5


@pytest.mark.parametrize("bad", ['userName eq', 'userName zz "x"', '(title eq "x"', 'title eq "x" junk',
                                 'nickName eq "x"', 'userName eq "x" and', 'active eq "yes"', '"x" eq title'])
def test_a_bad_filter_is_a_scim_error(scim, scim_app, tenant, bad):
    scim("POST", "/Users", user_body())
    before = count_rows(scim_app, "outbox", tenant_id=tenant)
    scim_error(scim("GET", "/Users", query_string={"filter": bad}), 400, "invalidFilter")
    assert count_rows(scim_app, "outbox", tenant_id=tenant) == before
    assert count_rows(scim_app, "people", tenant_id=tenant) == 1


def test_okta_patch_deactivates_and_emits_person_deactivated(scim, scim_app, tenant):
    user = scim("POST", "/Users", user_body()).get_json()
    response = scim("PATCH", f"/Users/{user['id']}", {"schemas": [PATCH_OP],
                                                      "Operations": [{"op": "replace", "value": {"active": False}}]})
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert count_rows(scim_app, "outbox", tenant_id=tenant, event_type="profiles.person.deactivated.v1") == 1
    reactivated = scim("PATCH", f"/Users/{user['id']}", {"schemas": [PATCH_OP],
                                                         "Operations": [{"op": "replace", "value": {"active": True}}]})
    assert reactivated.get_json()["active"] is True


def test_entra_patch_forms(scim, scim_app, tenant):
    manager = scim("POST", "/Users", user_body()).get_json()
    user = scim("POST", "/Users", user_body()).get_json()
    response = scim("PATCH", f"/Users/{user['id']}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Replace", "path": "title", "value": "Staff Engineer"},
        {"op": "Add", "path": "name.givenName", "value": "Grace"},
        {"op": "Replace", "path": "name.formatted", "value": "Grace Hopper"},
        {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "R&D"},
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": manager["id"]},
        {"op": "Replace", "path": "timezone", "value": "America/New_York"},
    ]})
    assert response.status_code == 200, response.get_json()
    patched = response.get_json()
    assert patched["title"] == "Staff Engineer" and patched["name"]["formatted"] == "Grace Hopper"
    assert patched[ENTERPRISE]["department"] == "R&D" and patched[ENTERPRISE]["manager"]["value"] == manager["id"]
    assert patched["timezone"] == "America/New_York" and patched["meta"]["version"] == 'W/"2"'
    person = ApiClient(scim_app, tenant, ("org_admin",)).get(f"/v1/people/{user['id']}").get_json()
    assert person["manager_employee_id"] == manager["externalId"] and person["department"] == "R&D"
    assert count_rows(scim_app, "outbox", tenant_id=tenant, event_type="profiles.person.moved.v1") == 1
    off = scim("PATCH", f"/Users/{user['id']}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Replace", "path": "active", "value": "False"}]})
    assert off.status_code == 200 and off.get_json()["active"] is False
    assert count_rows(scim_app, "outbox", tenant_id=tenant, event_type="profiles.person.deactivated.v1") == 1
    email = scim("PATCH", f"/Users/{user['id']}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "renamed@example.com"}]})
    assert email.get_json()["emails"][0]["value"] == "renamed@example.com", email.get_json()
    assert ApiClient(scim_app, tenant, ("org_admin",)).get(f"/v1/people/{user['id']}").get_json()[
        "email"] == "renamed@example.com"
    scim_error(scim("PATCH", f"/Users/{user['id']}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Remove", "path": "userName"}]}), 400, "mutability")  # userName is required
    removed = scim("PATCH", f"/Users/{user['id']}", {"Operations": [
        {"op": "remove", "path": f"{ENTERPRISE}:manager"}, {"op": "remove", "path": "title"}]}).get_json()
    assert "manager" not in removed[ENTERPRISE] and "title" not in removed


def test_enterprise_extension_on_create_and_unknown_manager(scim, scim_app, tenant):
    manager = scim("POST", "/Users", user_body()).get_json()
    body = user_body(**{ENTERPRISE: {"employeeNumber": "EMP-42", "department": "Sales",
                                     "manager": {"value": manager["id"]}}})
    user = scim("POST", "/Users", body).get_json()
    assert user["externalId"] == body["externalId"] and user[ENTERPRISE]["employeeNumber"] == "EMP-42"
    assert user[ENTERPRISE]["manager"]["value"] == manager["id"]
    before = count_rows(scim_app, "people", tenant_id=tenant)
    scim_error(scim("POST", "/Users", user_body(**{ENTERPRISE: {"manager": {"value": "no-such-user"}}})),
               400, "invalidValue")
    scim_error(scim("PATCH", f"/Users/{user['id']}", {"Operations": [
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": "nobody"}}]}), 400, "invalidValue")
    assert count_rows(scim_app, "people", tenant_id=tenant) == before


def test_put_replaces_and_etags_guard_writes(scim, scim_app, tenant):
    user = scim("POST", "/Users", user_body()).get_json()
    replacement = {**{k: v for k, v in user.items() if k not in ("meta", "id")}, "title": "Manager"}
    del replacement["emails"]
    stale = scim("PUT", f"/Users/{user['id']}", replacement, headers={"If-Match": 'W/"7"'})
    scim_error(stale, 412)
    response = scim("PUT", f"/Users/{user['id']}", replacement, headers={"If-Match": 'W/"1"'})
    assert response.status_code == 200 and response.get_json()["title"] == "Manager"
    assert response.headers["ETag"] == 'W/"2"'
    scim_error(scim("PATCH", f"/Users/{user['id']}", {"Operations": [{"op": "replace", "path": "title", "value": "x"}]},
                    headers={"If-Match": 'W/"1"'}), 412)
    scim_error(scim("DELETE", f"/Users/{user['id']}", headers={"If-Match": 'W/"1"'}), 412)
    assert count_rows(scim_app, "outbox", tenant_id=tenant, event_type="profiles.person.deactivated.v1") == 0


def test_delete_deactivates_the_person_and_the_user_is_gone_from_scim(scim, scim_app, tenant):
    user = scim("POST", "/Users", user_body()).get_json()
    assert scim("DELETE", f"/Users/{user['id']}").status_code == 204
    scim_error(scim("GET", f"/Users/{user['id']}"), 404)  # RFC 7644 §3.6
    scim_error(scim("DELETE", f"/Users/{user['id']}"), 404)
    scim_error(scim("PATCH", f"/Users/{user['id']}", {"Operations": [{"op": "replace", "value": {"active": True}}]}), 404)
    assert scim("GET", "/Users").get_json()["totalResults"] == 0
    assert count_rows(scim_app, "outbox", tenant_id=tenant, event_type="profiles.person.deactivated.v1") == 1
    person = ApiClient(scim_app, tenant, ("org_admin",)).get(f"/v1/people/{user['id']}").get_json()
    assert person["status"] == "terminated"  # deactivated, not erased
    scim_error(scim("GET", "/Users/does-not-exist"), 404)


def test_a_change_only_scim_holds_moves_the_etag(scim, scim_app, tenant):
    user = scim("POST", "/Users", user_body(displayName="Ada")).get_json()
    renamed = scim("PATCH", f"/Users/{user['id']}", {"Operations": [
        {"op": "replace", "path": "displayName", "value": "Countess"}]}, headers={"If-Match": 'W/"1"'})
    assert renamed.status_code == 200 and renamed.get_json()["displayName"] == "Countess"
    assert renamed.headers["ETag"] == 'W/"2"'
    assert count_rows(scim_app, "outbox", tenant_id=tenant) == 1  # the person did not change: no event
    scim_error(scim("PATCH", f"/Users/{user['id']}", {"Operations": [
        {"op": "replace", "path": "displayName", "value": "Stale"}]}, headers={"If-Match": 'W/"1"'}), 412)
    assert scim("GET", f"/Users/{user['id']}").get_json()["displayName"] == "Countess"


def test_a_person_registered_elsewhere_holds_their_email_as_user_name(scim, scim_app, tenant):
    admin = ApiClient(scim_app, tenant, ("org_admin",))
    registered = admin.post("/v1/people", json=new_person()).get_json()
    found = scim("GET", "/Users", query_string={"filter": f'userName eq "{registered["email"]}"'}).get_json()
    assert [u["id"] for u in found["Resources"]] == [registered["id"]]  # Okta and Entra match it, then link
    taken = scim("POST", "/Users", user_body(userName=registered["email"].upper()))
    scim_error(taken, 409, "uniqueness")


def test_a_deleted_user_provisioned_again_is_the_same_person(scim, scim_app, tenant):
    body = user_body()
    user = scim("POST", "/Users", body).get_json()
    assert scim("DELETE", f"/Users/{user['id']}").status_code == 204
    again = scim("POST", "/Users", body)
    assert again.status_code == 201 and again.get_json()["id"] == user["id"] and again.get_json()["active"] is True
    assert scim("GET", f"/Users/{user['id']}").status_code == 200
    assert count_rows(scim_app, "people", tenant_id=tenant) == 1


def test_erasure_forgets_what_scim_kept_and_the_user_is_gone(scim, scim_app, tenant):
    user = scim("POST", "/Users", user_body()).get_json()
    assert count_rows(scim_app, "scim_users", tenant_id=tenant, person_id=user["id"]) == 1
    erased = ApiClient(scim_app, tenant, ("org_admin",)).post(f"/v1/people/{user['id']}/erasure")
    assert erased.status_code in (200, 202, 204), erased.get_json()
    assert count_rows(scim_app, "scim_users", tenant_id=tenant, person_id=user["id"]) == 0
    scim_error(scim("GET", f"/Users/{user['id']}"), 404)
    assert scim("GET", "/Users").get_json()["totalResults"] == 0


def test_groups_crud_and_membership(scim, scim_app, tenant):
    a, b, c = (scim("POST", "/Users", user_body()).get_json()["id"] for _ in range(3))
    created = scim("POST", "/Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                       "displayName": "Engineering", "members": [{"value": a}]})
    assert created.status_code == 201, created.get_json()
    group = created.get_json()
    assert [m["value"] for m in group["members"]] == [a] and created.headers["ETag"] == 'W/"1"'
    scim_error(scim("POST", "/Groups", {"displayName": "Engineering"}), 409, "uniqueness")
    # Okta: add members; remove one by value path
    scim("PATCH", f"/Groups/{group['id']}", {"Operations": [{"op": "add", "path": "members",
                                                             "value": [{"value": b}, {"value": c}]}]})
    patched = scim("PATCH", f"/Groups/{group['id']}", {"Operations": [
        {"op": "remove", "path": f'members[value eq "{a}"]'}]}).get_json()
    assert sorted(m["value"] for m in patched["members"]) == sorted([b, c])
    # Entra: Remove with a value list, Replace displayName
    patched = scim("PATCH", f"/Groups/{group['id']}", {"Operations": [
        {"op": "Remove", "path": "members", "value": [{"value": b}]},
        {"op": "Replace", "path": "displayName", "value": "Platform"}]}).get_json()
    assert [m["value"] for m in patched["members"]] == [c] and patched["displayName"] == "Platform"
    found = scim("GET", "/Groups", query_string={"filter": 'displayName eq "platform"',
                                                 "excludedAttributes": "members"}).get_json()
    assert found["totalResults"] == 1 and "members" not in found["Resources"][0]
    member_of = scim("GET", "/Groups", query_string={"filter": f'members[value eq "{c}"]'}).get_json()
    assert member_of["totalResults"] == 1
    # a member who is not a User here is left out; the rest of the change holds
    ghost = scim("PATCH", f"/Groups/{group['id']}", {"Operations": [
        {"op": "add", "path": "members", "value": [{"value": "ghost"}]}]})
    assert ghost.status_code == 200 and [m["value"] for m in ghost.get_json()["members"]] == [c]
    assert count_rows(scim_app, "scim_group_members", tenant_id=tenant) == 1
    replaced = scim("PUT", f"/Groups/{group['id']}", {"displayName": "Platform", "members": [{"value": a}]},
                    headers={"If-Match": patched["meta"]["version"]})
    assert [m["value"] for m in replaced.get_json()["members"]] == [a]
    scim_error(scim("DELETE", f"/Groups/{group['id']}", headers={"If-Match": 'W/"1"'}), 412)
    assert scim("DELETE", f"/Groups/{group['id']}").status_code == 204
    scim_error(scim("GET", f"/Groups/{group['id']}"), 404)
    assert count_rows(scim_app, "scim_group_members", tenant_id=tenant) == 0


def test_tokens_authenticate_only_their_tenant(scim_app, tenant):
    client, created = new_scim_client(scim_app, tenant)
    user = client("POST", "/Users", user_body()).get_json()
    group = client("POST", "/Groups", {"displayName": "A's", "members": [{"value": user["id"]}]}).get_json()
    other, _ = new_scim_client(scim_app, f"tenant-b-{uuid.uuid4().hex[:8]}")
    assert other("GET", "/Users").get_json()["totalResults"] == 0
    assert other("GET", "/Groups").get_json()["totalResults"] == 0
    for method, path, body in (("GET", f"/Users/{user['id']}", None), ("PUT", f"/Users/{user['id']}", user_body()),
                               ("PATCH", f"/Users/{user['id']}", {"Operations": [{"op": "replace", "value": {"active": False}}]}),
                               ("DELETE", f"/Users/{user['id']}", None), ("GET", f"/Groups/{group['id']}", None),
                               ("PATCH", f"/Groups/{group['id']}", {"Operations": [{"op": "replace", "path": "displayName", "value": "x"}]}),
                               ("DELETE", f"/Groups/{group['id']}", None)):
        scim_error(other(method, path, body), 404)
    foreign_member = other("POST", "/Groups", {"displayName": "B's", "members": [{"value": user["id"]}]})
    assert foreign_member.status_code == 201 and foreign_member.get_json().get("members", []) == []
    assert client("GET", f"/Users/{user['id']}").get_json() == user
    assert client("GET", f"/Groups/{group['id']}").get_json()["displayName"] == "A's"
    assert count_rows(scim_app, "outbox", tenant_id=tenant, event_type="profiles.person.deactivated.v1") == 0


def test_bad_and_revoked_tokens_and_jwts_are_refused(scim_app, tenant):
    client, created = new_scim_client(scim_app, tenant)
    assert client("GET", "/Users").status_code == 200
    scim_error(Scim(scim_app, "scim_not-a-token")("GET", "/Users"), 401)
    scim_error(scim_app.test_client().get("/scim/v2/Users"), 401)
    jwt_client = ApiClient(scim_app, tenant, ("org_admin",))
    scim_error(jwt_client.get("/scim/v2/Users"), 401)  # the JWT does not open SCIM
    assert ApiClient(scim_app, tenant, ("program_manager",)).post("/v1/scim-tokens", json={}).status_code == 403
    listed = jwt_client.get("/v1/scim-tokens").get_json()["items"]
    assert [t["id"] for t in listed] == [created["id"]] and "token" not in listed[0]
    other_tenant = ApiClient(scim_app, "tenant-other", ("org_admin",))
    assert other_tenant.post(f"/v1/scim-tokens/{created['id']}/revoke").status_code == 404
    assert client("GET", "/Users").status_code == 200
    revoked = jwt_client.post(f"/v1/scim-tokens/{created['id']}/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    scim_error(client("GET", "/Users"), 401)


def test_bodies_must_be_json(scim, scim_app, tenant):
    response = scim.client.post("/scim/v2/Users", data="userName=x", headers=scim.headers,
                                content_type="application/x-www-form-urlencoded")
    scim_error(response, 415)
    as_plain_json = scim.client.post("/scim/v2/Users", json=user_body(), headers=scim.headers)
    assert as_plain_json.status_code == 201
    scim_error(scim("POST", "/Users", {"userName": "not-an-email"}), 400, "invalidValue")
    scim_error(scim("PATCH", f"/Users/{as_plain_json.get_json()['id']}", {"Operations": [{"op": "jump"}]}), 400)
    assert count_rows(scim_app, "people", tenant_id=tenant) == 1


def test_discovery_documents(scim):
    config = scim("GET", "/ServiceProviderConfig").get_json()
    assert config["patch"]["supported"] and config["filter"]["supported"] and config["etag"]["supported"]
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim("GET", "/ResourceTypes").get_json()
    assert {r["id"] for r in types["Resources"]} == {"User", "Group"} and types["totalResults"] == 2
    user_type = scim("GET", "/ResourceTypes/User").get_json()
    assert user_type["schemaExtensions"] == [{"schema": ENTERPRISE, "required": False}]
    schemas = scim("GET", "/Schemas").get_json()
    assert {s["id"] for s in schemas["Resources"]} == {USER, ENTERPRISE, "urn:ietf:params:scim:schemas:core:2.0:Group"}
    enterprise = scim("GET", f"/Schemas/{ENTERPRISE}").get_json()
    assert {a["name"] for a in enterprise["attributes"]} == {"employeeNumber", "department", "manager"}
