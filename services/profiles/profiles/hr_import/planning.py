"""An HR file's rows + the people already known -> what an import would do. Pure: the caller applies
the plan in one transaction, and only when `plan.ok` (a file is applied all or nothing); a dry run
just shows the plan.

Each valid row lands in exactly one of: `creates` (new employee id), `deactivations` (an existing
person whose status becomes terminated; any other changed fields ride along in `changed`), `updates`
(an existing person with other changes, including a return from terminated), or the `unchanged`
count. `moves` lists, again, the changes among updates and deactivations whose department or
manager changed (the service emits person-moved for them). A row with an error is in none of them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from profiles.hr_import.managers import describe_loop, find_loops
from profiles.hr_import.parsing import HrRow, ParsedFile, RowError
from profiles.hr_import.values import FIELD_ORDER, FIELDS

if TYPE_CHECKING:
    from profiles.domain.people import Person


@dataclass(frozen=True, slots=True)
class ExistingPerson:
    """A person the tenant already has, as the planner needs them. Any object with these attributes
    will do (the domain Person too: `id` is read when `person_id` is absent; skills may be dicts
    {"name", "level"} or (name, level) pairs)."""

    person_id: str
    employee_id: str
    name: str
    email: str
    time_zone: str
    status: str = "active"
    title: str | None = None
    department: str | None = None
    location: str | None = None
    manager_employee_id: str | None = None
    languages: Sequence[str] = ()
    seniority_band: int | None = None
    skills: Sequence[Any] = ()


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """A row that changes an existing person: which fields differ, in field order."""

    row: HrRow
    person_id: str
    changed: tuple[str, ...]

    @property
    def employee_id(self) -> str:
        return self.row.employee_id

    def changes(self) -> dict[str, Any]:
        """Only the changed fields with their new values, e.g. for change_person()."""
        values = self.row.values()
        return {name: values[name] for name in self.changed}


@dataclass
class ImportPlan:
    creates: list[HrRow] = field(default_factory=list)
    updates: list[PlannedChange] = field(default_factory=list)
    deactivations: list[PlannedChange] = field(default_factory=list)
    moves: list[PlannedChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the plan may be applied: any error refuses the whole file."""
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {"creates": len(self.creates), "updates": len(self.updates),
                "deactivations": len(self.deactivations), "moves": len(self.moves),
                "unchanged": self.unchanged, "errors": len(self.errors)}


def plan_file(parsed: ParsedFile, existing: Mapping[str, ExistingPerson | Person], *,
              reserved_emails: Collection[str] = ()) -> ImportPlan:
    """plan_import for the result of parse_hr_file, carrying its row errors along."""
    return plan_import(parsed.rows, existing, parse_errors=parsed.errors,
                       rejected_employee_ids=parsed.rejected_employee_ids, reserved_emails=reserved_emails)


def plan_import(rows: Sequence[HrRow], existing: Mapping[str, ExistingPerson | Person], *,
                parse_errors: Iterable[RowError] = (),
                rejected_employee_ids: Collection[str] = (), reserved_emails: Collection[str] = ()) -> ImportPlan:
    """Plan the import of valid `rows` against `existing` (employee id -> person).

    `rejected_employee_ids`: ids on rows refused while parsing; they are in the file, so naming
    them as a manager is not a second error. `reserved_emails`: emails of people outside the sync
    (no employee id), which the per-tenant unique email forbids giving to someone else.
    """
    errors: list[RowError] = list(parse_errors)
    refused: set[str] = set()  # employee ids of rows with an error found here

    def refuse(row: HrRow, name: str, message: str) -> None:
        errors.append(RowError(row.line, name, message))
        refused.add(row.employee_id)

    in_file: dict[str, HrRow] = {}
    for row in rows:
        if row.employee_id in in_file:  # parse_hr_file already refuses these; rows may come from elsewhere
            errors.append(RowError(row.line, "employee_id", f"employee id {row.employee_id} already appears on "
                                                            f"line {in_file[row.employee_id].line}"))
        else:
            in_file[row.employee_id] = row
    rows = list(in_file.values())

    _check_managers_exist(rows, in_file, existing, rejected_employee_ids, refuse)
    _check_manager_loops(rows, in_file, existing, refused, refuse)
    _check_emails(rows, in_file, existing, rejected_employee_ids, reserved_emails, refuse)

    plan = ImportPlan()
    for row in rows:
        if row.employee_id in refused:
            continue
        person = existing.get(row.employee_id)
        if person is None:
            plan.creates.append(row)
            continue
        changed = tuple(name for name in FIELDS
                        if name in row.fields_in_file
                        and _comparable(name, getattr(row, name)) != _comparable(name, getattr(person, name, None)))
        if not changed:
            plan.unchanged += 1
            continue
        change = PlannedChange(row=row, person_id=_person_id(person), changed=changed)
        if "status" in changed and row.status == "terminated":
            plan.deactivations.append(change)
        else:
            plan.updates.append(change)
        if "department" in changed or "manager_employee_id" in changed:
            plan.moves.append(change)
    errors.sort(key=lambda error: (error.line, FIELD_ORDER.get(error.field or "", -1)))
    plan.errors = errors
    return plan


