"""PATCH (RFC 7644 §3.5.2) with scim2-models' PatchOp: ops in any case (Entra's "Replace"), with or
without a path, value paths (`emails[type eq "work"].value`, `members[value eq "id"]`), a no-path
replace that leaves unnamed sub-attributes alone (§3.5.2.3), booleans as Entra's "True"/"False".
The patched resource goes through the same mapping as POST and PUT."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from scim2_models import SCIMException

from profiles.scim.errors import ScimError
from profiles.scim.models import (
    ENTERPRISE,
    IDENTITY_PROVIDERS,
    Context,
    GroupPatch,
    UserPatch,
    parse,
    user_with_manager_reference,
    with_manager_reference,
)

MAX_OPERATIONS = 1000
MANAGER_PATH = f"{ENTERPRISE}:manager".lower()


def parse_user_patch(body: Any, base_url: str) -> UserPatch:
    return parse(UserPatch, _manager_references(_bounded(body), base_url), Context.RESOURCE_PATCH_REQUEST)


def parse_group_patch(body: Any) -> GroupPatch:
    return parse(GroupPatch, _members_removed_by_value(_bounded(body)), Context.RESOURCE_PATCH_REQUEST)


def patched(resource, operations):
    """A copy of `resource` with the operations applied."""
    copy = resource.model_copy(deep=True)
    try:
        with IDENTITY_PROVIDERS:
            operations.patch(copy)
    except (ValidationError, SCIMException) as error:
        raise ScimError.from_library(error) from None
    return copy


def _bounded(body: Any) -> Any:
    if isinstance(body, dict):
        operations = next((value for key, value in body.items() if key.lower() == "operations"), None)
        if isinstance(operations, list) and len(operations) > MAX_OPERATIONS:
            raise ScimError(400, f"at most {MAX_OPERATIONS} operations per request", "tooMany")
    return body


def _manager_references(body: Any, base_url: str) -> Any:
    """Entra ID sets the manager as a bare id (`"path": "...:manager", "value": "<id>"`), Okta as
    `{"value": id}`; the enterprise schema's manager is complex with a `$ref`, which is filled in."""
    if not isinstance(body, dict):
        return body
    for operation in next((value for key, value in body.items() if key.lower() == "operations"), None) or []:
        if not isinstance(operation, dict):
            continue
        path = str(operation.get("path") or "").lower()
        if path == MANAGER_PATH:
            operation["value"] = with_manager_reference(operation.get("value"), base_url)
        elif path == ENTERPRISE.lower():
            operation["value"] = user_with_manager_reference({ENTERPRISE: operation.get("value")}, base_url)[ENTERPRISE]
        elif not path:
            operation["value"] = user_with_manager_reference(operation.get("value"), base_url)
    return body


def _members_removed_by_value(body: Any) -> Any:
    """Entra ID removes members with `"path": "members", "value": [{"value": id, "$ref": null}]`:
    that is `members[value eq "id" or ...]` with no value, which RFC 7644 §3.5.2.2 defines."""
    if not isinstance(body, dict):
        return body
    for operation in next((value for key, value in body.items() if key.lower() == "operations"), None) or []:
        if not (isinstance(operation, dict) and str(operation.get("op", "")).lower() == "remove"
                and str(operation.get("path", "")).lower() == "members" and operation.get("value")):
            continue
        listed = operation["value"] if isinstance(operation["value"], list) else [operation["value"]]
        ids = [item.get("value") for item in listed if isinstance(item, dict)]
        if ids and all(isinstance(member_id, str) and member_id for member_id in ids):
            quoted = " or ".join(f"value eq {json.dumps(member_id)}" for member_id in ids)
            operation["path"] = f"members[{quoted}]"
            del operation["value"]
    return body
