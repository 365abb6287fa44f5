"""/scim/v2/Groups, and the root .search across Users and Groups."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from sqlalchemy import true

from mentoring_shared.web.acting import tenant
from mentoring_shared.web.current import current_runtime
from profiles.handlers import scim_groups as handlers
from profiles.repositories.scim_groups import ScimGroupsRepository
from profiles.scim import groups, patch
from profiles.scim.errors import ScimError
from profiles.scim.filters import parse_filter, to_sql
from profiles.scim.models import Context, GroupResource, SearchRequest, parse
from profiles.scim.protocol import (
    base_url,
    blueprint,
    body,
    list_page,
    projected,
    search_request,
    wants_display,
    wants_members,
    with_etag,
)
from profiles.scim.user_routes import UserListing


def _group_response(group_id: str, status: int = 200, location: bool = False):
    with current_runtime().sessions() as session:
        repository = ScimGroupsRepository(session)
        group = repository.get(tenant(), group_id)
        if group is None:
            raise ScimError(404, f"no Group {group_id}")
        members = repository.members_of(tenant(), [group_id])[group_id] if wants_members(search_request()) \
            else None
    return with_etag(groups.group_document(group, members, base_url(), wants_display(search_request())),
                     status, location)


class GroupListing:
    """The Groups a search finds: how many, and one page of them as the response carries them."""

    def __init__(self, search: SearchRequest):
        self.search = search
        self.condition = true() if search.filter is None else to_sql(parse_filter(str(search.filter)),
                                                                     groups.FILTERS)

    def total(self, session) -> int:
        return ScimGroupsRepository(session).count(tenant(), self.condition)

    def page(self, session, offset: int, limit: int) -> list[dict]:
        if limit <= 0:
            return []
        repository = ScimGroupsRepository(session)
        rows = repository.page(tenant(), self.condition, offset, limit)
        with_members = wants_members(self.search)
        members = repository.members_of(tenant(), [row["id"] for row in rows]) if with_members else {}
        return [projected(groups.group_document(row, members.get(row["id"]) if with_members else None,
                                                base_url(), wants_display(self.search)), self.search) for row in rows]


def _list_groups(search: SearchRequest):
    return list_page([GroupListing(search)], search)


@blueprint.route("/.search")
class RootSearch(MethodView):
    def post(self):
        """Users, then Groups (RFC 7644 §3.4.3). A filter a resource type cannot answer (it names
        an attribute the type does not have) leaves that type out; if neither can, it is refused."""
        search = search_request(body())
        listings, refusal = [], None
        for listing in (UserListing, GroupListing):
            try:
                listings.append(listing(search))
            except ScimError as error:
                refusal = error
        if not listings:
            raise refusal
        return list_page(listings, search)


@blueprint.route("/Groups/.search")
class GroupsSearch(MethodView):
    def post(self):
        """The Groups query in a body (RFC 7644 §3.4.3)."""
        return _list_groups(search_request(body()))


@blueprint.route("/Groups")
class Groups(MethodView):
    def get(self):
        return _list_groups(search_request())

    def post(self):
        group = parse(GroupResource, body(), Context.RESOURCE_CREATION_REQUEST)
        group_id = handlers.create_group(tenant(), group, current_runtime().unit_of_work())
        return _group_response(group_id, 201, location=True)


@blueprint.route("/Groups/<id:group_id>")
class GroupItem(MethodView):
    def get(self, group_id):
        return _group_response(group_id)

    def put(self, group_id):
        group = parse(GroupResource, body(), Context.RESOURCE_REPLACEMENT_REQUEST)
        handlers.replace_group(tenant(), group_id, lambda _current: group, request.headers.get("If-Match"),
                               base_url(), current_runtime().unit_of_work())
        return _group_response(group_id)

    def patch(self, group_id):
        operations = patch.parse_group_patch(body())
        handlers.replace_group(tenant(), group_id, lambda current: patch.patched(current, operations),
                               request.headers.get("If-Match"), base_url(), current_runtime().unit_of_work())
        return _group_response(group_id)

    def delete(self, group_id):
        handlers.delete_group(tenant(), group_id, request.headers.get("If-Match"), current_runtime().unit_of_work())
        return "", 204
