"""/scim/v2/Users: the tenant's people as SCIM Users. Writes go through the people handlers, so
validation and the outbox events (person upserted / moved / deactivated) stay in one place; the
SCIM record (uow.scim_users) is written in the same transaction. Reads open a session and use the
repositories on it (`Reads`)."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from sqlalchemy import true

from mentoring_shared.errors import NotFound, PreconditionFailed
from mentoring_shared.web.acting import tenant
from mentoring_shared.web.current import current_runtime, unit_of_work
from profiles.domain.scim_users import UserRecord, user_version
from profiles.handlers import people as handlers
from profiles.repositories.people import PeopleRepository
from profiles.repositories.scim_users import ScimUsersRepository
from profiles.scim import patch, users, users_filters
from profiles.scim.errors import ScimError
from profiles.scim.etags import check_if_match
from profiles.scim.filters import parse_filter, to_sql
from profiles.scim.models import Context, SearchRequest, UserResource, parse, user_with_manager_reference
from profiles.scim.protocol import base_url, blueprint, body, list_page, projected, search_request, with_etag


class Reads:
    """The repositories a SCIM read uses, on one session."""

    def __init__(self, session):
        self.people = PeopleRepository(session)
        self.scim_users = ScimUsersRepository(session)


def _users(reads: Reads, persons: list) -> list[UserResource]:
    records = reads.scim_users.load(tenant(), [person.id for person in persons])
    managers = reads.people.ids_by_employee_id(tenant(), {person.manager_employee_id for person in persons} - {None})
    return [users.to_user(person, records.get(person.id), managers.get(person.manager_employee_id), base_url())
            for person in persons]


def _user(reads: Reads, person) -> UserResource:
    return _users(reads, [person])[0]


def _load(reads: Reads, person_id: str, include_deleted: bool = False):
    """(person, SCIM record or None) behind a User; 404 if there is none in the tenant, or SCIM
    DELETEd it (RFC 7644 §3.6)."""
    person = reads.people.get(tenant(), person_id)
    record = reads.scim_users.load(tenant(), [person_id]).get(person_id) if person else None
    if person is None or person.erased or (record is not None and record.deleted and not include_deleted):
        raise ScimError(404, f"no User {person_id}")
    return person, record


def _check_user_name_free(reads: Reads, user_name: str, person_id: str | None) -> str | None:
    """409 if another User holds the userName; the id of a DELETEd User holding it (re-provisioned)."""
    holder = reads.scim_users.holder_of_user_name(tenant(), user_name)
    if holder is not None and holder[0] != person_id:
        if holder[1] and person_id is None:
            return holder[0]
        raise ScimError(409, f"userName {user_name!r} is taken", "uniqueness")
    return None


def _saving(record: UserRecord, version_read: int | None, revision_read: int | None):
    """Writes the SCIM record in the person's transaction (handlers' `alongside`)."""
    def save(uow, person):
        uow.scim_users.save(tenant(), person.id, record, person_changed=person.version != version_read,
                            expected_revision=revision_read)
    return save


WRITE_TRIES = 3  # without If-Match, a concurrent change means: read again and recompute


def _write_user(person_id: str, new_user, if_match: str | None, revive: bool = False):
    """Compute the user's new state from the version read (`new_user(current User)`) and write it
    only if the person and its SCIM record are still as read: a concurrent change is never
    overwritten. With If-Match that is the client's 412; without, the read and the computation are
    retried. `revive`: a POST naming a DELETEd User's userName provisions that person again."""
    runtime = current_runtime()
    for attempt in range(1, WRITE_TRIES + 1):
        with runtime.sessions() as session:
            reads = Reads(session)
            current, record = _load(reads, person_id, include_deleted=revive)
            check_if_match(if_match, user_version(current.version, record))
            user = new_user(_user(reads, current))
            _check_user_name_free(reads, user.user_name or "", person_id)
            changes, new_record = users.person_attributes(user, reads.people, tenant(), current)
        if revive and user.active is not False:
            changes["status"] = "active"
        try:
            changed = handlers.change_person(tenant(), person_id, changes, unit_of_work(),
                                             expected_version=current.version,
                                             alongside=_saving(new_record, current.version,
                                                               record.revision if record else 0))
            break
        except NotFound:
            raise ScimError(404, f"no User {person_id}") from None
        except PreconditionFailed as error:
            if if_match or attempt == WRITE_TRIES:
                raise ScimError(412, error.detail) from None
    with runtime.sessions() as session:
        return with_etag(_user(Reads(session), changed), 201 if revive else 200, location=revive)


