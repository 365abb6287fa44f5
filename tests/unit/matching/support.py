"""Small cohorts for the engine's tests: people with sensible defaults, overridden per test."""

from __future__ import annotations

from datetime import date

from matching.engine.model import MatchingProblem, Participant, WorkingHours


def person(person_id: str, /, **fields: object) -> Participant:
    values: dict[str, object] = {"slots": 1, "employee_id": f"E-{person_id}", "time_zone": "Europe/London",
                                 "languages": ("en",), "department": "Engineering", "seniority_band": 4}
    values.update(fields)
    return Participant(person_id, **values)


def hours(start: str = "09:00", end: str = "17:00", days: tuple[int, ...] = (1, 2, 3, 4, 5)) -> WorkingHours:
    return WorkingHours(start, end, days)


def problem(mentees: list[Participant], mentors: list[Participant], *, weights: dict[str, float] | None = None,
            **fields: object) -> MatchingProblem:
    values: dict[str, object] = {"program_type": "classic", "reference_date": date(2026, 1, 5),
                                 "weights": weights or {"goals_skills": 0.4, "seniority": 0.2,
                                                        "working_hours_overlap": 0.2, "cross_department": 0.2}}
    values.update(fields)
    return MatchingProblem(mentees=tuple(mentees), mentors=tuple(mentors), **values)


def only(factor: str) -> dict[str, float]:
    """Weights under which the score is that one factor's value (x 1000)."""
    return {factor: 1.0}
