"""SCIM Groups: a display name, an optional externalId, and members who are the tenant's people."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from scim2_models import GroupMember, Meta
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentoring_shared.ids import new_id

from profiles.orm import people, scim_group_members, scim_groups
from profiles.scim.errors import ScimError
from profiles.scim.etags import check_if_match, etag
from profiles.scim.filters import Attribute
from profiles.scim.models import GroupResource

MAX_MEMBERS_PER_REQUEST = 10_000


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


def get(session: Session, tenant_id: str, group_id: str, for_update: bool = False) -> dict | None:
    query = select(scim_groups).where(scim_groups.c.tenant_id == tenant_id, scim_groups.c.id == group_id)
    row = session.execute(query.with_for_update() if for_update else query).mappings().first()
    return dict(row) if row else None


def members_of(session: Session, tenant_id: str, group_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """group id -> [(person id, name)], for rendering."""
    out: dict[str, list[tuple[str, str]]] = {group_id: [] for group_id in group_ids}
    if not group_ids:
        return out
    rows = session.execute(
        select(scim_group_members.c.group_id, people.c.id, people.c.name)
        .join(people, (people.c.tenant_id == scim_group_members.c.tenant_id)
              & (people.c.id == scim_group_members.c.person_id))
        .where(scim_group_members.c.tenant_id == tenant_id, scim_group_members.c.group_id.in_(group_ids))
        .order_by(scim_group_members.c.group_id, people.c.id))
    for row in rows:
        out[row.group_id].append((row.id, row.name))
    return out


def group_document(group: dict, members: list[tuple[str, str]] | None, base_url: str,
                   with_display: bool = False) -> GroupResource:
    """The Group; members' display names only when asked for (they are `returned: request`)."""
    return GroupResource(
        id=group["id"], display_name=group["display_name"], external_id=group.get("external_id") or None,
        members=None if members is None else [
            GroupMember(value=person_id, display=name if with_display else None, type="User", ref=f"{base_url}/Users/{person_id}")
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


def _known_members(session: Session, tenant_id: str, member_ids: set[str]) -> set[str]:
    """The ids that are Users of this tenant. Others are left out, not refused: an identity provider
    may name a member it has not provisioned here (or a DELETEd one), and the rest of the change holds."""
    found: set[str] = set()
    ordered = sorted(member_ids)
    for chunk in range(0, len(ordered), 1000):
        found |= set(session.execute(select(people.c.id).where(
            people.c.tenant_id == tenant_id, people.c.id.in_(ordered[chunk:chunk + 1000]))).scalars())
    return found


def create(uow, tenant_id: str, group: GroupResource) -> str:
    name, external_id, member_ids = group_values(group)
    now = datetime.now(timezone.utc)
    group_id = new_id()
    with uow:
        member_ids = _known_members(uow.session, tenant_id, member_ids)
        _unique_name(uow.session, tenant_id, name, None)
        try:
            uow.session.execute(insert(scim_groups).values(
                tenant_id=tenant_id, id=group_id, display_name=name, external_id=external_id, version=1,
                created_at=now, updated_at=now))
        except IntegrityError:
            raise ScimError(409, f"a group named {name!r} exists", "uniqueness") from None
        _add_members(uow.session, tenant_id, group_id, member_ids)
        uow.commit()
    return group_id


def replace(uow, tenant_id: str, group_id: str, change, if_match: str | None, base_url: str) -> None:
    """`change(current Group) -> new full Group`, applied under a row lock."""
    with uow:
        group = get(uow.session, tenant_id, group_id, for_update=True)
        if group is None:
            raise ScimError(404, f"no Group {group_id}")
        check_if_match(if_match, group["version"])
        current = members_of(uow.session, tenant_id, [group_id])[group_id]
        name, external_id, member_ids = group_values(change(group_document(group, current, base_url)))
        old_ids = {person_id for person_id, _ in current}
        member_ids = (member_ids & old_ids) | _known_members(uow.session, tenant_id, member_ids - old_ids)
        if (name, external_id, member_ids) == (group["display_name"], group["external_id"], old_ids):
            return
        if name != group["display_name"]:
            _unique_name(uow.session, tenant_id, name, group_id)
        uow.session.execute(update(scim_groups).where(
            scim_groups.c.tenant_id == tenant_id, scim_groups.c.id == group_id).values(
            display_name=name, external_id=external_id, version=group["version"] + 1,
            updated_at=datetime.now(timezone.utc)))
        gone = sorted(old_ids - member_ids)
        for chunk in range(0, len(gone), 1000):
            uow.session.execute(delete(scim_group_members).where(
                scim_group_members.c.tenant_id == tenant_id, scim_group_members.c.group_id == group_id,
                scim_group_members.c.person_id.in_(gone[chunk:chunk + 1000])))
        _add_members(uow.session, tenant_id, group_id, member_ids - old_ids)
        uow.commit()


def remove(uow, tenant_id: str, group_id: str, if_match: str | None) -> None:
    with uow:
        group = get(uow.session, tenant_id, group_id, for_update=True)
        if group is None:
            raise ScimError(404, f"no Group {group_id}")
        check_if_match(if_match, group["version"])
        uow.session.execute(delete(scim_group_members).where(
            scim_group_members.c.tenant_id == tenant_id, scim_group_members.c.group_id == group_id))
        uow.session.execute(delete(scim_groups).where(
            scim_groups.c.tenant_id == tenant_id, scim_groups.c.id == group_id))
        uow.commit()


def _unique_name(session: Session, tenant_id: str, name: str, other_than: str | None) -> None:
    query = select(func.count()).select_from(scim_groups).where(
        scim_groups.c.tenant_id == tenant_id, scim_groups.c.display_name == name)
    if other_than:
        query = query.where(scim_groups.c.id != other_than)
    if session.execute(query).scalar_one():
        raise ScimError(409, f"a group named {name!r} exists", "uniqueness")


def _add_members(session: Session, tenant_id: str, group_id: str, person_ids: set[str]) -> None:
    rows = [{"tenant_id": tenant_id, "group_id": group_id, "person_id": person_id} for person_id in sorted(person_ids)]
    if rows:
        session.execute(insert(scim_group_members), rows)
