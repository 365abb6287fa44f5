"""Cell values of an HR file: one parser per person field, turning what HR systems export into the
values the profiles service stores. Each parser returns the normalized value or raises CellError
with a message written for the person who fixes the file.

The rules match `profiles.domain.people` (emails lowercased, languages lowercased and each once in
order, one level per skill), so a re-import of the same file finds nothing to change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mentoring_shared.time_zones import is_iana_time_zone

# Person fields an HR file may carry, in the order errors and changes are listed. The others
# (goals, interests, roles, working hours, capacity) are self-declared in the app.
FIELDS: tuple[str, ...] = ("employee_id", "name", "email", "title", "department", "location",
                           "manager_employee_id", "time_zone", "languages", "seniority_band", "skills", "status")
REQUIRED_FIELDS: frozenset[str] = frozenset({"employee_id", "name", "email", "time_zone"})
FIELD_ORDER: dict[str, int] = {name: index for index, name in enumerate(FIELDS)}

STATUSES = ("active", "on_leave", "terminated")
SKILL_LEVELS = ("beginner", "intermediate", "advanced", "expert")

MAX_EMPLOYEE_ID = 64
MAX_NAME = 200
MAX_TEXT = 200
MAX_EMAIL = 320
MAX_SKILL_NAME = 100

# Words HR systems use for employment status, after folding case, "_" and "-" to spaces.
_STATUS_WORDS = {
    "active": "active", "a": "active", "employed": "active",
    "leave": "on_leave", "on leave": "on_leave", "loa": "on_leave", "leave of absence": "on_leave",
    "terminated": "terminated", "inactive": "terminated", "t": "terminated", "term": "terminated",
    "left": "terminated",
}
_LIST_SEPARATORS = re.compile(r"[;,\n\r]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_LANGUAGE = re.compile(r"^[a-z]{2,8}(-[a-z0-9]{1,8})*$")


class CellError(ValueError):
    """A cell that cannot become a valid field value; the message says why and what would do."""


def _one_line(cell: str) -> str:
    # Multi-line cells and doubled spaces are export artefacts, not meaning, in single-line fields.
    return " ".join(cell.split())


def employee_id(cell: str) -> str:
    value = cell.strip()
    if not value:
        raise CellError("employee id is required")
    if len(value) > MAX_EMPLOYEE_ID:
        raise CellError(f"employee id is longer than {MAX_EMPLOYEE_ID} characters")
    return value


def name(cell: str) -> str:
    value = _one_line(cell)
    if not value:
        raise CellError("name is required")
    if len(value) > MAX_NAME:
        raise CellError(f"name is longer than {MAX_NAME} characters")
    return value


def email(cell: str) -> str:
    value = cell.strip().lower()
    if not value:
        raise CellError("email is required")
    if len(value) > MAX_EMAIL:
        raise CellError(f"email is longer than {MAX_EMAIL} characters")
    if not _EMAIL.match(value):
        raise CellError(f"{cell.strip()!r} is not an email address")
    return value


def optional_text(cell: str) -> str | None:
    value = _one_line(cell)
    if not value:
        return None
    if len(value) > MAX_TEXT:
        raise CellError(f"longer than {MAX_TEXT} characters")
    return value


def manager_employee_id(cell: str) -> str | None:
    value = cell.strip()
    if not value:
        return None
    if len(value) > MAX_EMPLOYEE_ID:
        raise CellError(f"manager employee id is longer than {MAX_EMPLOYEE_ID} characters")
    return value


def time_zone(cell: str) -> str:
    value = cell.strip()
    if not value:
        raise CellError("time zone is required (an IANA name such as Europe/Paris)")
    if not is_iana_time_zone(value):
        raise CellError(f"unknown time zone {value!r}; use an IANA name such as Europe/Paris or America/New_York")
    return value


def languages(cell: str) -> list[str]:
    seen: dict[str, None] = {}
    for part in _LIST_SEPARATORS.split(cell):
        tag = part.strip().lower().replace("_", "-")
        if not tag:
            continue
        if not _LANGUAGE.match(tag):
            raise CellError(f"{part.strip()!r} is not a language tag such as en or pt-br")
        seen.setdefault(tag, None)
    return list(seen)


def seniority_band(cell: str) -> int | None:
    value = cell.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 10:
        raise CellError(f"seniority band must be a whole number from 1 to 10, got {value!r}")
    return int(value)


def skills(cell: str) -> list[dict[str, str]]:
    """'Python:expert; SQL:advanced' -> [{'name': 'Python', 'level': 'expert'}, ...]."""
    found: dict[str, dict[str, str]] = {}
    for part in _LIST_SEPARATORS.split(cell):
        if not part.strip():
            continue
        skill_name, colon, level_word = part.rpartition(":")
        if not colon:
            skill = _one_line(part)
            raise CellError(f"skill {skill} has no level; write it as {skill}:<level> with a level of "
                            f"{', '.join(SKILL_LEVELS)}")
        skill_name, level = _one_line(skill_name), level_word.strip().lower()
        if not skill_name:
            raise CellError(f"skill level {level_word.strip()!r} has no skill name before it")
        if len(skill_name) > MAX_SKILL_NAME:
            raise CellError(f"skill name {skill_name[:20]}... is longer than {MAX_SKILL_NAME} characters")
        if level not in SKILL_LEVELS:
            raise CellError(f"unknown skill level {level_word.strip()!r} for {skill_name}; levels are "
                            f"{', '.join(SKILL_LEVELS)}")
        key = skill_name.lower()
        if key in found and found[key]["level"] != level:
            raise CellError(f"skill {skill_name} is listed twice, as {found[key]['level']} and {level}")
        found.setdefault(key, {"name": skill_name, "level": level})
    return list(found.values())


def status(cell: str) -> str:
    word = " ".join(cell.replace("_", " ").replace("-", " ").split()).lower()
    if not word:
        return "active"
    try:
        return _STATUS_WORDS[word]
    except KeyError:
        raise CellError(f"unknown status {cell.strip()!r}; use active, on leave or terminated (HR words such as "
                        f"employed, LOA, inactive or term are understood too)") from None


# Our field -> its cell parser.
PARSERS: dict[str, Callable[[str], Any]] = {
    "employee_id": employee_id, "name": name, "email": email, "title": optional_text,
    "department": optional_text, "location": optional_text, "manager_employee_id": manager_employee_id,
    "time_zone": time_zone, "languages": languages, "seniority_band": seniority_band, "skills": skills,
    "status": status,
}

# The value a field takes when the file does not carry it (a create gets these).
DEFAULTS: dict[str, Any] = {"title": None, "department": None, "location": None, "manager_employee_id": None,
                            "languages": [], "seniority_band": None, "skills": [], "status": "active"}
