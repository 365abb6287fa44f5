"""The aggregate SQL behind program reports: one query per figure family (pairs, sessions,
feedback requests, feedback, goals), each grouped by cohort, by program or not at all, and each
filtered on the tenant first. SQLAlchemy Core only, so it runs on SQLite and PostgreSQL alike.

Each function returns `{group id: counts}`; with `group_by=None` the single key is `None`.
Nothing here computes a rate or decides what may be shown: that is privacy.py's job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, distinct, func, literal, or_, select
from sqlalchemy.orm import Session

from feedback.orm import feedback, feedback_requests, goals, pairs, programs, sessions

DEFAULT_PRIVACY_THRESHOLD = 5
GROUP_COLUMNS = ("cohort_id", "program_id")


@dataclass(frozen=True)
class Scope:
    """Which rows a report covers: a tenant's, narrowed to one cohort or one program."""
    tenant_id: str
    cohort_id: str | None = None
    program_id: str | None = None

    def where(self, table) -> list:
        conditions = [table.c.tenant_id == self.tenant_id]
        if self.cohort_id is not None:
            conditions.append(table.c.cohort_id == self.cohort_id)
        if self.program_id is not None:
            conditions.append(table.c.program_id == self.program_id)
        return conditions


def _count_if(condition) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _grouped(session: Session, table, scope: Scope, group_by: str | None, columns: dict[str, Any]) -> dict:
    if group_by is not None and group_by not in GROUP_COLUMNS:
        raise ValueError(f"cannot group a report by {group_by!r}")
    key = table.c[group_by] if group_by else literal(None)
    statement = select(key.label("group_id"), *(column.label(name) for name, column in columns.items())) \
        .where(*scope.where(table))
    if group_by:
        statement = statement.group_by(table.c[group_by])
    result: dict = {}
    for row in session.execute(statement).mappings():
        counts = {name: (int(row[name]) if row[name] is not None else None) for name in columns}
        if group_by is None and not any(counts.values()):
            continue  # an aggregate without GROUP BY returns a row even over no rows
        result[row["group_id"]] = counts
    return result


def pair_counts(session: Session, scope: Scope, group_by: str | None) -> dict:
    """Participation and pairs at risk."""
    return _grouped(session, pairs, scope, group_by, {
        "pairs": func.count(),
        "mentees": func.count(distinct(pairs.c.mentee_id)),
        "mentors": func.count(distinct(pairs.c.mentor_id)),
        "active_pairs": _count_if(pairs.c.status == "active"),
        "ended_pairs": _count_if(pairs.c.status == "ended"),
        "pairs_at_risk": _count_if(and_(pairs.c.status == "active", pairs.c.health == "at_risk")),
    })


def session_counts(session: Session, scope: Scope, group_by: str | None) -> dict:
    """Sessions by outcome and the minutes of the completed ones."""
    return _grouped(session, sessions, scope, group_by, {
        "sessions_completed": _count_if(sessions.c.status == "completed"),
        "sessions_cancelled": _count_if(sessions.c.status == "cancelled"),
        "sessions_no_show": _count_if(sessions.c.status == "no_show"),
        "sessions_scheduled": _count_if(sessions.c.status == "scheduled"),
        "completed_minutes": func.coalesce(
            func.sum(case((sessions.c.status == "completed", sessions.c.minutes), else_=0)), 0),
    })


def _per_author(session: Session, table, author, scope: Scope, group_by: str | None, per_author: dict[str, Any],
                totals: dict[str, Any]) -> dict:
    """Two steps, for figures that count distinct people: per (group, author) first, then per group.
    Hashing authors once was 2-4x faster on PostgreSQL at 200,000 rows than COUNT(DISTINCT CASE ...),
    which sorts (and spills past work_mem) once per distinct count. `totals` are built over the inner columns
    (`inner.c.<name>`), given as functions of the inner subquery."""
    if group_by is not None and group_by not in GROUP_COLUMNS:
        raise ValueError(f"cannot group a report by {group_by!r}")
    key = table.c[group_by] if group_by else literal(None)
    inner = select(key.label("group_id"), author.label("author_id"),
                   *(column.label(name) for name, column in per_author.items())) \
        .where(*scope.where(table)).group_by(*([table.c[group_by]] if group_by else []), author).subquery()
    outer_key = inner.c.group_id if group_by else literal(None).label("group_id")
    statement = select(outer_key, *(build(inner).label(name) for name, build in totals.items()))
    if group_by:
        statement = statement.group_by(inner.c.group_id)
    result: dict = {}
    for row in session.execute(statement).mappings():
        counts = {name: int(row[name] or 0) for name in totals}
        if group_by is None and not any(counts.values()):
            continue
        result[row["group_id"]] = counts
    return result


