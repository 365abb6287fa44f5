"""The SCIM filter grammar (RFC 7644 §3.4.2.2), strictly: a recursive-descent parser to a small
tree, translated to SQLAlchemy conditions (list filters) or evaluated in memory (PATCH value paths).

    filter   := or
    or       := and ("or" and)*
    and      := not ("and" not)*
    not      := "not" "(" filter ")" | atom
    atom     := "(" filter ")" | attrPath "[" filter "]" | attrPath "pr" | attrPath op value
    value    := "string" | true | false | null | number

Attribute names and operators are case-insensitive; a fully qualified schema URN may prefix the
attribute. Anything else is an `invalidFilter` error, raised before a query runs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import and_, false, func, not_, or_, true

from profiles.scim.errors import ScimError

OPERATORS = ("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le")
SCHEMA_URNS = ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:user",
               "urn:ietf:params:scim:schemas:core:2.0:user", "urn:ietf:params:scim:schemas:core:2.0:group")
MAX_FILTER_LENGTH = 2000
MAX_DEPTH = 20

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w:.]))
  | (?P<punct>[()\[\]])
  | (?P<name>(?:urn:[A-Za-z0-9:._-]+:)?[A-Za-z][\w$-]*(?:\.[A-Za-z][\w$-]*)?)
""", re.VERBOSE)


@dataclass(frozen=True)
class Compare:
    path: str       # lowercased, schema URN removed, e.g. "username", "name.formatted", "enterprise:department"
    op: str         # one of OPERATORS, or "pr"
    value: Any = None


@dataclass(frozen=True)
class Logical:
    op: str         # "and" or "or"
    left: Any
    right: Any


@dataclass(frozen=True)
class Not:
    operand: Any


@dataclass(frozen=True)
class ValuePath:
    path: str       # the multi-valued attribute, e.g. "emails", "members"
    filter: Any     # over its sub-attributes


def normalize_path(raw: str) -> str:
    """`urn:...:enterprise:2.0:User:department` -> `enterprise:department`; core URNs drop; lowercased."""
    lowered = raw.lower()
    for urn in SCHEMA_URNS:
        if lowered.startswith(urn + ":"):
            rest = lowered[len(urn) + 1:]
            return f"enterprise:{rest}" if "enterprise" in urn else rest
    if lowered.startswith("urn:"):
        raise ScimError(400, f"unknown schema in attribute path {raw!r}", "invalidPath")
    return lowered


def parse_filter(text: str) -> Any:
    if not isinstance(text, str) or not text.strip():
        raise ScimError(400, "the filter is empty", "invalidFilter")
    if len(text) > MAX_FILTER_LENGTH:
        raise ScimError(400, f"the filter is longer than {MAX_FILTER_LENGTH} characters", "invalidFilter")
    parser = _Parser(_tokens(text), text)
    tree = parser.filter(0)
    if parser.peek() is not None:
        raise parser.error(f"unexpected {parser.peek()[1]!r}")
    return tree


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ScimError(400, f"cannot read the filter at position {position}: {text[position:position + 20]!r}",
                            "invalidFilter")
        if match.lastgroup != "space":
            tokens.append((match.lastgroup, match.group()))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], text: str):
        self._tokens, self._index, self._text = tokens, 0, text

    def peek(self):
        return self._tokens[self._index] if self._index < len(self._tokens) else None

    def take(self):
        token = self.peek()
        if token is None:
            raise self.error("the filter ends too early")
        self._index += 1
        return token

    def error(self, message: str) -> ScimError:
        return ScimError(400, f"invalid filter {self._text!r}: {message}", "invalidFilter")

    def keyword(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "name" and token[1].lower() in words

    def expect(self, punct: str) -> None:
        token = self.take()
        if token != ("punct", punct):
            raise self.error(f"expected {punct!r}, got {token[1]!r}")

    def filter(self, depth: int):
        if depth > MAX_DEPTH:
            raise self.error("too deeply nested")
        left = self.conjunction(depth)
        while self.keyword("or"):
            self.take()
            left = Logical("or", left, self.conjunction(depth))
        return left

    def conjunction(self, depth: int):
        left = self.negation(depth)
        while self.keyword("and"):
            self.take()
            left = Logical("and", left, self.negation(depth))
        return left

    def negation(self, depth: int):
        if self.keyword("not") and self._index + 1 < len(self._tokens) and self._tokens[self._index + 1] == ("punct", "("):
            self.take()
            self.expect("(")
            inner = self.filter(depth + 1)
            self.expect(")")
            return Not(inner)
        return self.atom(depth)

    def atom(self, depth: int):
        token = self.take()
        if token == ("punct", "("):
            inner = self.filter(depth + 1)
            self.expect(")")
            return inner
        if token[0] != "name":
            raise self.error(f"expected an attribute, got {token[1]!r}")
        path = normalize_path(token[1])
        if self.peek() == ("punct", "["):
            self.take()
            inner = self.filter(depth + 1)
            self.expect("]")
            return ValuePath(path, inner)
        operator = self.take()
        if operator[0] != "name" or operator[1].lower() not in OPERATORS + ("pr",):
            raise self.error(f"expected an operator after {token[1]!r}, got {operator[1]!r}")
        op = operator[1].lower()
        if op == "pr":
            return Compare(path, "pr")
        return Compare(path, op, self.value())

    def value(self):
        kind, text = self.take()
        if kind == "string":
            try:
                return json.loads(text)
            except ValueError:
                raise self.error(f"bad string {text!r}") from None
        if kind == "number":
            return float(text) if any(c in text for c in ".eE") else int(text)
        if kind == "name" and text.lower() in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text.lower()]
        raise self.error(f"expected a value, got {text!r}")


