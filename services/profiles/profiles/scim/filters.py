"""List filters (RFC 7644 §3.4.2.2) as SQL. scim2-models parses the filter (ScimFilter: the
grammar, operators and names in any case, Entra's `emails[type eq "work"].value eq "x"`); this
module says where each attribute a filter may name is in SQL (a table of `Attribute`s per resource
type) and translates the tree. Anything else is an `invalidFilter` error, raised before a query
runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path import (
    AttrPath,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)
from sqlalchemy import and_, func, not_, or_, true

from profiles.scim.errors import ScimError

MAX_FILTER_LENGTH = 2000
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"
CORE_SCHEMAS = ("urn:ietf:params:scim:schemas:core:2.0:user", "urn:ietf:params:scim:schemas:core:2.0:group")


def parse_filter(text: str) -> FilterNode:
    if not isinstance(text, str) or not text.strip():
        raise ScimError(400, "the filter is empty", "invalidFilter")
    if len(text) > MAX_FILTER_LENGTH:
        raise ScimError(400, f"the filter is longer than {MAX_FILTER_LENGTH} characters", "invalidFilter")
    try:
        return ScimFilter(text).ast
    except (InvalidFilterException, ValueError) as error:
        raise ScimError(400, f"invalid filter {text!r}: {error}", "invalidFilter") from None


def attribute_key(path: AttrPath) -> str:
    """`urn:...:enterprise:2.0:User:department` -> `enterprise:department`, `name.formatted`;
    lowercased (attribute names are case-insensitive)."""
    name = f"{path.attr}.{path.sub_attr}" if path.sub_attr else path.attr
    uri = (path.uri or "").lower()
    if uri == ENTERPRISE_USER:
        return f"enterprise:{name.lower()}"
    if uri and uri not in CORE_SCHEMAS:
        raise ScimError(400, f"unknown schema in attribute path {path}", "invalidFilter")
    return name.lower()


# --- to SQL -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attribute:
    """How one SCIM attribute is found in SQL: a string column (compared case-insensitively), a
    timestamp, or a custom builder for booleans and the like."""

    column: Any = None
    kind: str = "string"                                   # string | datetime | custom
    build: Callable[[str, Any], Any] | None = None          # (op, value) -> condition, for custom


def to_sql(tree: FilterNode, attributes: dict[str, Attribute], prefix: str = ""):
    if isinstance(tree, LogicalExpr):
        combine = and_ if tree.op == LogicalOperator.and_ else or_
        return combine(*(to_sql(term, attributes, prefix) for term in tree.terms))
    if isinstance(tree, Not):
        return not_(to_sql(tree.expr, attributes, prefix))
    if isinstance(tree, ValuePath):
        return to_sql(tree.val_filter, attributes, prefix=f"{attribute_key(tree.attr_path)}.")
    if not isinstance(tree, (Comparison, Present)):  # the leaves: scim2-models has no other kind of node
        raise ScimError(400, f"unsupported filter {tree}", "invalidFilter")
    path = prefix + attribute_key(tree.attr_path)
    attribute = attributes.get(path)
    if attribute is None:
        raise ScimError(400, f"filtering on {path!r} is not supported", "invalidFilter")
    op, value = ("pr", None) if isinstance(tree, Present) else (tree.op.value, tree.value)
    if attribute.kind == "custom":
        assert attribute.build is not None  # a custom attribute is made with its builder (boolean_attribute)
        return attribute.build(op, value)
    column = attribute.column
    if op == "pr":
        return and_(column.is_not(None), column != "") if attribute.kind == "string" else column.is_not(None)
    if value is None:
        if op == "eq":
            return column.is_(None)
        if op == "ne":
            return column.is_not(None)
        raise ScimError(400, f"{op} null is not a comparison", "invalidFilter")
    if attribute.kind == "datetime":
        try:
            value = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ScimError(400, f"{path} needs a date-time, got {value!r}", "invalidFilter") from None
        if value.tzinfo is None:
            raise ScimError(400, f"{path} needs a date-time with a zone", "invalidFilter")
        if op not in ("eq", "ne", "gt", "ge", "lt", "le"):
            raise ScimError(400, f"{op} does not apply to a date-time", "invalidFilter")
        return _compare(column, op, value)
    if not isinstance(value, str):
        raise ScimError(400, f"{path} is a string; got {value!r}", "invalidFilter")
    lowered, value = func.lower(column), value.lower()
    if op == "co":
        return lowered.contains(value, autoescape=True)
    if op == "sw":
        return lowered.startswith(value, autoescape=True)
    if op == "ew":
        return lowered.endswith(value, autoescape=True)
    if op == "ne":
        return or_(column.is_(None), lowered != value)
    return _compare(lowered, op, value)


def _compare(column, op: str, value):
    return {"eq": column.__eq__, "ne": column.__ne__, "gt": column.__gt__, "ge": column.__ge__,
            "lt": column.__lt__, "le": column.__le__}[op](value)


def boolean_attribute(when_true, when_false) -> Attribute:
    """A boolean attribute stored as two conditions (e.g. `active`: status other than terminated)."""
    def build(op: str, value: Any):
        if op == "pr":
            return true()
        if op not in ("eq", "ne") or not isinstance(value, bool):
            raise ScimError(400, "a boolean takes eq or ne with true or false", "invalidFilter")
        return when_true if (value if op == "eq" else not value) else when_false
    return Attribute(kind="custom", build=build)


__all__ = ["parse_filter", "to_sql", "Attribute", "boolean_attribute", "attribute_key"]
