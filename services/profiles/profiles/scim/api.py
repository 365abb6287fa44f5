"""/scim/v2: SCIM 2.0 (RFC 7643/7644) for identity providers (Okta, Microsoft Entra ID).

Authenticated ONLY by a tenant's SCIM bearer token (see tokens.py), never by a JWT: the app-wide
JWT check must skip this blueprint (it is marked `authenticates_itself`). Every error here is a
SCIM error document (application/scim+json); user writes go through the people handlers, so
validation and the outbox events (person upserted / moved / deactivated) stay in one place."""

from __future__ import annotations

from flask import g, request
from flask.views import MethodView
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from mentoring_shared.errors import ApplicationError, Conflict, InvalidField, NotFound, PreconditionFailed
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime
from mentoring_shared.web.input_guards import reject_nul_characters
from mentoring_shared.web.problems import Problem

from profiles.handlers import people as handlers
from profiles.orm import people, scim_groups
from profiles.repositories.people import PeopleRepository
from profiles.scim import discovery, groups, tokens, users
from profiles.scim.errors import ScimError, error_response, scim_response
from profiles.scim.filters import parse_filter, to_sql
from profiles.scim.patch import apply_patch

LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
DEFAULT_COUNT, MAX_COUNT = 100, 200

blueprint = Blueprint("scim", __name__, url_prefix="/scim/v2",
                      description="SCIM 2.0 provisioning (Users, Groups), authenticated by a SCIM token.")
blueprint.authenticates_itself = True  # read by the app factory: no JWT on these routes
# SCIM describes itself (/Schemas, /ResourceTypes, /ServiceProviderConfig), which is what identity
# providers read; it stays out of the platform's OpenAPI document and its JWT security scheme.
blueprint.in_openapi = False


@blueprint.before_request
def authenticate_scim():
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ScimError(401, "a SCIM bearer token is required")
    with current_runtime().sessions() as session:
        tenant_id = tokens.tenant_of(session, secret.strip())
    if tenant_id is None:
        raise ScimError(401, "the SCIM token is unknown or revoked")
    g.scim_tenant = tenant_id
    if request.method in {"POST", "PUT", "PATCH"} and request.content_length and not request.is_json:
        raise ScimError(415, "request bodies must be application/scim+json or application/json")
    reject_nul_characters()


@blueprint.errorhandler(ScimError)
def _scim_error(error: ScimError):
    return error_response(error.status, error.detail, error.scim_type)


@blueprint.errorhandler(ApplicationError)
def _application_error(error: ApplicationError):
    if isinstance(error, InvalidField):
        return error_response(400, f"{error.field}: {error.message}", "invalidValue")
    if isinstance(error, Conflict):
        return error_response(409, error.detail, "uniqueness")
    return error_response(error.status, error.detail)


@blueprint.errorhandler(Problem)
def _problem(problem: Problem):
    return error_response(problem.status, problem.detail or problem.title)


@blueprint.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return error_response(error.code or 500, error.description or error.name)


def tenant() -> str:
    return g.scim_tenant


def base_url() -> str:
    return request.url_root.rstrip("/") + blueprint.url_prefix


def body() -> dict:
    document = request.get_json(silent=True)
    if not isinstance(document, dict):
        raise ScimError(400, "the body must be a JSON object", "invalidSyntax")
    return document


def check_if_match(header: str | None, version: int) -> None:
    """If-Match with our weak ETag W/"<version>" (or its strong form, or *); 412 on mismatch."""
    if not header:
        return
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" not in wanted and f'"{version}"' not in wanted:
        raise ScimError(412, f"the resource is at version {version}, not {header}")


def page_args() -> tuple[int, int]:
    try:
        start = int(request.args.get("startIndex", 1))
        count = int(request.args.get("count", DEFAULT_COUNT))
    except ValueError:
        raise ScimError(400, "startIndex and count are integers", "invalidValue") from None
    return max(start, 1), min(max(count, 0), MAX_COUNT)


