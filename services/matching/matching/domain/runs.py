"""Matching runs: a proposal for a whole cohort, reviewed by a program manager, then approved
(its pairs become matches) unless something it was computed from has changed since."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import mentoring_shared.contracts.matching as contracts
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import Conflict


@dataclass(frozen=True)
class MatchingRun:
    id: str
    tenant_id: str
    cohort_id: str
    program_id: str
    status: str                    # proposed | approved | superseded
    fingerprint: str
    inputs: dict[str, Any]         # ids, versions and digests of everything the run read; pins and forbids
    summary: dict[str, Any]
    created_by: str
    created_at: datetime
    approved_by: str | None = None
    approved_at: datetime | None = None


def completed_event(run: MatchingRun) -> DomainEvent:
    summary = run.summary
    return DomainEvent(contracts.RUN_COMPLETED_V1, run.tenant_id, run.id, {
        "run_id": run.id, "cohort_id": run.cohort_id, "program_id": run.program_id,
        "mentees": summary["mentees"], "mentors": summary["mentors"], "pairs": summary["pairs"],
        "unmatched_mentees": len(summary["unmatched"]), "total_score": summary["total_score"],
        "proven_optimal": summary["proof"]["proven"], "distribution": summary["distribution"],
        "duration_ms": summary["duration_ms"]})


def approve(run: MatchingRun, current_digests: dict[str, str], by: str, now: datetime) -> MatchingRun:
    """Refuse anything but the cohort's latest proposal computed from what is true now."""
    if run.status == "approved":
        raise Conflict("this run is already approved", current_status=run.status)
    if run.status == "superseded":
        raise Conflict("this proposal is stale: a newer run replaced it", current_status=run.status)
    changed = sorted(name for name, digest in run.inputs["digests"].items() if current_digests.get(name) != digest)
    if changed:
        raise Conflict(f"this proposal is stale: {', '.join(changed)} changed since the run; run matching again",
                       changed_inputs=changed)
    return replace(run, status="approved", approved_by=by, approved_at=now)
