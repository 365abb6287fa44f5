"""Everything the scoring needs about one cohort, computed from a MatchingProblem once, when first
needed: participants in the engine's order (sorted by person id), skill and text matrices, the
per-signature tables and the sparse exclusions. Built for all mentees (score a cohort) or a few of
them (one mentee's row, explanations); the mentor side and the fitted text model are the same
either way, which is what makes a pair score identically in both."""

from __future__ import annotations

import ctypes
import gc
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property, partial

import numpy as np

from matching.engine import factors
from matching.engine.exclusions import (
    LANGUAGE,
    NO_SHARED_WORKING_TIME,
    RULES,
    PairList,
    language_table,
    sparse_exclusions,
    too_little_working_time,
)
from matching.engine.model import MatchingProblem, Participant
from matching.engine.signature_tables import SignatureTable, signature_table
from matching.engine.skill_tags import SkillTags, skill_points, skill_tags, wanted_tags
from matching.engine.text_similarity import TextSimilarity, has_goal_text, text_similarity
from matching.engine.working_time import working_time_table


class NotInCohort(LookupError):
    """A person id that is not among the cohort's mentees (or mentors)."""


class PreparedCohort:
    """One cohort's mentees (all, or a few) against all its mentors. Each part is computed the first
    time it is needed, so a question about the hard rules alone does not fit a text model."""

    def __init__(self, problem: MatchingProblem, mentee_ids: Sequence[str] | None = None):
        factors.check_program_type(problem.program_type)
        self.problem = problem
        self.weights = factors.normalized_weights(problem.weights)   # sum to 1
        self._cohort_mentees = _sorted(problem.mentees, "mentee")
        self.mentees: tuple[Participant, ...] = self._cohort_mentees     # sorted by person id
        if mentee_ids is not None:
            chosen = sorted(set(mentee_ids))
            if len(chosen) < len(self._cohort_mentees):
                self.mentees = tuple(self._cohort_mentees[_position(self._cohort_mentees, person_id, "mentee")]
                                     for person_id in chosen)
        self.mentors: tuple[Participant, ...] = _sorted(problem.mentors, "mentor")

    def mentee_index(self, person_id: str) -> int:
        return _lookup(self._mentee_positions, person_id, "mentee")

    def mentor_index(self, person_id: str) -> int:
        return _lookup(self._mentor_positions, person_id, "mentor")

    @cached_property
    def _mentee_positions(self) -> dict[str, int]:
        return {person.person_id: index for index, person in enumerate(self.mentees)}

    @cached_property
    def _mentor_positions(self) -> dict[str, int]:
        return {person.person_id: index for index, person in enumerate(self.mentors)}

    @cached_property
    def wanted_tags(self) -> tuple[tuple[str, ...], ...]:
        """Per mentee: the tags it wants (goals and preferred skills)."""
        return tuple(wanted_tags(mentee) for mentee in self.mentees)

    @cached_property
    def skill_points(self) -> tuple[dict[str, int], ...]:
        """Per mentor: skill tag -> level points."""
        return tuple(skill_points(mentor) for mentor in self.mentors)

    @cached_property
    def tags(self) -> SkillTags:
        return skill_tags(self.wanted_tags, self.skill_points)

    @cached_property
    def text(self) -> TextSimilarity:
        # fitted on the whole cohort's texts even for a few mentees: a pair scores the same either way
        whole_cohort = self.mentees is self._cohort_mentees
        return text_similarity(self._cohort_mentees, self.mentors, None if whole_cohort else self.mentees)

    @cached_property
    def goal_shares(self) -> np.ndarray:
        """float64 (mentees, 2): the shares of goals_skills from the tag match and from the text."""
        shares = [factors.goal_shares(bool(wanted), has_goal_text(mentee))
                  for wanted, mentee in zip(self.wanted_tags, self.mentees)]
        return np.array(shares, dtype=np.float64).reshape(len(self.mentees), 2)

    @cached_property
    def seniority(self) -> SignatureTable:
        """float64 values in [0, 1]."""
        return signature_table([person.seniority_band for person in self.mentees],
                               [person.seniority_band for person in self.mentors],
                               partial(factors.seniority, program_type=self.problem.program_type), np.float64)

    @cached_property
    def working_minutes(self) -> SignatureTable:
        """int32 minutes a week in common."""
        return working_time_table(self.mentees, self.mentors, self.problem.reference_date)

    @cached_property
    def departments(self) -> SignatureTable:
        """float64 values in [0, 1]."""
        return signature_table([_department_signature(person) for person in self.mentees],
                               [factors.department_key(person.department) for person in self.mentors],
                               _cross_department, np.float64)

    @cached_property
    def language_clash(self) -> SignatureTable:
        """bool: the language rule excludes the pair."""
        return language_table(self.mentees, self.mentors)

    @cached_property
    def sparse_exclusions(self) -> dict[str, PairList]:
        return sparse_exclusions(self.problem, self.mentees, self.mentors)

    @cached_property
    def _sparse_keys(self) -> dict[str, np.ndarray]:
        # pair lists are sorted by (mentee, mentor), so row * mentors + column is sorted too
        return {code: rows.astype(np.int64) * len(self.mentors) + columns
                for code, (rows, columns) in self.sparse_exclusions.items()}

    def broken_rules(self, mentees: np.ndarray, mentors: np.ndarray,
                     codes: Iterable[str] = tuple(RULES)) -> dict[str, np.ndarray]:
        """Per rule, whether it excludes each given (mentee index, mentor index) pair (bool arrays)."""
        mentees, mentors = np.asarray(mentees, np.int64), np.asarray(mentors, np.int64)
        broken: dict[str, np.ndarray] = {}
        for code in codes:
            if code == LANGUAGE:
                table = self.language_clash
                broken[code] = table.table[table.mentee_keys[mentees], table.mentor_keys[mentors]].astype(bool)
            elif code == NO_SHARED_WORKING_TIME:
                table = self.working_minutes
                minutes = table.table[table.mentee_keys[mentees], table.mentor_keys[mentors]]
                broken[code] = too_little_working_time(minutes, self.problem.meeting_minutes)
            else:
                keys, wanted = self._sparse_keys[code], mentees * len(self.mentors) + mentors
                found = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
                broken[code] = (keys[found] == wanted) if len(keys) else np.zeros(len(wanted), bool)
        return broken

    def exclusion_counts(self, mentee: int) -> dict[str, int]:
        """Per rule, how many mentors it excludes for one mentee."""
        every_mentor = np.arange(len(self.mentors))
        broken = self.broken_rules(np.full(len(self.mentors), mentee), every_mentor)
        return {code: int(mask.sum()) for code, mask in broken.items()}


