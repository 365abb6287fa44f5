"""SCIM Groups' writes: create, replace (PUT and PATCH) and delete, each in one transaction.
Groups publish no events: they are what the identity provider keeps, read back over SCIM."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from mentoring_shared.errors import Conflict
from mentoring_shared.ids import new_id
from profiles.scim.errors import ScimError
from profiles.scim.etags import check_if_match
from profiles.scim.groups import group_document, group_values
from profiles.scim.models import GroupResource
from profiles.unit_of_work import ProfilesUnitOfWork


def create_group(tenant_id: str, group: GroupResource, uow: ProfilesUnitOfWork) -> str:
    """A new group with those of its members who are people of the tenant (others are left out);
    409 uniqueness if the name is taken. Returns its id."""
    name, external_id, member_ids = group_values(group)
    group_id = new_id()
    with uow:
        member_ids = uow.people.existing_ids(tenant_id, member_ids)
        _check_name_free(uow, tenant_id, name, None)
        try:
            uow.scim_groups.add(tenant_id, group_id, name, external_id, datetime.now(UTC))
        except Conflict:
            raise ScimError(409, f"a group named {name!r} exists", "uniqueness") from None
        uow.scim_groups.add_members(tenant_id, group_id, member_ids)
        uow.commit()
    return group_id


def replace_group(tenant_id: str, group_id: str, change: Callable[[GroupResource], GroupResource],
                  if_match: str | None, base_url: str, uow: ProfilesUnitOfWork) -> None:
    """`change(current Group) -> new full Group`, applied under a row lock. Members the tenant does
    not know are left out, not refused: an identity provider may name a member it has not
    provisioned here (or a DELETEd one), and the rest of the change holds."""
    with uow:
        group = uow.scim_groups.get(tenant_id, group_id, for_update=True)
        if group is None:
            raise ScimError(404, f"no Group {group_id}")
        check_if_match(if_match, group["version"])
        current = uow.scim_groups.members_of(tenant_id, [group_id])[group_id]
        name, external_id, member_ids = group_values(change(group_document(group, current, base_url)))
        old_ids = {person_id for person_id, _ in current}
        member_ids = (member_ids & old_ids) | uow.people.existing_ids(tenant_id, member_ids - old_ids)
        if (name, external_id, member_ids) == (group["display_name"], group["external_id"], old_ids):
            return
        if name != group["display_name"]:
            _check_name_free(uow, tenant_id, name, group_id)
        uow.scim_groups.save(tenant_id, group_id, name, external_id, group["version"] + 1, datetime.now(UTC))
        uow.scim_groups.remove_members(tenant_id, group_id, old_ids - member_ids)
        uow.scim_groups.add_members(tenant_id, group_id, member_ids - old_ids)
        uow.commit()


def delete_group(tenant_id: str, group_id: str, if_match: str | None, uow: ProfilesUnitOfWork) -> None:
    with uow:
        group = uow.scim_groups.get(tenant_id, group_id, for_update=True)
        if group is None:
            raise ScimError(404, f"no Group {group_id}")
        check_if_match(if_match, group["version"])
        uow.scim_groups.remove(tenant_id, group_id)
        uow.commit()


def _check_name_free(uow: ProfilesUnitOfWork, tenant_id: str, name: str, other_than: str | None) -> None:
    if uow.scim_groups.name_taken(tenant_id, name, other_than):
        raise ScimError(409, f"a group named {name!r} exists", "uniqueness")
