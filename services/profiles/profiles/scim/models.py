"""The SCIM resources and messages this server speaks, as scim2-models' Pydantic models, and how a
request body becomes one: a body scim2-models refuses is a SCIM 400 naming the attribute."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError
from scim2_models import (
    BaseModel,
    Context,
    EnterpriseUser,
    Group,
    ListResponse,
    PatchOp,
    Path,
    SCIMException,
    ScimPolicy,
    SearchRequest,
    User,
)

from profiles.scim.errors import ScimError

UserResource = User[EnterpriseUser]
GroupResource = Group
UserPatch = PatchOp[UserResource]
GroupPatch = PatchOp[GroupResource]
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
Model = TypeVar("Model", bound=BaseModel)

# What identity providers send that the strict reading refuses: Entra's `remove` of members with a
# value list, and a replace of `emails[type eq "work"].value` on a user without a work email (it
# creates the entry). Attributes no schema here declares (an IdP's custom ones) are dropped.
IDENTITY_PROVIDERS = ScimPolicy(unknown=ScimPolicy.Unknown.ignore,
                                remove_value_as_filter=ScimPolicy.RemoveValue.apply,
                                unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create)

__all__ = ["UserResource", "GroupResource", "UserPatch", "GroupPatch", "ListResponse", "SearchRequest",
           "Context", "ENTERPRISE", "IDENTITY_PROVIDERS", "parse", "dump", "with_manager_reference"]


def parse(model: type[Model], document: Any, context: Context) -> Model:
    if not isinstance(document, dict):
        raise ScimError(400, "the body must be a JSON object", "invalidSyntax")
    try:
        with IDENTITY_PROVIDERS:
            return model.model_validate(document, scim_ctx=context)
    except (ValidationError, SCIMException) as error:
        raise ScimError.from_library(error) from None


def dump(resource, attributes: list[Path[Any]] | None = None, excluded: list[Path[Any]] | None = None) -> dict:
    """A resource as a response carries it, narrowed by `attributes` / `excludedAttributes` (as a
    SearchRequest holds them)."""
    parameters: SearchRequest | None = None
    if attributes or excluded:
        parameters = SearchRequest(attributes=attributes or None, excluded_attributes=excluded or None)
    try:
        return resource.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=parameters)
    except (ValidationError, SCIMException) as error:
        raise ScimError.from_library(error) from None


def with_manager_reference(manager: Any, base_url: str) -> Any:
    """The enterprise manager as the schema wants it (complex, with a `$ref`), from what Okta and
    Entra send: a bare id, or `{"value": id}` without `$ref`."""
    if isinstance(manager, str) and manager:
        manager = {"value": manager}
    if isinstance(manager, dict) and manager.get("value") and not manager.get("$ref"):
        manager = {**manager, "$ref": f"{base_url}/Users/{manager['value']}"}
    return manager


def user_with_manager_reference(document: Any, base_url: str) -> Any:
    """A User document (or a no-path PATCH value) whose enterprise manager gets its `$ref`."""
    if not isinstance(document, dict):
        return document
    for key, extension in document.items():
        if key.lower() == ENTERPRISE.lower() and isinstance(extension, dict):
            document[key] = {name: with_manager_reference(value, base_url) if name.lower() == "manager" else value
                             for name, value in extension.items()}
    return document
