"""Importing an HR file: plan against the tenant's people, then apply all of it or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mentoring_shared.errors import InvalidField
from mentoring_shared.ids import new_id
from profiles.domain import people as domain
from profiles.hr_import import ColumnMapping, HrFileError, ImportPlan, RowError, parse_hr_file, plan_file
from profiles.unit_of_work import ProfilesUnitOfWork

Progress = Callable[[int, int], None]  # (people written so far, people to write)


@dataclass
class ImportReport:
    dry_run: bool
    applied: bool
    summary: dict[str, int]
    errors: list[RowError] = field(default_factory=list)

    @classmethod
    def of(cls, plan: ImportPlan, dry_run: bool, applied: bool) -> "ImportReport":
        return cls(dry_run=dry_run, applied=applied, summary=plan.summary(), errors=plan.errors)


CHUNK = 1000  # people per statement: bounded memory and a progress bar that moves


def _chunks(items: list) -> list[list]:
    return [items[start:start + CHUNK] for start in range(0, len(items), CHUNK)]


def import_people(tenant_id: str, data: bytes, mapping: ColumnMapping, dry_run: bool, uow: ProfilesUnitOfWork,
                  progress: Progress | None = None) -> ImportReport:
    """Upsert people by employee id from an HR file. A dry run, or a file with any error, writes
    nothing; otherwise every create, change, move and deactivation commits in one transaction with
    its events."""
    try:
        parsed = parse_hr_file(data, mapping)
    except HrFileError as error:
        raise InvalidField(error.field or "file", str(error)) from None
    with uow:
        existing = uow.people.by_employee_id(tenant_id)
        plan = plan_file(parsed, existing, reserved_emails=uow.people.emails_without_employee_id(tenant_id))
        if dry_run or not plan.ok:
            return ImportReport.of(plan, dry_run, applied=False)
        now = datetime.now(UTC)
        changes = plan.updates + plan.deactivations
        total, done = len(plan.creates) + len(changes), 0
        for chunk in _chunks(plan.creates):
            created = [domain.register_person(person_id=new_id(), tenant_id=tenant_id, now=now, **row.values())
                       for row in chunk]
            uow.people.add_many([person for person, _ in created])
            uow.publish(event for _, events in created for event in events)
            done += len(chunk)
            if progress:
                progress(done, total)
        for chunk in _chunks(changes):
            changed = [domain.change_person(existing[change.employee_id], change.changes(), now) for change in chunk]
            uow.people.save_many([person for person, _ in changed])
            uow.publish(event for _, events in changed for event in events)
            done += len(chunk)
            if progress:
                progress(done, total)
        uow.commit()
    return ImportReport.of(plan, dry_run, applied=True)
