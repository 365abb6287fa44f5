"""/scim/v2's protocol around the resources: the blueprint, authentication by a tenant's SCIM
token (never a JWT: the app-wide JWT check skips this blueprint, marked `authenticates_itself`),
SCIM errors for everything that goes wrong, and what every route shares (the body, a list's query
and page, the response with its ETag; the tenant is the token's, read with `web.acting.tenant()`)."""

from __future__ import annotations

import logging

from flask import g, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from mentoring_shared.errors import ApplicationError, Conflict, InvalidField
from mentoring_shared.web.auth import Principal
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime
from mentoring_shared.web.input_guards import reject_nul_characters
from mentoring_shared.web.problems import Problem
from profiles.scim import tokens
from profiles.scim.errors import ScimError, error_response, scim_response
from profiles.scim.models import Context, GroupResource, ListResponse, SearchRequest, UserResource, dump, parse

DEFAULT_COUNT, MAX_COUNT = 100, 200
SCIM_SUBJECT = "scim"  # who a SCIM token's requests act as: the tenant's identity provider, holding no role
log = logging.getLogger(__name__)

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
    # The token is the credential, as a JWT is elsewhere: routes read its tenant with `acting.tenant()`.
    g.principal = Principal(subject=SCIM_SUBJECT, tenant_id=tenant_id, roles=frozenset())
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


@blueprint.errorhandler(IntegrityError)
def _taken_meanwhile(error: IntegrityError):
    return error_response(409, "a concurrent request took this userName, email or employee id", "uniqueness")


@blueprint.errorhandler(Problem)
def _problem(problem: Problem):
    return error_response(problem.status, problem.detail or problem.title)


@blueprint.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return error_response(error.code or 500, error.description or error.name)


@blueprint.errorhandler(Exception)
def _unexpected(error: Exception):
    log.exception("unhandled error in SCIM")
    return error_response(500, "An unexpected error occurred; it has been logged.")


def base_url() -> str:
    return request.url_root.rstrip("/") + blueprint.url_prefix


def body() -> dict:
    document = request.get_json(silent=True)
    if not isinstance(document, dict):
        raise ScimError(400, "the body must be a JSON object", "invalidSyntax")
    return document


def search_request(document: dict | None = None) -> SearchRequest:
    """The query of a list: GET's parameters, or the body POSTed to .search (RFC 7644 §3.4.3)."""
    if document is None:
        document = {key: value for key, value in request.args.items()
                    if key in ("filter", "startIndex", "count", "attributes", "excludedAttributes",
                               "sortBy", "sortOrder")}
        for key in ("attributes", "excludedAttributes"):
            if key in document:
                document[key] = [name.strip() for name in document[key].split(",") if name.strip()]
    search = parse(SearchRequest, document, Context.SEARCH_REQUEST)
    if search.sort_by:
        raise ScimError(400, "sorting is not supported (ServiceProviderConfig: sort)", "invalidValue")
    return search


def page_of(search: SearchRequest) -> tuple[int, int]:
    start = max(search.start_index or 1, 1)
    count = DEFAULT_COUNT if search.count is None else min(max(search.count, 0), MAX_COUNT)
    return start, count


def projected(resource, search: SearchRequest | None = None) -> dict:
    """The resource as the response carries it, narrowed by `attributes` / `excludedAttributes`."""
    search = search if search is not None else search_request()
    return dump(resource, search.attributes, search.excluded_attributes)


def wants_display(search: SearchRequest) -> bool:
    return "members.display" in {name.lower() for name in search.attributes or []}


def wants_members(search: SearchRequest) -> bool:
    """Members are read only when the response carries them (a big group's can be many)."""
    excluded = {name.lower() for name in search.excluded_attributes or []}
    wanted = {name.lower().split(".")[0] for name in search.attributes or []}
    return "members" not in excluded and (not wanted or "members" in wanted)


def list_response(resources: list[dict], total: int, start: int) -> dict:
    return ListResponse[UserResource | GroupResource](
        total_results=total, items_per_page=len(resources), start_index=start,
    ).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) | {"Resources": resources}


def with_etag(resource, status: int = 200, location: bool = False):
    headers = {"ETag": resource.meta.version}
    if location:
        headers["Location"] = resource.meta.location
    return scim_response(projected(resource), status, headers)


def list_page(listings: list, search: SearchRequest):
    """One page across the listings, in order (a .search at the root covers Users, then Groups)."""
    start, count = page_of(search)
    resources: list[dict] = []
    offset = start - 1
    with current_runtime().sessions() as session:
        totals = [listing.total(session) for listing in listings]
        for listing, total in zip(listings, totals):
            if offset < total and len(resources) < count:
                resources += listing.page(session, offset, count - len(resources))
            offset = max(offset - total, 0)
    return scim_response(list_response(resources, sum(totals), start))
