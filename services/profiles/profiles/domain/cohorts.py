"""Cohorts: one run of a program, with an explicit lifecycle from draft to closed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import mentoring_shared.contracts.profiles as contracts
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import Conflict, InvalidField

# The lifecycle. `enrolling -> draft` and `matching -> enrolling` let organizers reopen a step;
# a cohort is archived only before it starts or after it closes.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("enrolling", "archived"),
    "enrolling": ("matching", "draft"),
    "matching": ("active", "enrolling"),
    "active": ("closing",),
    "closing": ("closed",),
    "closed": ("archived",),
    "archived": (),
}
STATUSES = tuple(TRANSITIONS)


class InvalidTransition(Conflict):
    def __init__(self, current: str, wanted: str):
        allowed = TRANSITIONS[current]
        super().__init__(f"a {current} cohort cannot become {wanted}; it can become: "
                         f"{', '.join(allowed) if allowed else 'nothing (it is final)'}",
                         current_status=current, allowed_statuses=list(allowed))


@dataclass(frozen=True)
class Cohort:
    id: str
    tenant_id: str
    program_id: str
    name: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    starts_on: date | None = None
    ends_on: date | None = None

    def snapshot(self) -> dict[str, Any]:
        return {"cohort_id": self.id, "version": self.version, "program_id": self.program_id, "name": self.name,
                "status": self.status, "starts_on": self.starts_on.isoformat() if self.starts_on else None,
                "ends_on": self.ends_on.isoformat() if self.ends_on else None}

    def upserted_event(self) -> DomainEvent:
        return DomainEvent(contracts.COHORT_UPSERTED_V1, self.tenant_id, self.id, self.snapshot())

    @property
    def accepts_enrollments(self) -> bool:
        return self.status == "enrolling"


def create_cohort(*, cohort_id: str, tenant_id: str, program_id: str, name: str, now: datetime,
                  starts_on: date | None = None, ends_on: date | None = None) -> tuple[Cohort, list[DomainEvent]]:
    name = name.strip()
    if not name:
        raise InvalidField("name", "must not be blank")
    _check_dates(starts_on, ends_on)
    cohort = Cohort(id=cohort_id, tenant_id=tenant_id, program_id=program_id, name=name, status="draft",
                    version=1, created_at=now, updated_at=now, starts_on=starts_on, ends_on=ends_on)
    return cohort, [cohort.upserted_event()]


def change_cohort(cohort: Cohort, changes: dict[str, Any], now: datetime) -> tuple[Cohort, list[DomainEvent]]:
    """Rename or re-date a cohort (not its status: that goes through `transition`)."""
    unknown = set(changes) - {"name", "starts_on", "ends_on"}
    if unknown:
        raise InvalidField(sorted(unknown)[0], "is not a cohort setting (status changes via its own route)")
    if cohort.status in ("closed", "archived"):
        raise Conflict(f"a {cohort.status} cohort cannot be changed")
    values = dict(changes)
    if "name" in values:
        values["name"] = values["name"].strip()
        if not values["name"]:
            raise InvalidField("name", "must not be blank")
    _check_dates(values.get("starts_on", cohort.starts_on), values.get("ends_on", cohort.ends_on))
    changed = {name: value for name, value in values.items() if getattr(cohort, name) != value}
    if not changed:
        return cohort, []
    updated = replace(cohort, **changed, version=cohort.version + 1, updated_at=now)
    return updated, [updated.upserted_event()]


def transition(cohort: Cohort, wanted: str, now: datetime) -> tuple[Cohort, list[DomainEvent]]:
    if wanted not in TRANSITIONS:
        raise InvalidField("status", f"must be one of {', '.join(STATUSES)}")
    if wanted not in TRANSITIONS[cohort.status]:
        raise InvalidTransition(cohort.status, wanted)
    updated = replace(cohort, status=wanted, version=cohort.version + 1, updated_at=now)
    changed = DomainEvent(contracts.COHORT_STATUS_CHANGED_V1, cohort.tenant_id, cohort.id, {
        "cohort_id": cohort.id, "program_id": cohort.program_id, "version": updated.version,
        "from_status": cohort.status, "to_status": wanted})
    return updated, [updated.upserted_event(), changed]


def duplicate_cohort(cohort: Cohort, *, cohort_id: str, name: str, now: datetime, starts_on: date | None,
                     ends_on: date | None) -> tuple[Cohort, list[DomainEvent]]:
    """The next run of the same program: a new draft cohort, without the enrollments."""
    return create_cohort(cohort_id=cohort_id, tenant_id=cohort.tenant_id, program_id=cohort.program_id, name=name,
                         now=now, starts_on=starts_on, ends_on=ends_on)


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on <= starts_on:
        raise InvalidField("ends_on", "must be after starts_on")