def projected(document: dict) -> dict:
    """`attributes` / `excludedAttributes` (top-level names; id and schemas always stay)."""
    keep = {name.strip().lower() for name in request.args.get("attributes", "").split(",") if name.strip()}
    drop = {name.strip().lower() for name in request.args.get("excludedAttributes", "").split(",") if name.strip()}
    always = {"id", "schemas"}
    return {key: value for key, value in document.items()
            if key.lower() in always or ((not keep or key.lower() in keep) and key.lower() not in drop)}


def list_response(resources: list[dict], total: int, start: int) -> dict:
    return {"schemas": [LIST_RESPONSE], "totalResults": total, "itemsPerPage": len(resources),
            "startIndex": start, "Resources": resources}


def with_etag(document: dict, status: int = 200, location: bool = False):
    headers = {"ETag": document["meta"]["version"]}
    if location:
        headers["Location"] = document["meta"]["location"]
    return scim_response(document, status, headers)


# --- Users -------------------------------------------------------------------------------------

def _user(session, person) -> dict:
    managers = users.manager_ids(session, tenant(), {person.manager_employee_id} - {None})
    return users.user_document(person, managers.get(person.manager_employee_id), base_url())


def _load_person(session, person_id: str):
    person = PeopleRepository(session).get(tenant(), person_id)
    if person is None:
        raise ScimError(404, f"no User {person_id}")
    return person


WRITE_TRIES = 3  # without If-Match, a concurrent change means: read again and recompute


def _write_user(person_id: str, new_document, if_match: str | None):
    """Compute the user's new state from the version read (`new_document(current_document)`) and
    write it only if the person is still at that version: a concurrent change is never overwritten.
    With If-Match that is the client's 412; without, the read and the computation are retried."""
    runtime = current_runtime()
    for attempt in range(1, WRITE_TRIES + 1):
        with runtime.sessions() as session:
            current = _load_person(session, person_id)
            check_if_match(if_match, current.version)
            changes = users.person_attributes(new_document(_user(session, current)), session, tenant(), current)
        try:
            changed = handlers.change_person(tenant(), person_id, changes, runtime.unit_of_work(),
                                             expected_version=current.version)
            break
        except NotFound:
            raise ScimError(404, f"no User {person_id}") from None
        except PreconditionFailed as error:
            if if_match or attempt == WRITE_TRIES:
                raise ScimError(412, error.detail) from None
    with runtime.sessions() as session:
        return with_etag(_user(session, changed))


@blueprint.route("/Users")
class Users(MethodView):
    def get(self):
        """Users of the token's tenant: `filter`, `startIndex`, `count`."""
        start, count = page_args()
        condition = people.c.tenant_id == tenant()
        if request.args.get("filter") is not None:
            condition = condition & to_sql(parse_filter(request.args["filter"]), users.FILTERS)
        with current_runtime().sessions() as session:
            total = session.execute(select(func.count()).select_from(people).where(condition)).scalar_one()
            rows = session.execute(select(people.c.id).where(condition).order_by(people.c.id)
                                   .offset(start - 1).limit(count)).scalars().all() if count else []
            repository = PeopleRepository(session)
            resources = [projected(_user(session, repository.get(tenant(), person_id))) for person_id in rows]
        return scim_response(list_response(resources, total, start))

    def post(self):
        """Provision a User: a new person (409 uniqueness if the userName or externalId is taken)."""
        runtime = current_runtime()
        with runtime.sessions() as session:
            attributes = users.person_attributes(body(), session, tenant(), None)
        person = handlers.register_person(tenant(), attributes, runtime.unit_of_work())
        with runtime.sessions() as session:
            return with_etag(_user(session, person), 201, location=True)


@blueprint.route("/Users/<id:user_id>")
class UserItem(MethodView):
    def get(self, user_id):
        with current_runtime().sessions() as session:
            return with_etag(projected(_user(session, _load_person(session, user_id))))

    def put(self, user_id):
        """Replace a User's attributes; active=false deactivates."""
        document = body()
        return _write_user(user_id, lambda _current: document, request.headers.get("If-Match"))

    def patch(self, user_id):
        """PatchOp: add / replace / remove, with or without a path (Okta's and Entra's forms)."""
        operations = body()
        return _write_user(user_id, lambda current: apply_patch(current, operations), request.headers.get("If-Match"))

    def delete(self, user_id):
        """Deprovision: the person is deactivated (terminated), not erased."""
        runtime = current_runtime()
        if_match = request.headers.get("If-Match")
        with runtime.sessions() as session:
            version = _load_person(session, user_id).version
            check_if_match(if_match, version)
        try:
            handlers.change_person(tenant(), user_id, {"status": "terminated"}, runtime.unit_of_work(),
                                   expected_version=version if if_match else None)
        except PreconditionFailed as error:
            raise ScimError(412, error.detail) from None
        return "", 204