def _sum(name: str):
    return lambda inner: func.coalesce(func.sum(inner.c[name]), 0)


def _people_with(name: str):
    """Distinct authors with at least one of `name` (an erased author through their stand-in)."""
    return lambda inner: _count_if(and_(inner.c.author_id.isnot(None), inner.c[name] > 0))


def request_counts(session: Session, scope: Scope, group_by: str | None, now: datetime) -> dict:
    """Feedback requests that have fallen due (or were answered early) and how many were answered.
    Requests still open before their due date are not yet a non-response."""
    requests = feedback_requests
    due = or_(requests.c.status == "answered", requests.c.due_at <= now)
    return _per_author(session, requests, requests.c.author_id, scope, group_by, {
        "requests": func.count(),
        "requests_due": _count_if(due),
        "requests_answered": _count_if(requests.c.status == "answered"),
    }, {
        "requests": _sum("requests"),
        "requests_due": _sum("requests_due"),
        "requests_answered": _sum("requests_answered"),
        "requests_due_authors": _people_with("requests_due"),
    })


def feedback_counts(session: Session, scope: Scope, group_by: str | None) -> dict:
    """Ratings and the NPS question (`recommend`, 0-10), with the distinct people behind each."""
    # an erased author counts through their stand-in, so each respondent is still counted once
    author = func.coalesce(feedback.c.author_id, feedback.c.anonymous_author)
    return _per_author(session, feedback, author, scope, group_by, {
        "ratings": func.count(feedback.c.rating),
        "rating_sum": func.coalesce(func.sum(feedback.c.rating), 0),
        "recommend_responses": func.count(feedback.c.recommend),
        "promoters": _count_if(feedback.c.recommend >= 9),
        "detractors": _count_if(and_(feedback.c.recommend.isnot(None), feedback.c.recommend <= 6)),
    }, {
        "ratings": _sum("ratings"),
        "rating_sum": _sum("rating_sum"),
        "rating_respondents": _people_with("ratings"),
        "recommend_responses": _sum("recommend_responses"),
        "promoters": _sum("promoters"),
        "detractors": _sum("detractors"),
        "recommend_respondents": _people_with("recommend_responses"),
    })


def goal_counts(session: Session, scope: Scope, group_by: str | None) -> dict:
    return _grouped(session, goals, scope, group_by, {
        "goals": func.count(),
        "goals_achieved": _count_if(goals.c.status == "achieved"),
        "goals_dropped": _count_if(goals.c.status == "dropped"),
    })


def cohort_programs(session: Session, scope: Scope) -> dict[str, str]:
    """Each cohort in the scope with its program (a cohort belongs to one program), from pairs."""
    statement = select(pairs.c.cohort_id, func.min(pairs.c.program_id)).where(*scope.where(pairs)) \
        .group_by(pairs.c.cohort_id)
    return {cohort_id: program_id for cohort_id, program_id in session.execute(statement)}


def program_settings(session: Session, tenant_id: str, program_ids: list[str] | None = None) -> dict[str, dict]:
    """Name and privacy threshold of the tenant's programs (all, or the ones named)."""
    statement = select(programs.c.program_id, programs.c.name, programs.c.privacy_threshold) \
        .where(programs.c.tenant_id == tenant_id)
    if program_ids is not None:
        if not program_ids:
            return {}
        statement = statement.where(programs.c.program_id.in_(sorted(set(program_ids))))
    return {row.program_id: {"name": row.name, "privacy_threshold": row.privacy_threshold}
            for row in session.execute(statement)}


def all_counts(session: Session, scope: Scope, group_by: str | None, now: datetime) -> dict:
    """Every family's counts, merged per group: `{group id: {name: count}}` (five round trips)."""
    merged: dict = {}
    for family in (pair_counts(session, scope, group_by), session_counts(session, scope, group_by),
                   request_counts(session, scope, group_by, now), feedback_counts(session, scope, group_by),
                   goal_counts(session, scope, group_by)):
        for group_id, counts in family.items():
            merged.setdefault(group_id, {}).update(counts)
    return merged


COUNT_NAMES = ("pairs", "mentees", "mentors", "active_pairs", "ended_pairs", "pairs_at_risk", "sessions_completed",
               "sessions_cancelled", "sessions_no_show", "sessions_scheduled", "completed_minutes", "requests",
               "requests_due", "requests_answered", "requests_due_authors", "ratings", "rating_sum",
               "rating_respondents", "recommend_responses", "promoters", "detractors", "recommend_respondents",
               "goals", "goals_achieved", "goals_dropped")


def complete(counts: dict | None) -> dict:
    """A group's counts with every name present (a family with no rows for it counts zero)."""
    counts = counts or {}
    return {name: counts.get(name) or 0 for name in COUNT_NAMES}