def _check_managers_exist(rows, in_file, existing, rejected, refuse) -> None:
    for row in rows:
        manager = row.manager_employee_id
        if manager is None or "manager_employee_id" not in row.fields_in_file:
            continue
        if manager == row.employee_id:
            refuse(row, "manager_employee_id", "a person cannot be their own manager")
        elif manager not in in_file and manager not in existing and manager not in rejected:
            refuse(row, "manager_employee_id", f"manager {manager} is neither in this file nor already known")


def _check_manager_loops(rows, in_file, existing, refused, refuse) -> None:
    """Loops in the manager graph as it would be after the import (the file overrides what is known).
    A loop made only of edges already known is not this file's doing, and is not reported."""

    def manager_of(employee_id: str) -> str | None:
        row = in_file.get(employee_id)
        if row is not None and "manager_employee_id" in row.fields_in_file:
            manager = None if employee_id in refused else row.manager_employee_id
        else:
            person = existing.get(employee_id)
            manager = getattr(person, "manager_employee_id", None) if person is not None else None
        return None if manager == employee_id else manager

    for loop in find_loops((row.employee_id for row in rows), manager_of):
        members = [(index, in_file[employee_id]) for index, employee_id in enumerate(loop) if employee_id in in_file]
        if not any("manager_employee_id" in row.fields_in_file for _, row in members):
            continue
        for index, row in members:
            refuse(row, "manager_employee_id", describe_loop(loop, index))


def _check_emails(rows, in_file, existing, rejected, reserved_emails, refuse) -> None:
    """Emails are unique per tenant: check them as they would be after the import."""
    reserved = {email.strip().lower() for email in reserved_emails}
    owner: dict[str, str] = {}
    for employee_id, person in existing.items():
        if employee_id not in in_file and employee_id not in rejected and getattr(person, "email", None):
            owner[person.email.strip().lower()] = employee_id
    for row in rows:
        other = owner.get(row.email)
        if row.email in reserved:
            refuse(row, "email", f"email {row.email} belongs to a person who is not synced from HR")
        elif other is None:
            owner[row.email] = row.employee_id
        elif other in in_file:
            refuse(row, "email", f"email {row.email} is also used by {other} on line {in_file[other].line}")
        else:
            refuse(row, "email", f"email {row.email} already belongs to {other}, who is not in this file")


def _comparable(name: str, value: Any) -> Any:
    """A field's value in one form for both sides: lists vs tuples, dict vs pair skills, '' vs None."""
    if name == "languages":
        return tuple(value or ())
    if name == "skills":
        return tuple((skill["name"], skill["level"]) if isinstance(skill, Mapping) else tuple(skill)
                     for skill in value or ())
    if value == "":
        return None
    return value


def _person_id(person: Any) -> str:
    person_id = getattr(person, "person_id", None)
    return person_id if person_id is not None else person.id