def _position(people: Sequence[Participant], person_id: str, role: str) -> int:
    # people are sorted by person id, so a binary search finds one among 20,000 without an index
    low = bisect_left(people, person_id, key=lambda person: person.person_id)
    if low == len(people) or people[low].person_id != person_id:
        raise NotInCohort(f"{person_id!r} is not a {role} of this cohort")
    return low


def _lookup(positions: dict[str, int], person_id: str, role: str) -> int:
    if person_id not in positions:
        raise NotInCohort(f"{person_id!r} is not a {role} of this cohort")
    return positions[person_id]


def _sorted(people: Sequence[Participant], role: str) -> tuple[Participant, ...]:
    ordered = tuple(sorted(people, key=lambda person: person.person_id))
    for before, after in zip(ordered, ordered[1:]):
        if before.person_id == after.person_id:
            raise ValueError(f"{role} {before.person_id!r} is listed twice")
    return ordered


def _department_signature(person: Participant) -> tuple[str | None, frozenset[str]]:
    preferred = (factors.department_key(name) for name in person.preferred_departments)
    return factors.department_key(person.department), frozenset(name for name in preferred if name)


def _cross_department(mentee: tuple[str | None, frozenset[str]], mentor: str | None) -> float:
    return factors.cross_department(mentee[0], mentee[1], mentor)


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Preparing a large cohort allocates about a million small objects that all stay alive; the
    cyclic garbage collector would rescan the whole heap several times over for garbage that is not
    there (a third of the time of scoring 20,000 x 4,000). Nested or concurrent uses are safe: only
    the one that paused it turns it back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def return_freed_memory() -> None:
    """Hand the blocks malloc keeps after they were freed back to the system. Threads that worked
    through a large cohort leave hundreds of MB in their arenas, which would otherwise add to the
    peak of whatever comes next. glibc only: elsewhere a no-op."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def prepare_cohort(problem: MatchingProblem, mentee_ids: Sequence[str] | None = None) -> PreparedCohort:
    """Prepare the whole cohort, or only the mentees `mentee_ids` against every mentor."""
    return PreparedCohort(problem, mentee_ids)