# --- to SQL -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attribute:
    """How one SCIM attribute is found in SQL: a string column (compared case-insensitively), a
    timestamp, or a custom builder for booleans and the like."""

    column: Any = None
    kind: str = "string"                                   # string | datetime | custom
    build: Callable[[str, Any], Any] | None = None          # (op, value) -> condition, for custom


def to_sql(tree: Any, attributes: dict[str, Attribute], prefix: str = ""):
    if isinstance(tree, Logical):
        combine = and_ if tree.op == "and" else or_
        return combine(to_sql(tree.left, attributes, prefix), to_sql(tree.right, attributes, prefix))
    if isinstance(tree, Not):
        return not_(to_sql(tree.operand, attributes, prefix))
    if isinstance(tree, ValuePath):
        return to_sql(tree.filter, attributes, prefix=f"{tree.path}.")
    path = prefix + tree.path
    attribute = attributes.get(path)
    if attribute is None:
        raise ScimError(400, f"filtering on {path!r} is not supported", "invalidFilter")
    if attribute.kind == "custom":
        return attribute.build(tree.op, tree.value)
    column = attribute.column
    if tree.op == "pr":
        return and_(column.is_not(None), column != "") if attribute.kind == "string" else column.is_not(None)
    if tree.value is None:
        if tree.op == "eq":
            return column.is_(None)
        if tree.op == "ne":
            return column.is_not(None)
        raise ScimError(400, f"{tree.op} null is not a comparison", "invalidFilter")
    if attribute.kind == "datetime":
        try:
            value = datetime.fromisoformat(str(tree.value).replace("Z", "+00:00"))
        except ValueError:
            raise ScimError(400, f"{path} needs a date-time, got {tree.value!r}", "invalidFilter") from None
        if value.tzinfo is None:
            raise ScimError(400, f"{path} needs a date-time with a zone", "invalidFilter")
        if tree.op not in ("eq", "ne", "gt", "ge", "lt", "le"):
            raise ScimError(400, f"{tree.op} does not apply to a date-time", "invalidFilter")
        return _compare(column, tree.op, value)
    if not isinstance(tree.value, str):
        raise ScimError(400, f"{path} is a string; got {tree.value!r}", "invalidFilter")
    lowered, value = func.lower(column), tree.value.lower()
    if tree.op == "co":
        return lowered.contains(value, autoescape=True)
    if tree.op == "sw":
        return lowered.startswith(value, autoescape=True)
    if tree.op == "ew":
        return lowered.endswith(value, autoescape=True)
    if tree.op == "ne":
        return or_(column.is_(None), lowered != value)
    return _compare(lowered, tree.op, value)


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


# --- in memory (PATCH paths like emails[type eq "work"]) ----------------------------------------

def matches(tree: Any, item: Any) -> bool:
    if isinstance(tree, Logical):
        left = matches(tree.left, item)
        return (left and matches(tree.right, item)) if tree.op == "and" else (left or matches(tree.right, item))
    if isinstance(tree, Not):
        return not matches(tree.operand, item)
    if isinstance(tree, ValuePath):
        raise ScimError(400, "nested value paths are not supported", "invalidFilter")
    value = _lookup(item, tree.path)
    if tree.op == "pr":
        return value not in (None, "", [], {})
    expected = tree.value
    if isinstance(value, str) and isinstance(expected, str):
        value, expected = value.lower(), expected.lower()
    if tree.op == "eq":
        return value == expected
    if tree.op == "ne":
        return value != expected
    if not isinstance(value, str) or not isinstance(expected, str):
        return False
    return {"co": expected in value, "sw": value.startswith(expected), "ew": value.endswith(expected),
            "gt": value > expected, "ge": value >= expected, "lt": value < expected, "le": value <= expected}[tree.op]


def _lookup(item: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(item, dict):
            return None
        item = next((value for key, value in item.items() if key.lower() == part), None)
    return item


__all__ = ["parse_filter", "to_sql", "matches", "Attribute", "boolean_attribute", "normalize_path",
           "Compare", "Logical", "Not", "ValuePath", "false"]