# --- Groups ------------------------------------------------------------------------------------

def _group_response(group_id: str, status: int = 200, location: bool = False):
    with current_runtime().sessions() as session:
        group = groups.get(session, tenant(), group_id)
        if group is None:
            raise ScimError(404, f"no Group {group_id}")
        wants_members = "members" not in request.args.get("excludedAttributes", "").lower()
        members = groups.members_of(session, tenant(), [group_id])[group_id] if wants_members else None
    return with_etag(projected(groups.group_document(group, members, base_url())), status, location)


@blueprint.route("/Groups")
class Groups(MethodView):
    def get(self):
        start, count = page_args()
        condition = scim_groups.c.tenant_id == tenant()
        if request.args.get("filter") is not None:
            condition = condition & to_sql(parse_filter(request.args["filter"]), groups.FILTERS)
        wants_members = "members" not in request.args.get("excludedAttributes", "").lower()
        with current_runtime().sessions() as session:
            total = session.execute(select(func.count()).select_from(scim_groups).where(condition)).scalar_one()
            rows = session.execute(select(scim_groups).where(condition).order_by(scim_groups.c.id)
                                   .offset(start - 1).limit(count)).mappings().all() if count else []
            members = groups.members_of(session, tenant(), [row["id"] for row in rows]) if wants_members else {}
            resources = [projected(groups.group_document(dict(row), members.get(row["id"]) if wants_members else None,
                                                         base_url())) for row in rows]
        return scim_response(list_response(resources, total, start))

    def post(self):
        group_id = groups.create(current_runtime().unit_of_work(), tenant(), body())
        return _group_response(group_id, 201, location=True)


@blueprint.route("/Groups/<id:group_id>")
class GroupItem(MethodView):
    def get(self, group_id):
        return _group_response(group_id)

    def put(self, group_id):
        document = body()
        groups.replace(current_runtime().unit_of_work(), tenant(), group_id, lambda _current: document,
                       request.headers.get("If-Match"))
        return _group_response(group_id)

    def patch(self, group_id):
        operations = body()
        groups.replace(current_runtime().unit_of_work(), tenant(), group_id,
                       lambda current: apply_patch(current, operations), request.headers.get("If-Match"))
        return _group_response(group_id)

    def delete(self, group_id):
        groups.remove(current_runtime().unit_of_work(), tenant(), group_id, request.headers.get("If-Match"))
        return "", 204


# --- Discovery ---------------------------------------------------------------------------------

@blueprint.route("/ServiceProviderConfig")
class ServiceProviderConfig(MethodView):
    def get(self):
        return scim_response(discovery.service_provider_config(base_url()))


@blueprint.route("/ResourceTypes")
class ResourceTypes(MethodView):
    def get(self):
        resources = discovery.resource_types(base_url())
        return scim_response(list_response(resources, len(resources), 1))


@blueprint.route("/ResourceTypes/<string:name>")
class ResourceTypeItem(MethodView):
    def get(self, name):
        found = [item for item in discovery.resource_types(base_url()) if item["id"].lower() == name.lower()]
        if not found:
            raise ScimError(404, f"no resource type {name}")
        return scim_response(found[0])


@blueprint.route("/Schemas")
class Schemas(MethodView):
    def get(self):
        resources = discovery.schemas(base_url())
        return scim_response(list_response(resources, len(resources), 1))


@blueprint.route("/Schemas/<string:schema_id>")
class SchemaItem(MethodView):
    def get(self, schema_id):
        found = [item for item in discovery.schemas(base_url()) if item["id"].lower() == schema_id.lower()]
        if not found:
            raise ScimError(404, f"no schema {schema_id}")
        return scim_response(found[0])
