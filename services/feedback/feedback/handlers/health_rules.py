"""A program's own pair-health thresholds, which its organizers read and set."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from feedback.health import HealthRules, InvalidRule
from feedback.repositories.programs import ProgramsRepository
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.errors import InvalidField, NotFound


def _program_rules(program_id: str, overrides: dict[str, Any]) -> dict[str, Any]:
    return {"program_id": program_id, "overrides": overrides, "rules": asdict(HealthRules.from_mapping(overrides))}


def _require_program(programs: ProgramsRepository, tenant_id: str, program_id: str) -> None:
    if not programs.known(tenant_id, program_id):
        raise NotFound(f"no program {program_id} in this tenant")


def program_health_rules(programs: ProgramsRepository, tenant_id: str, program_id: str) -> dict[str, Any]:
    """The thresholds that judge the program's pairs: its overrides over the defaults."""
    _require_program(programs, tenant_id, program_id)
    return _program_rules(program_id, programs.health_overrides(tenant_id, program_id))


def set_program_health_rules(tenant_id: str, program_id: str, overrides: dict[str, Any], by: str,
                             uow: FeedbackUnitOfWork) -> dict[str, Any]:
    """Set the program's thresholds (none: back to the defaults); the next evaluation uses them."""
    try:
        HealthRules.from_mapping(overrides)
    except InvalidRule as error:  # thresholds out of order, say
        raise InvalidField(f"overrides.{error.setting}", str(error)) from None
    with uow:
        _require_program(uow.programs, tenant_id, program_id)
        uow.programs.set_health_overrides(tenant_id, program_id, overrides, datetime.now(UTC), by)
        uow.commit()
    return _program_rules(program_id, overrides)
