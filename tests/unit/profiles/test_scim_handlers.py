"""SCIM Groups' writes and SCIM tokens (handlers/scim_groups.py, handlers/scim_tokens.py), on fake
repositories. Neither publishes events."""

import pytest
from scim2_models import GroupMember

from mentoring_shared.errors import NotFound
from profiles.domain.scim_tokens import PREFIX, token_hash
from profiles.handlers import scim_groups, scim_tokens
from profiles.scim.errors import ScimError
from profiles.scim.models import GroupResource
from tests.unit.profiles.fakes import fake_unit_of_work
from tests.unit.profiles.support import TENANT, person

BASE = "https://profiles.example/scim/v2"


def group(name: str, *member_ids: str, external_id: str | None = None) -> GroupResource:
    return GroupResource(display_name=name, external_id=external_id,
                         members=[GroupMember(value=member_id) for member_id in member_ids])


def with_group(*member_ids: str):
    uow = fake_unit_of_work(person("p-1"), person("p-2", employee_id="E-2"))
    group_id = scim_groups.create_group(TENANT, group("Mentors", *member_ids), uow)
    return uow, group_id


def scim_status(call) -> int:
    with pytest.raises(ScimError) as refused:
        call()
    return refused.value.status


def test_creating_a_group_keeps_the_members_the_tenant_knows():
    uow, group_id = with_group("p-1", "p-404")
    assert uow.scim_groups.get(TENANT, group_id)["display_name"] == "Mentors"
    assert uow.scim_groups.members_of(TENANT, [group_id])[group_id] == [("p-1", "Person p-1")]
    assert uow.committed and uow.published == []


def test_a_taken_group_name_is_409():
    uow, _ = with_group()
    assert scim_status(lambda: scim_groups.create_group(TENANT, group("Mentors"), uow)) == 409
    assert uow.commits == 1


def test_replacing_a_group_renames_it_and_changes_its_members():
    uow, group_id = with_group("p-1")
    scim_groups.replace_group(TENANT, group_id, lambda _current: group("Leads", "p-2"), None, BASE, uow)
    stored = uow.scim_groups.get(TENANT, group_id)
    assert (stored["display_name"], stored["version"]) == ("Leads", 2)
    assert uow.scim_groups.members_of(TENANT, [group_id])[group_id] == [("p-2", "Person p-2")]


def test_the_change_is_given_the_current_group():
    uow, group_id = with_group("p-1")
    seen = []
    scim_groups.replace_group(TENANT, group_id, lambda current: seen.append(current) or current, None, BASE, uow)
    assert seen[0].display_name == "Mentors" and [m.value for m in seen[0].members] == ["p-1"]


def test_a_replacement_that_changes_nothing_commits_nothing():
    uow, group_id = with_group("p-1")
    commits = uow.commits
    scim_groups.replace_group(TENANT, group_id, lambda _current: group("Mentors", "p-1"), None, BASE, uow)
    assert uow.commits == commits and uow.scim_groups.get(TENANT, group_id)["version"] == 1


def test_replacing_with_a_stale_if_match_is_412_and_an_unknown_group_404():
    uow, group_id = with_group()
    assert scim_status(lambda: scim_groups.replace_group(TENANT, group_id, lambda c: group("X"), 'W/"9"', BASE,
                                                         uow)) == 412
    assert scim_status(lambda: scim_groups.replace_group(TENANT, "g-404", lambda c: group("X"), None, BASE,
                                                         uow)) == 404


def test_renaming_to_another_groups_name_is_409():
    uow, group_id = with_group()
    scim_groups.create_group(TENANT, group("Mentees"), uow)
    assert scim_status(lambda: scim_groups.replace_group(TENANT, group_id, lambda c: group("Mentees"), None, BASE,
                                                         uow)) == 409


def test_deleting_a_group_removes_it_with_its_members():
    uow, group_id = with_group("p-1")
    scim_groups.delete_group(TENANT, group_id, 'W/"1"', uow)
    assert uow.scim_groups.get(TENANT, group_id) is None and uow.commits == 2


def test_deleting_with_a_stale_if_match_is_412_and_an_unknown_group_404():
    uow, group_id = with_group()
    assert scim_status(lambda: scim_groups.delete_group(TENANT, group_id, 'W/"5"', uow)) == 412
    assert scim_status(lambda: scim_groups.delete_group(TENANT, "g-404", None, uow)) == 404
    assert uow.scim_groups.get(TENANT, group_id) is not None


def test_a_new_token_is_shown_once_and_stored_as_its_hash():
    uow = fake_unit_of_work()
    created = scim_tokens.create_token(TENANT, "Okta", uow)
    assert created["token"].startswith(PREFIX) and uow.committed
    [stored] = uow.scim_tokens.list(TENANT)
    assert "token" not in stored and stored["token_hash"] == token_hash(created["token"])
    assert uow.scim_tokens.tenant_of_live_token(token_hash(created["token"])) == TENANT


def test_a_revoked_token_stops_working_and_revoking_again_is_harmless():
    uow = fake_unit_of_work()
    created = scim_tokens.create_token(TENANT, None, uow)
    revoked = scim_tokens.revoke_token(TENANT, created["id"], uow)
    assert revoked["revoked_at"] is not None
    assert uow.scim_tokens.tenant_of_live_token(token_hash(created["token"])) is None
    assert scim_tokens.revoke_token(TENANT, created["id"], uow)["revoked_at"] == revoked["revoked_at"]


def test_revoking_another_tenants_or_an_unknown_token_is_not_found():
    uow = fake_unit_of_work()
    created = scim_tokens.create_token("other", None, uow)
    with pytest.raises(NotFound):
        scim_tokens.revoke_token(TENANT, created["id"], uow)
    assert uow.commits == 1
