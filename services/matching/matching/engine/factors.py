"""What each factor means, as plain rules on one pair: the values are in [0, 1], higher is a better
match. The vectorized scoring and the explanations both build on these, so a pair is judged the
same way whether the whole cohort is scored or one pair is explained."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from matching.engine.model import BIPARTITE_PROGRAM_TYPES, FACTORS

NEUTRAL = 0.5  # what a factor is worth when the data to judge it is missing

# Skill levels in quarters (beginner .25 ... expert 1): integers, so a mentee's matched points add up
# exactly whatever the order of the sum, and a block of rows scores bit-for-bit like a single row.
LEVEL_POINTS = {"beginner": 1, "intermediate": 2, "advanced": 3, "expert": 4}
UNKNOWN_LEVEL_POINTS = 2
FULL_POINTS = 4
# A mentor who is an expert in three of the things a mentee asks for covers the mentee fully: a long
# wish list should not make every mentor look poor.
TAGS_FOR_FULL_MATCH = 3
TAG_SHARE_WITH_TEXT = 0.7  # the rest is the free-text similarity, when the mentee wrote something

# Seniority: how far the mentor is above the mentee, in bands. One to three bands is the sweet spot;
# a peer or a much more senior mentor is less useful; a mentor below the mentee is of no use.
SENIORITY_BY_GAP = {0: 0.4, 1: 1.0, 2: 1.0, 3: 1.0, 4: 0.7, 5: 0.5}
SENIORITY_FAR_ABOVE = 0.3

HOURS_FOR_FULL_OVERLAP = 10.0  # ten shared hours a week is plenty to find a meeting slot


def normalized_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Every factor's weight, summing to 1; a factor left out weighs 0."""
    unknown = sorted(set(weights) - set(FACTORS))
    if unknown:
        raise ValueError(f"unknown matching factors: {', '.join(unknown)}")
    if any(float(weight) < 0 for weight in weights.values()):
        raise ValueError("factor weights must not be negative")
    total = sum(float(weights.get(factor, 0.0)) for factor in FACTORS)
    if total <= 0:
        raise ValueError("factor weights must add up to more than 0")
    return {factor: float(weights.get(factor, 0.0)) / total for factor in FACTORS}


def check_program_type(program_type: str) -> None:
    if program_type not in BIPARTITE_PROGRAM_TYPES:
        raise ValueError(f"program type {program_type!r} is not one the engine matches "
                         f"({', '.join(BIPARTITE_PROGRAM_TYPES)})")


def goal_shares(has_tags: bool, has_text: bool) -> tuple[float, float]:
    """How much of goals_skills comes from the tag match and how much from the text similarity."""
    if has_tags and has_text:
        return TAG_SHARE_WITH_TEXT, 1.0 - TAG_SHARE_WITH_TEXT
    return (1.0, 0.0) if has_tags else (0.0, 1.0) if has_text else (0.0, 0.0)


def tag_match(points: float | np.ndarray, wanted: int | np.ndarray) -> float | np.ndarray:
    """Skill-level points a mentor scores on a mentee's wanted tags -> [0, 1] (one pair's, or arrays of them)."""
    scale = 1.0 / (FULL_POINTS * np.minimum(np.maximum(wanted, 1), TAGS_FOR_FULL_MATCH))
    return np.minimum(points * scale, 1.0)


def seniority_gap(mentee_band: int | None, mentor_band: int | None, program_type: str) -> int | None:
    """Bands by which the side that should be senior is (reverse mentoring: the mentee, else the mentor)."""
    if mentee_band is None or mentor_band is None:
        return None
    return mentee_band - mentor_band if program_type == "reverse" else mentor_band - mentee_band


def seniority(mentee_band: int | None, mentor_band: int | None, program_type: str) -> float:
    gap = seniority_gap(mentee_band, mentor_band, program_type)
    if gap is None:
        return NEUTRAL
    return 0.0 if gap < 0 else SENIORITY_BY_GAP.get(gap, SENIORITY_FAR_ABOVE)


def working_hours_overlap(minutes: np.ndarray | int) -> np.ndarray:
    """Shared working minutes a week -> [0, 1], saturating at HOURS_FOR_FULL_OVERLAP."""
    return np.minimum(np.asarray(minutes, dtype=np.float64) / (60.0 * HOURS_FOR_FULL_OVERLAP), 1.0)


def department_key(name: str | None) -> str | None:
    return name.strip().casefold() or None if name else None


def cross_department(mentee_department: str | None, preferred: frozenset[str], mentor_department: str | None) -> float:
    """1 when the mentor brings another department's view (or one the mentee asked for), 0 when they
    share a department, neutral when a department is unknown. Arguments are department_key()s."""
    if mentor_department is not None and mentor_department in preferred:
        return 1.0
    if mentee_department is None or mentor_department is None:
        return NEUTRAL
    return 1.0 if mentee_department != mentor_department else 0.0
