"""Helpers for HR import tests: a plain mapping whose headers are our field names, CSV bytes from
dicts, and 'existing' people as they would be after applying a plan."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from profiles.hr_import import ColumnMapping, ExistingPerson, HrRow, parse_hr_file, plan_file
from profiles.hr_import.values import FIELDS

SAMPLES = Path(__file__).parent / "samples"
PLAIN = ColumnMapping.from_dict({name: name for name in FIELDS})


def person(employee_id: str, /, **fields: object) -> dict[str, object]:
    values: dict[str, object] = {
        "employee_id": employee_id, "name": f"Person {employee_id}", "email": f"{employee_id.lower()}@example.com",
        "title": "Engineer", "department": "Engineering", "location": "Paris", "manager_employee_id": "",
        "time_zone": "Europe/Paris", "languages": "en", "seniority_band": "3", "skills": "Python:advanced",
        "status": "Active"}
    values.update(fields)
    return values


def csv_bytes(rows: list[dict[str, object]], header: list[str] | None = None) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header or list(FIELDS), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def applied(rows: list[HrRow], before: dict[str, ExistingPerson] | None = None) -> dict[str, ExistingPerson]:
    """The people after a plan's rows were written (what the service would load next time)."""
    people = dict(before or {})
    for row in rows:
        previous = people.get(row.employee_id)
        values = {name: getattr(previous, name) for name in FIELDS} if previous else {}
        values.update(row.values())
        people[row.employee_id] = ExistingPerson(person_id=f"p-{row.employee_id}", **values)
    return people


def plan_csv(rows: list[dict[str, object]], existing: dict[str, ExistingPerson] | None = None):
    return plan_file(parse_hr_file(csv_bytes(rows), PLAIN), existing or {})
