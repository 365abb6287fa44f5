"""PATCH operations (RFC 7644 §3.5.2) applied to a resource's SCIM document, as Okta and Entra ID
send them: ops in any case, with or without a path, value paths (`emails[type eq "work"].value`,
`members[value eq "id"]`), and Entra's `remove` of `members` with a list of values. The caller maps
the patched document back onto its model, so one mapping serves POST, PUT and PATCH."""

from __future__ import annotations

import copy
import re
from typing import Any

from profiles.scim.errors import ScimError
from profiles.scim.filters import ValuePath, matches, normalize_path, parse_filter

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
MAX_OPERATIONS = 1000
_VALUE_PATH = re.compile(r"^(?P<attr>[^\[\]]+)\[(?P<filter>.+)\](?:\.(?P<sub>[A-Za-z][\w$-]*))?$", re.DOTALL)


def apply_patch(document: dict, body: Any) -> dict:
    if not isinstance(body, dict):
        raise ScimError(400, "a PATCH body is a PatchOp message", "invalidSyntax")
    operations = next((value for key, value in body.items() if key.lower() == "operations"), None)
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "Operations must be a non-empty list", "invalidSyntax")
    if len(operations) > MAX_OPERATIONS:
        raise ScimError(400, f"at most {MAX_OPERATIONS} operations per request", "tooMany")
    patched = copy.deepcopy(document)
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "each operation is an object", "invalidSyntax")
        fields = {key.lower(): value for key, value in operation.items()}
        op = str(fields.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, f"unknown op {fields.get('op')!r}", "invalidSyntax")
        path, value = fields.get("path"), fields.get("value")
        if path is None or path == "":
            if op == "remove":
                raise ScimError(400, "remove needs a path", "noTarget")
            if not isinstance(value, dict):
                raise ScimError(400, f"{op} without a path takes an object value", "invalidValue")
            for key, item in value.items():
                if key.lower() == ENTERPRISE.lower() and isinstance(item, dict):
                    for sub_key, sub_item in item.items():
                        _apply(patched, op, normalize_path(f"{ENTERPRISE}:{sub_key}"), sub_item)
                elif key.lower() not in ("schemas", "id", "meta"):
                    _apply(patched, op, normalize_path(key), item)
        elif isinstance(path, str):
            _apply(patched, op, path, value)
        else:
            raise ScimError(400, "path must be a string", "invalidPath")
    return patched


def _apply(document: dict, op: str, raw_path: str, value: Any) -> None:
    match = _VALUE_PATH.match(raw_path)
    if match:
        attr, sub = normalize_path(match["attr"].strip()), (match["sub"] or "").lower() or None
        tree = parse_filter(match["filter"])
        if isinstance(tree, ValuePath):
            raise ScimError(400, "nested value paths are not supported", "invalidPath")
        container, key = _container(document, attr, create=op != "remove")
        items = container.get(key) if container is not None else None
        if not isinstance(items, list):
            items = []
        selected = [item for item in items if isinstance(item, dict) and matches(tree, item)]
        if op == "remove":
            if sub is None:
                container[key] = [item for item in items if item not in selected]
            else:
                for item in selected:
                    _pop(item, sub)
            return
        if not selected:  # Entra's replace of emails[type eq "work"].value on a user without one adds it
            new_item = _seed_from_filter(tree)
            items.append(new_item)
            selected = [new_item]
        for item in selected:
            if sub is None:
                if not isinstance(value, dict):
                    raise ScimError(400, f"{raw_path} takes an object value", "invalidValue")
                item.update(value)
            else:
                _set(item, sub, value)
        container[key] = items
        return
    path = normalize_path(raw_path.strip())
    container, key = _container(document, path, create=op != "remove")
    if container is None:
        return
    if op == "remove":
        existing = _get(container, key)
        if isinstance(existing, list) and value is not None:  # Entra: remove members listed in value
            doomed = {str(v.get("value")) for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)}
            _set(container, key, [item for item in existing
                                   if not (isinstance(item, dict) and str(item.get("value")) in doomed)])
        else:
            _pop(container, key)
        return
    existing = _get(container, key)
    if op == "add" and isinstance(existing, list):
        additions = value if isinstance(value, list) else [value]
        _set(container, key, existing + [item for item in additions if item not in existing])
    elif op == "add" and isinstance(existing, dict) and isinstance(value, dict):
        existing.update(value)
    else:
        _set(container, key, value)


def _container(document: dict, path: str, create: bool):
    """The dict holding the last segment of `path` (`enterprise:manager`, `name.givenName`)."""
    node = document
    if path.startswith("enterprise:"):
        node = _child(node, ENTERPRISE, create)
        path = path[len("enterprise:"):]
        if node is None:
            return None, None
    parts = path.split(".")
    for part in parts[:-1]:
        node = _child(node, part, create)
        if node is None:
            return None, None
    return node, parts[-1]


def _child(node: dict, key: str, create: bool):
    existing = _get(node, key)
    if isinstance(existing, dict):
        return existing
    if not create:
        return None
    child: dict = {}
    _set(node, key, child)
    return child


def _key(node: dict, key: str) -> str:
    return next((existing for existing in node if existing.lower() == key.lower()), key)


def _get(node: dict, key: str):
    return node.get(_key(node, key))


def _set(node: dict, key: str, value: Any) -> None:
    node[_key(node, key)] = value


def _pop(node: dict, key: str) -> None:
    node.pop(_key(node, key), None)


def _seed_from_filter(tree) -> dict:
    """`type eq "work"` -> {"type": "work"}: the element a value-path add or replace creates."""
    from profiles.scim.filters import Compare, Logical
    if isinstance(tree, Compare) and tree.op == "eq":
        return {tree.path: tree.value}
    if isinstance(tree, Logical) and tree.op == "and":
        return {**_seed_from_filter(tree.left), **_seed_from_filter(tree.right)}
    return {}