class UserListing:
    """The Users a search finds: how many, and one page of them as the response carries them."""

    def __init__(self, search: SearchRequest):
        self.search = search
        condition = true() if search.filter is None else to_sql(parse_filter(str(search.filter)),
                                                                users_filters.FILTERS)
        self.condition = condition

    def total(self, session) -> int:
        return ScimUsersRepository(session).count_users(tenant(), self.condition)

    def page(self, session, offset: int, limit: int) -> list[dict]:
        if limit <= 0:
            return []
        reads = Reads(session)
        ids = reads.scim_users.user_ids(tenant(), self.condition, offset, limit)
        return [projected(user, self.search) for user in _users(reads, [reads.people.get(tenant(), i) for i in ids])]


def _list_users(search: SearchRequest):
    return list_page([UserListing(search)], search)


@blueprint.route("/Users/.search")
class UsersSearch(MethodView):
    def post(self):
        """The Users query in a body (RFC 7644 §3.4.3)."""
        return _list_users(search_request(body()))


@blueprint.route("/Users")
class Users(MethodView):
    def get(self):
        """Users of the token's tenant: `filter`, `startIndex`, `count`, `attributes`."""
        return _list_users(search_request())

    def post(self):
        """Provision a User: a new person (409 uniqueness if the userName, email or employee id is
        taken). The userName of a DELETEd User brings that person back."""
        user = parse(UserResource, user_with_manager_reference(body(), base_url()), Context.RESOURCE_CREATION_REQUEST)
        runtime = current_runtime()
        with runtime.sessions() as session:
            reads = Reads(session)
            deleted_holder = _check_user_name_free(reads, user.user_name or "", None)
            if deleted_holder is None:
                attributes, record = users.person_attributes(user, reads.people, tenant(), None)
        if deleted_holder is not None:
            return _write_user(deleted_holder, lambda _current: user, None, revive=True)
        person = handlers.register_person(tenant(), attributes, unit_of_work(),
                                          alongside=_saving(record, None, None))
        with runtime.sessions() as session:
            return with_etag(_user(Reads(session), person), 201, location=True)


@blueprint.route("/Users/<id:user_id>")
class UserItem(MethodView):
    def get(self, user_id):
        with current_runtime().sessions() as session:
            reads = Reads(session)
            return with_etag(_user(reads, _load(reads, user_id)[0]))

    def put(self, user_id):
        """Replace a User's attributes; active=false deactivates."""
        user = parse(UserResource, user_with_manager_reference(body(), base_url()),
                     Context.RESOURCE_REPLACEMENT_REQUEST)
        return _write_user(user_id, lambda _current: user, request.headers.get("If-Match"))

    def patch(self, user_id):
        """PatchOp: add / replace / remove, with or without a path (Okta's and Entra's forms)."""
        operations = patch.parse_user_patch(body(), base_url())
        return _write_user(user_id, lambda current: patch.patched(current, operations),
                           request.headers.get("If-Match"))

    def delete(self, user_id):
        """Deprovision: the person is deactivated (terminated), not erased; SCIM answers 404 for it
        from now on, until a POST with its userName provisions it again."""
        runtime = current_runtime()
        if_match = request.headers.get("If-Match")
        with runtime.sessions() as session:
            reads = Reads(session)
            person, record = _load(reads, user_id)
            check_if_match(if_match, user_version(person.version, record))
            user = _user(reads, person)
        kept = record or UserRecord(user.user_name, user.external_id)
        deleted = UserRecord(kept.user_name, kept.external_id, kept.attributes, deleted=True)
        try:
            handlers.change_person(tenant(), user_id, {"status": "terminated"}, runtime.unit_of_work(),
                                   expected_version=person.version if if_match else None,
                                   alongside=_saving(deleted, person.version,
                                                     (record.revision if record else 0) if if_match else None))
        except PreconditionFailed as error:
            raise ScimError(412, error.detail) from None
        return "", 204
