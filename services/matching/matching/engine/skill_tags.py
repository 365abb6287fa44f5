"""The tag half of goals_skills as matrices: which tags each mentee wants (its goals and preferred
skills) and each mentor's skill level per tag, so that a block of mentees is matched against every
mentor by one sparse-by-dense product."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.engine.factors import LEVEL_POINTS, UNKNOWN_LEVEL_POINTS
from matching.engine.model import Participant


def tag_key(tag: str) -> str:
    return tag.strip().casefold()


def wanted_tags(mentee: Participant) -> tuple[str, ...]:
    """What a mentee hopes to learn: its goals and the skills it would like its mentor to have."""
    return tuple(sorted({tag_key(tag) for tag in (*mentee.goals, *mentee.preferred_skills) if tag_key(tag)}))


def skill_points(mentor: Participant) -> dict[str, int]:
    """A mentor's level per skill tag, in quarter points (its best level if a tag is listed twice)."""
    points: dict[str, int] = {}
    for tag, level in mentor.skills:
        key = tag_key(tag)
        if key:
            points[key] = max(points.get(key, 0), LEVEL_POINTS.get(level.strip().lower(), UNKNOWN_LEVEL_POINTS))
    return points


@dataclass(frozen=True)
class SkillTags:
    vocabulary: tuple[str, ...]   # every tag some mentor has, sorted
    mentee_wanted: sp.csr_matrix  # (mentees, vocabulary) float32, 1 where the mentee wants the tag
    wanted_counts: np.ndarray     # int32 per mentee: all wanted tags, also those no mentor has
    mentor_points: np.ndarray     # (vocabulary, mentors) float32, 0..4 quarter points

    def points(self, mentees: slice | np.ndarray) -> np.ndarray:
        """Points each mentor scores on the wanted tags of `mentees` (a slice or row indices; exact
        small integers)."""
        return self.mentee_wanted[mentees] @ self.mentor_points


def skill_tags(wanted: Sequence[tuple[str, ...]], mentor_skills: Sequence[dict[str, int]]) -> SkillTags:
    """From each mentee's wanted_tags() and each mentor's skill_points()."""
    vocabulary = tuple(sorted({tag for skills in mentor_skills for tag in skills}))
    column = {tag: index for index, tag in enumerate(vocabulary)}
    mentor_points = np.zeros((len(vocabulary), len(mentor_skills)), np.float32)
    for mentor_index, skills in enumerate(mentor_skills):
        for tag, points in skills.items():
            mentor_points[column[tag], mentor_index] = points
    rows, columns = [], []
    for mentee_index, tags in enumerate(wanted):
        for tag in tags:
            if tag in column:
                rows.append(mentee_index)
                columns.append(column[tag])
    entries = (np.array(rows, np.int32), np.array(columns, np.int32))
    mentee_wanted = sp.csr_matrix((np.ones(len(rows), np.float32), entries),
                                  shape=(len(wanted), len(vocabulary)))
    mentee_wanted.sort_indices()
    counts = np.array([len(tags) for tags in wanted], dtype=np.int32)
    return SkillTags(vocabulary, mentee_wanted, counts, mentor_points)
