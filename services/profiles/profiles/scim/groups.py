"""SCIM Groups: a display name, an optional externalId, and members who are the tenant's people.
What a filter may name, the Group document, and a Group's values checked; the writes are in
handlers/scim_groups.py, the SQL in repositories/scim_groups.py."""

from __future__ import annotations

from typing import Any

from scim2_models import Group, GroupMember, Meta, Reference, User
from sqlalchemy import select

from profiles.orm import scim_group_members, scim_groups
from profiles.scim.errors import ScimError
from profiles.scim.etags import etag
from profiles.scim.filters import Attribute
from profiles.scim.models import GroupResource

MAX_MEMBERS_PER_REQUEST = 10_000
_MemberReference = Reference[User | Group]  # the type GroupMember.ref takes; the members here are all Users


def member_filter(op: str, value: Any):
    if op != "eq" or not isinstance(value, str):
        raise ScimError(400, "members.value supports eq with a User id", "invalidFilter")
    return scim_groups.c.id.in_(select(scim_group_members.c.group_id).where(
        scim_group_members.c.tenant_id == scim_groups.c.tenant_id, scim_group_members.c.person_id == value))


FILTERS = {
    "id": Attribute(scim_groups.c.id),
    "displayname": Attribute(scim_groups.c.display_name),
    "externalid": Attribute(scim_groups.c.external_id),
    "members.value": Attribute(kind="custom", build=member_filter),
    "members": Attribute(kind="custom", build=member_filter),
    "meta.created": Attribute(scim_groups.c.created_at, "datetime"),
    "meta.lastmodified": Attribute(scim_groups.c.updated_at, "datetime"),
}


def group_document(group: dict, members: list[tuple[str, str]] | None, base_url: str,
                   with_display: bool = False) -> GroupResource:
    """The Group; members' display names only when asked for (they are `returned: request`)."""
    return GroupResource(
        id=group["id"], display_name=group["display_name"], external_id=group.get("external_id") or None,
        members=None if members is None else [
            GroupMember(value=person_id, display=name if with_display else None, type="User",
                        ref=_MemberReference(f"{base_url}/Users/{person_id}"))
            for person_id, name in members],
        meta=Meta(resource_type="Group", created=group["created_at"], last_modified=group["updated_at"],
                  version=etag(group["version"]), location=f"{base_url}/Groups/{group['id']}"))


def group_values(group: GroupResource) -> tuple[str, str | None, set[str]]:
    """(display name, external id, member person ids) from a full Group."""
    name = group.display_name
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise ScimError(400, "displayName is required: a string of at most 200 characters", "invalidValue")
    if group.external_id is not None and len(group.external_id) > 200:
        raise ScimError(400, "externalId must be a string of at most 200 characters", "invalidValue")
    members = group.members or []
    if len(members) > MAX_MEMBERS_PER_REQUEST:
        raise ScimError(400, f"members must be a list of at most {MAX_MEMBERS_PER_REQUEST}", "tooMany")
    ids = set()
    for member in members:
        if not member.value:
            raise ScimError(400, "each member needs a value: a User id", "invalidValue")
        ids.add(member.value)
    return name.strip(), group.external_id or None, ids
