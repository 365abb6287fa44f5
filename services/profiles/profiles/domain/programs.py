"""Programs: a kind of mentoring and its rules. Cohorts are its runs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import mentoring_shared.contracts.profiles as contracts
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import InvalidField

TYPES = ("classic", "peer", "reverse", "group")
CADENCES = ("weekly", "biweekly", "monthly")
WEIGHT_FACTORS = ("goals_skills", "seniority", "working_hours_overlap", "cross_department")

# Who meets whom, by program type: the roles an enrollment may take.
ROLES_BY_TYPE = {"classic": ("mentor", "mentee"), "reverse": ("mentor", "mentee"), "group": ("mentor", "mentee"),
                 "peer": ("peer",)}

DEFAULT_WEIGHTS = {"goals_skills": 0.5, "seniority": 0.2, "working_hours_overlap": 0.2, "cross_department": 0.1}


@dataclass(frozen=True)
class Program:
    id: str
    tenant_id: str
    name: str
    type: str
    version: int
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    matching_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    meeting_cadence: str = "monthly"
    meeting_minutes: int = 45
    term_months: int = 6
    pulse_first_after_days: int = 30
    pulse_every_days: int = 60
    privacy_threshold: int = 5

    def snapshot(self) -> dict[str, Any]:
        return {"program_id": self.id, "version": self.version, "name": self.name, "type": self.type,
                "description": self.description, "matching_weights": dict(self.matching_weights),
                "meeting_cadence": self.meeting_cadence, "meeting_minutes": self.meeting_minutes,
                "term_months": self.term_months, "pulse_first_after_days": self.pulse_first_after_days,
                "pulse_every_days": self.pulse_every_days, "privacy_threshold": self.privacy_threshold}

    def upserted_event(self) -> DomainEvent:
        return DomainEvent(contracts.PROGRAM_UPSERTED_V1, self.tenant_id, self.id, self.snapshot())


EDITABLE = ("name", "type", "description", "matching_weights", "meeting_cadence", "meeting_minutes", "term_months",
            "pulse_first_after_days", "pulse_every_days", "privacy_threshold")


def create_program(*, program_id: str, tenant_id: str, now: datetime,
                   **settings: Any) -> tuple[Program, list[DomainEvent]]:
    program = Program(id=program_id, tenant_id=tenant_id, version=1, created_at=now, updated_at=now,
                      **_validated(settings))
    return program, [program.upserted_event()]


def change_program(program: Program, changes: dict[str, Any], now: datetime) -> tuple[Program, list[DomainEvent]]:
    values = _validated(changes)
    changed = {name: value for name, value in values.items() if getattr(program, name) != value}
    if not changed:
        return program, []
    updated = replace(program, **changed, version=program.version + 1, updated_at=now)
    return updated, [updated.upserted_event()]


def duplicate_program(program: Program, *, program_id: str, name: str,
                      now: datetime) -> tuple[Program, list[DomainEvent]]:
    """A new program with the same settings: organizations reuse a proven program as a template."""
    settings = {name_: getattr(program, name_) for name_ in EDITABLE if name_ != "name"}
    return create_program(program_id=program_id, tenant_id=program.tenant_id, now=now, name=name, **settings)


def _validated(settings: dict[str, Any]) -> dict[str, Any]:
    unknown = set(settings) - set(EDITABLE)
    if unknown:
        raise InvalidField(sorted(unknown)[0], "is not a program setting")
    out = dict(settings)
    if "name" in out:
        out["name"] = out["name"].strip()
        if not out["name"]:
            raise InvalidField("name", "must not be blank")
    if "type" in out and out["type"] not in TYPES:
        raise InvalidField("type", f"must be one of {', '.join(TYPES)}")
    if "meeting_cadence" in out and out["meeting_cadence"] not in CADENCES:
        raise InvalidField("meeting_cadence", f"must be one of {', '.join(CADENCES)}")
    if "matching_weights" in out:
        weights = {**DEFAULT_WEIGHTS, **(out["matching_weights"] or {})}
        unknown_factors = set(weights) - set(WEIGHT_FACTORS)
        if unknown_factors:
            raise InvalidField("matching_weights", f"unknown factor {sorted(unknown_factors)[0]!r}; factors are "
                                                   f"{', '.join(WEIGHT_FACTORS)}")
        if any(weight < 0 for weight in weights.values()) or not sum(weights.values()) > 0:
            raise InvalidField("matching_weights", "weights must be zero or more, and not all zero")
        out["matching_weights"] = {factor: float(weights[factor]) for factor in WEIGHT_FACTORS}
    return out
