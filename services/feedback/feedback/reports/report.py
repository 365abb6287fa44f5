"""Program reports as plain, JSON-ready dicts, for the API to render:

- `cohort_report`: one cohort (`groups` holds it alone, `total` is None);
- `program_report`: one program, a group per cohort and the program as `total`;
- `tenant_report`: every program of the tenant, a group per program and the tenant as `total`.

Each returns None when its scope has no pairs, sessions, requests, feedback or goals at all (an
unknown cohort or program, or one of another tenant). Figures and the privacy rule: privacy.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from feedback.reports import privacy, queries
from feedback.reports.queries import DEFAULT_PRIVACY_THRESHOLD, Scope

PRIVACY_RULE = ("Figures built from people's answers (response rate, average rating, NPS) are withheld when fewer "
                "people than the privacy threshold answered, or when the group has fewer pairs than the threshold; "
                "counts of pairs, sessions, hours and goals are always shown.")


def _threshold(settings: dict[str, dict], program_id: str | None) -> int:
    found = settings.get(program_id) if program_id else None
    return max(1, found["privacy_threshold"]) if found else DEFAULT_PRIVACY_THRESHOLD


def _group(kind: str, group_id: str | None, program_id: str | None, settings: dict[str, dict], threshold: int,
           counts: dict | None) -> dict[str, Any]:
    program = settings.get(program_id) if program_id else None
    return {"kind": kind, "id": group_id, "program_id": program_id,
            "program_name": program["name"] if program else None,
            "privacy_threshold": threshold, **privacy.group_figures(queries.complete(counts), threshold)}


def _envelope(kind: str, tenant_id: str, now: datetime, threshold: int, groups: list, total: dict | None,
              **ids: str | None) -> dict[str, Any]:
    return {"report": kind, "tenant_id": tenant_id, **ids, "generated_at": now.isoformat(),
            "privacy_threshold": threshold, "privacy_rule": PRIVACY_RULE, "groups": groups, "total": total}


def cohort_report(session: Session, tenant_id: str, cohort_id: str, now: datetime) -> dict[str, Any] | None:
    scope = Scope(tenant_id, cohort_id=cohort_id)
    counts = queries.all_counts(session, scope, None, now)
    if not counts:
        return None
    program_id = queries.cohort_programs(session, scope).get(cohort_id)
    settings = queries.program_settings(session, tenant_id, [program_id] if program_id else [])
    threshold = _threshold(settings, program_id)
    group = _group("cohort", cohort_id, program_id, settings, threshold, counts.get(None))
    return _envelope("cohort", tenant_id, now, threshold, [group], None, cohort_id=cohort_id, program_id=program_id)


def program_report(session: Session, tenant_id: str, program_id: str, now: datetime) -> dict[str, Any] | None:
    scope = Scope(tenant_id, program_id=program_id)
    total_counts = queries.all_counts(session, scope, None, now)
    if not total_counts:
        return None
    by_cohort = queries.all_counts(session, scope, "cohort_id", now)
    settings = queries.program_settings(session, tenant_id, [program_id])
    threshold = _threshold(settings, program_id)
    groups = [_group("cohort", cohort_id, program_id, settings, threshold, counts)
              for cohort_id, counts in sorted(by_cohort.items())]
    total = _group("program", program_id, program_id, settings, threshold, total_counts.get(None))
    privacy.suppress_complementary(groups, total, threshold)
    return _envelope("program", tenant_id, now, threshold, groups, total, program_id=program_id)


def tenant_report(session: Session, tenant_id: str, now: datetime) -> dict[str, Any] | None:
    scope = Scope(tenant_id)
    total_counts = queries.all_counts(session, scope, None, now)
    if not total_counts:
        return None
    by_program = queries.all_counts(session, scope, "program_id", now)
    settings = queries.program_settings(session, tenant_id, list(by_program))
    # across programs, the strictest program's threshold
    threshold = max((_threshold(settings, program_id) for program_id in by_program), default=DEFAULT_PRIVACY_THRESHOLD)
    groups = [_group("program", program_id, program_id, settings, _threshold(settings, program_id), counts)
              for program_id, counts in by_program.items()]
    groups.sort(key=lambda group: (group["program_name"] or "", group["id"] or ""))
    total = _group("tenant", tenant_id, None, settings, threshold, total_counts.get(None))
    privacy.suppress_complementary(groups, total, threshold)
    return _envelope("tenant", tenant_id, now, threshold, groups, total)
