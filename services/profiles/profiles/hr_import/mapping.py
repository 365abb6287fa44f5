"""Which column of an HR export holds which person field. Every HR system names its columns its own
way, and tenants customise their reports, so the mapping is data: a preset per vendor, or a dict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from profiles.hr_import.values import FIELDS, REQUIRED_FIELDS

# Fields whose value may be built from several columns, joined by a space (first + last name).
_MULTI_COLUMN_FIELDS = frozenset({"name"})


class InvalidColumnMapping(ValueError):
    """A mapping that cannot be used; `field` names the offending key."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ColumnMapping:
    """Our field name -> the header of the column that holds it. `name` may be a tuple of headers
    (e.g. first and last name), joined with a space. A field left as None is not in the file: an
    import leaves it untouched on existing people and gives new people the default."""

    employee_id: str
    name: str | tuple[str, ...]
    email: str
    time_zone: str
    title: str | None = None
    department: str | None = None
    location: str | None = None
    manager_employee_id: str | None = None
    languages: str | None = None
    seniority_band: str | None = None
    skills: str | None = None
    status: str | None = None

    def __post_init__(self) -> None:
        for name in FIELDS:
            headers = _as_headers(name, getattr(self, name))
            if name in REQUIRED_FIELDS and not headers:
                raise InvalidColumnMapping(f"{name} is required and must be mapped to a column", field=name)
            if isinstance(getattr(self, name), list):  # keep the mapping immutable and hashable
                object.__setattr__(self, name, tuple(headers))

    def columns(self) -> dict[str, tuple[str, ...]]:
        """Mapped fields only, each with its header names, in field order."""
        out = {}
        for name in FIELDS:
            headers = _as_headers(name, getattr(self, name))
            if headers:
                out[name] = headers
        return out

    @classmethod
    def from_dict(cls, mapping: Mapping[str, str | Sequence[str] | None]) -> "ColumnMapping":
        """Build from configuration, e.g. {"employee_id": "Emp No", "name": ["First", "Last"], ...}."""
        if not isinstance(mapping, Mapping):
            raise InvalidColumnMapping("a column mapping is an object of field name -> column header")
        known = {f.name for f in fields(cls)}
        for key in mapping:
            if key not in known:
                raise InvalidColumnMapping(f"unknown field {key!r} in the column mapping; fields are "
                                           f"{', '.join(FIELDS)}", field=str(key))
        missing = [name for name in FIELDS if name in REQUIRED_FIELDS and not mapping.get(name)]
        if missing:
            raise InvalidColumnMapping(f"the column mapping must map {', '.join(missing)}", field=missing[0])
        values: dict[str, Any] = {}  # field name -> header(s); each field has its own type
        for key, value in mapping.items():
            headers = _as_headers(key, value)
            values[key] = None if not headers else headers[0] if isinstance(value, str) else headers
        return cls(**values)


def _as_headers(field: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        headers: tuple[str, ...] = (value,)
    elif isinstance(value, (list, tuple)):
        headers = tuple(value)
        if len(headers) > 1 and field not in _MULTI_COLUMN_FIELDS:
            raise InvalidColumnMapping(f"{field} must be mapped to one column", field=field)
    else:
        raise InvalidColumnMapping(f"{field} must be mapped to a column header (text)", field=field)
    for header in headers:
        if not isinstance(header, str) or not header.strip():
            raise InvalidColumnMapping(f"{field} is mapped to an empty column header", field=field)
    return headers


# A Workday custom report ("Workers for HR Import") as commonly exported to CSV.
WORKDAY = ColumnMapping(
    employee_id="Employee_ID", name="Worker", email="Work_Email", time_zone="Time_Zone",
    title="Business_Title", department="Supervisory_Organization", location="Location",
    manager_employee_id="Manager_ID", languages="Languages", seniority_band="Job_Level",
    skills="Skills", status="Worker_Status",
)

# A BambooHR custom report: split names, "Employee #" as the id, the supervisor's employee number.
BAMBOOHR = ColumnMapping(
    employee_id="Employee #", name=("First Name", "Last Name"), email="Work Email", time_zone="Time Zone",
    title="Job Title", department="Department", location="Location", manager_employee_id="Supervisor EID",
    languages="Languages", seniority_band="Level", skills="Skills", status="Status",
)

PRESETS: dict[str, ColumnMapping] = {"workday": WORKDAY, "bamboohr": BAMBOOHR}
