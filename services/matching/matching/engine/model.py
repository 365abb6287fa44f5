"""What the engine works on: the participants of one cohort and the program's rules. Built by the
service from its read model (or by the benchmark's generator); the engine never reads a database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

# Scores are integers 0..SCORE_SCALE (shown to people as 0.000..1.000), so a whole cohort's score
# matrix fits in int16 and the flow solver works on exact integers.
SCORE_SCALE = 1000
EXCLUDED = -1  # a pair a hard rule forbids

FACTORS = ("goals_skills", "seniority", "working_hours_overlap", "cross_department")
BIPARTITE_PROGRAM_TYPES = ("classic", "reverse", "group")


@dataclass(frozen=True)
class WorkingHours:
    """When a person can meet, in their own IANA time zone: "HH:MM" to "HH:MM" on ISO weekdays (1 = Monday)."""

    start: str = "09:00"
    end: str = "17:00"
    days: tuple[int, ...] = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Participant:
    """A person enrolled in the cohort, with what matching needs from their profile and enrollment."""

    person_id: str
    slots: int                                   # mentees: mentors wanted; mentors: capacity left
    employee_id: str | None = None
    department: str | None = None
    title: str | None = None
    seniority_band: int | None = None
    languages: tuple[str, ...] = ()              # lower-case tags
    skills: tuple[tuple[str, str], ...] = ()     # (tag, level): beginner | intermediate | advanced | expert
    interests: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()                  # tags: the enrollment's goals, else the person's
    goals_text: str | None = None                # free text: the enrollment's, else the person's
    time_zone: str = "UTC"
    working_hours: WorkingHours = field(default_factory=WorkingHours)
    preferred_skills: tuple[str, ...] = ()       # tags the participant hopes the other side has
    preferred_languages: tuple[str, ...] = ()    # if given, the other side must speak one of them
    preferred_departments: tuple[str, ...] = ()
    avoid_person_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchingProblem:
    """One cohort to match. Pairs are always (mentee id, mentor id)."""

    program_type: str                            # classic | reverse | group
    weights: Mapping[str, float]                 # factor -> weight (FACTORS); normalized by the engine
    mentees: tuple[Participant, ...]
    mentors: tuple[Participant, ...]
    # employee id -> manager's employee id, for everyone in the tenant (chains pass through people
    # who are not enrolled).
    managers: Mapping[str, str | None] = field(default_factory=dict)
    previous_pairs: frozenset[tuple[str, str]] = frozenset()   # matched before, in any cohort
    forbidden_pairs: frozenset[tuple[str, str]] = frozenset()  # forbidden by the program manager
    pinned_pairs: tuple[tuple[str, str], ...] = ()             # must be in the result
    meeting_minutes: int = 45                    # a pair needs this much shared working time a week
    reference_date: date = date(2026, 1, 5)      # week on which time zones are compared (DST-aware)
