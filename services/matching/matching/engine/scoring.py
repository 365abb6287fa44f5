"""Every mentee-mentor pair of a cohort scored 0..SCORE_SCALE, or EXCLUDED where a hard rule forbids
it, as one int16 matrix (20,000 x 4,000 is 160 MB).

The score is the weighted sum of the factors (factors.py), rounded. To make 80 million pairs cheap,
each factor's weight and the scale are folded in before any pair is touched: goals_skills is a
sparse tag product and a sparse text product per block of mentees; seniority, working hours,
departments and languages are rows gathered from small per-signature tables (signature_tables.py),
the language and working-time rules being a large negative number there, so a pair they exclude
ends below zero. Blocks of mentees are scored in float32 on a few threads (NumPy and SciPy release
the GIL) in passes that fit the L2 cache; the extra memory is a few blocks, not a second matrix.

One mentee scored alone gets bit-for-bit the row it gets among 20,000: every step is per row, or
exact (tag points are small integers), and in the same order. That is what lets an explanation
repeat a pair's score exactly."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.engine.exclusions import SPARSE_RULES, too_little_working_time
from matching.engine.factors import FULL_POINTS, TAGS_FOR_FULL_MATCH, working_hours_overlap
from matching.engine.model import EXCLUDED, SCORE_SCALE, MatchingProblem
from matching.engine.prepared_cohort import (
    PreparedCohort,
    garbage_collection_paused,
    prepare_cohort,
    return_freed_memory,
)
from matching.engine.score_summary import KEPT_PER_MENTEE, ScoreSummary, SummaryBuilder, without_inactive

# Far below any score: a pair a table rule excludes stays negative whatever its other factors add.
_RULED_OUT = np.float32(-4 * SCORE_SCALE)
_MAX_THREADS = 8
_CACHE_BYTES = 1024 * 1024               # a pass over a few rows of float32 stays in the L2 cache
_MAX_COMBINED_VALUES = 16 * 1024 * 1024  # 64 MB: above that, signature tables are gathered separately


@dataclass(frozen=True)
class PairScores:
    mentee_ids: tuple[str, ...]      # sorted by person_id (deterministic order)
    mentor_ids: tuple[str, ...]      # sorted by person_id
    scores: np.ndarray               # int16, (n_mentees, n_mentors), EXCLUDED (-1) where a hard rule forbids
    mentee_slots: np.ndarray         # int32, per mentee row
    mentor_slots: np.ndarray         # int32, per mentor column


@dataclass(frozen=True)
class _SignatureSum:
    """The weighted values of two signature tables added together, per pair: one gather per block
    instead of two. Precomputed per distinct pair of mentee signatures when that bank is small;
    otherwise both banks are gathered and added per block, which gives the same float32 numbers."""

    first: np.ndarray                 # bank: rows per mentee signature of the first table, over mentors
    first_keys: np.ndarray
    second: np.ndarray
    second_keys: np.ndarray
    combined: np.ndarray | None       # first[a] + second[b] per distinct (a, b) among mentees
    combined_keys: np.ndarray | None

    @classmethod
    def of(cls, first: np.ndarray, first_keys: np.ndarray,
           second: np.ndarray, second_keys: np.ndarray) -> "_SignatureSum":
        width = second.shape[0]
        pairs, combined_keys = np.unique(first_keys.astype(np.int64) * width + second_keys, return_inverse=True)
        if len(pairs) * first.shape[1] > _MAX_COMBINED_VALUES:
            return cls(first, first_keys, second, second_keys, None, None)
        combined = first[pairs // width] + second[pairs % width]
        return cls(first, first_keys, second, second_keys, combined, combined_keys.reshape(-1).astype(np.int32))

    def gather(self, mentees: slice | np.ndarray, out: np.ndarray, spare: np.ndarray) -> np.ndarray:
        if self.combined is not None and self.combined_keys is not None:   # both set or neither (`of`)
            return np.take(self.combined, self.combined_keys[mentees], axis=0, out=out)
        np.take(self.first, self.first_keys[mentees], axis=0, out=out)
        out += np.take(self.second, self.second_keys[mentees], axis=0, out=spare)
        return out


@dataclass(frozen=True)
class _WeightedParts:
    """The cohort's factors, with weights and SCORE_SCALE folded in, ready to be added up per block."""

    tag_scale: np.ndarray            # float32 per mentee: points -> weighted tag contribution
    tag_cap: np.ndarray              # float32 per mentee: the most the tag match may contribute
    text_vectors: sp.csr_matrix      # mentee text vectors times their weighted text share
    signature_sums: tuple[_SignatureSum, _SignatureSum]


def _weighted_parts(cohort: PreparedCohort) -> _WeightedParts:
    weights = {name: weight * SCORE_SCALE for name, weight in cohort.weights.items()}
    goals = weights["goals_skills"]
    denominators = FULL_POINTS * np.clip(cohort.tags.wanted_counts, 1, TAGS_FOR_FULL_MATCH)
    tag_shares, text_shares = cohort.goal_shares[:, 0], cohort.goal_shares[:, 1]
    tag_cap = goals * tag_shares
    text_vectors = sp.csr_matrix(cohort.text.mentee_vectors, copy=True)
    row_of_entry = np.repeat(np.arange(text_vectors.shape[0]), np.diff(text_vectors.indptr))
    text_vectors.data *= (goals * text_shares).astype(np.float32)[row_of_entry]
    text_vectors.eliminate_zeros()  # mentees without a text of their own: no product work at all
    text_vectors.sort_indices()

    minutes = cohort.working_minutes.table
    hours = np.where(too_little_working_time(minutes, cohort.problem.meeting_minutes), _RULED_OUT,
                     weights["working_hours_overlap"] * working_hours_overlap(minutes))
    # + 0.5 once here, so that truncating the total to an integer rounds it (half up)
    seniority = weights["seniority"] * cohort.seniority.table + 0.5
    departments = weights["cross_department"] * cohort.departments.table
    languages = np.where(cohort.language_clash.table, _RULED_OUT, 0.0)

    def bank(table, values) -> tuple[np.ndarray, np.ndarray]:
        return table.bank(values.astype(np.float32)), table.mentee_keys

    return _WeightedParts(
        (tag_cap / denominators).astype(np.float32), tag_cap.astype(np.float32), text_vectors,
        (_SignatureSum.of(*bank(cohort.seniority, seniority), *bank(cohort.departments, departments)),
         _SignatureSum.of(*bank(cohort.working_minutes, hours), *bank(cohort.language_clash, languages))))


def _score_block(cohort: PreparedCohort, parts: _WeightedParts, mentees: slice | np.ndarray, out: np.ndarray) -> None:
    """Scores of `mentees` (a slice start..stop, or row indices) into `out` (int16), a few
    L2-cache-sized passes at a time. Every step works row by row: a row scores the same either way."""
    step = max(1, _CACHE_BYTES // (4 * max(1, len(cohort.mentors))))
    gathered = np.empty((step, len(cohort.mentors)), np.float32)
    spare = np.empty_like(gathered)
    for first in range(0, len(out), step):
        last = min(first + step, len(out))
        rows = last - first
        which = (slice(mentees.start + first, mentees.start + last) if isinstance(mentees, slice)
                 else mentees[first:last])
        total = cohort.tags.points(which)                         # exact integer points, float32
        total *= parts.tag_scale[which, None]
        np.minimum(total, parts.tag_cap[which, None], out=total)
        total += parts.text_vectors[which] @ cohort.text.mentor_vectors
        for signature_sum in parts.signature_sums:
            total += signature_sum.gather(which, gathered[:rows], spare[:rows])
        np.maximum(total, EXCLUDED, out=total)                   # excluded pairs: -1 after truncation
        out[first:last] = total                                  # float32 -> int16 truncates: rounded


def _score_blocks(cohort: PreparedCohort, chunk_rows: int, destination: Callable[[int, int], np.ndarray],
                  scored: Callable[[int, int, np.ndarray], None] | None = None,
                  parts: _WeightedParts | None = None) -> None:
    """Score the cohort block by block of `chunk_rows` mentees, on a few threads: the int16 scores of
    mentees start..stop go into `destination(start, stop)`, which is then handed to `scored`. The
    sparse rules are not applied here."""
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    parts = parts or _weighted_parts(cohort)

    def score(start: int) -> None:
        stop = min(start + chunk_rows, len(cohort.mentees))
        block = destination(start, stop)
        _score_block(cohort, parts, slice(start, stop), block)
        if scored is not None:
            scored(start, stop, block)

    starts = range(0, len(cohort.mentees), chunk_rows)
    threads = min(os.cpu_count() or 1, len(starts), _MAX_THREADS)
    if threads > 1:
        with ThreadPoolExecutor(threads, thread_name_prefix="score-pairs") as pool:
            list(pool.map(score, starts))  # list() re-raises the first error
    else:
        for start in starts:
            score(start)


def score_prepared(cohort: PreparedCohort, chunk_rows: int = 1024) -> PairScores:
    """Score a prepared cohort: all of its mentees against all mentors."""
    scores = np.empty((len(cohort.mentees), len(cohort.mentors)), np.int16)
    _score_blocks(cohort, chunk_rows, lambda start, stop: scores[start:stop])  # disjoint rows: no lock
    for rows, columns in cohort.sparse_exclusions.values():
        scores[rows, columns] = EXCLUDED
    return PairScores(
        mentee_ids=tuple(person.person_id for person in cohort.mentees),
        mentor_ids=tuple(person.person_id for person in cohort.mentors),
        scores=scores,
        mentee_slots=np.array([person.slots for person in cohort.mentees], dtype=np.int32),
        mentor_slots=np.array([person.slots for person in cohort.mentors], dtype=np.int32),
    )


def scores_of_pairs(cohort: PreparedCohort, mentees: np.ndarray, mentors: np.ndarray,
                    chunk_rows: int = 1024) -> np.ndarray:
    """The scores (int16) of the given (mentee index, mentor index) pairs, exactly as score_prepared
    gives them, holding one block of rows at a time rather than the whole matrix."""
    mentees, mentors = np.asarray(mentees, np.int64), np.asarray(mentors, np.int64)
    result = np.empty(len(mentees), np.int16)
    order = np.argsort(mentees, kind="stable")
    bounds = mentees[order]

    def pick(start: int, stop: int, block: np.ndarray) -> None:
        wanted = order[np.searchsorted(bounds, start):np.searchsorted(bounds, stop)]
        result[wanted] = block[mentees[wanted] - start, mentors[wanted]]

    _score_blocks(cohort, chunk_rows, lambda start, stop: np.empty((stop - start, len(cohort.mentors)), np.int16),
                  pick)
    for broken in cohort.broken_rules(mentees, mentors, SPARSE_RULES).values():
        result[broken] = EXCLUDED
    return result


class RowScorer:
    """Exact rows of a prepared cohort on demand, sparse rules (and `also_excluded` pairs, e.g.
    pinned ones) applied, pairs of participants without slots excluded unless asked otherwise:
    what the bounded solver asks for when a mentee's codes are not enough. A row is bit-for-bit the
    one score_prepared gives (every step of the scoring is per row)."""

    def __init__(self, cohort: PreparedCohort, mentee_slots: np.ndarray, mentor_slots: np.ndarray,
                 also_excluded: tuple[np.ndarray, np.ndarray] | None = None, parts: _WeightedParts | None = None):
        self.cohort = cohort
        self.mentee_slots, self.mentor_slots = np.asarray(mentee_slots), np.asarray(mentor_slots)
        self.parts = parts or _weighted_parts(cohort)
        lists = list(cohort.sparse_exclusions.values()) + ([also_excluded] if also_excluded is not None else [])
        rows = np.concatenate([np.asarray(pairs[0], np.int64) for pairs in lists]) if lists else np.zeros(0, np.int64)
        cols = np.concatenate([np.asarray(pairs[1], np.int64) for pairs in lists]) if lists else np.zeros(0, np.int64)
        order = np.argsort(rows, kind="stable")
        self._excluded_rows, self._excluded_cols = rows[order], cols[order]

    def exclude(self, start: int, block: np.ndarray) -> np.ndarray:
        """The rules and inactive participants applied to exact rows start..start+len(block)."""
        low, high = np.searchsorted(self._excluded_rows, [start, start + len(block)])
        block[self._excluded_rows[low:high] - start, self._excluded_cols[low:high]] = EXCLUDED
        return without_inactive(block, self.mentee_slots[start:start + len(block)], self.mentor_slots)

    def __call__(self, rows: np.ndarray, active_only: bool = True) -> np.ndarray:
        """int16 (len(rows), n_mentors) for sorted, distinct mentee rows; with active_only=False the
        pairs of participants without slots keep their scores."""
        rows = np.asarray(rows, np.int64)
        out = np.empty((len(rows), len(self.cohort.mentors)), np.int16)
        _score_block(self.cohort, self.parts, rows, out)
        low, high = np.searchsorted(self._excluded_rows, [rows[0], rows[-1] + 1]) if len(rows) else (0, 0)
        excluded_rows, excluded_cols = self._excluded_rows[low:high], self._excluded_cols[low:high]
        at = np.minimum(np.searchsorted(rows, excluded_rows), max(len(rows) - 1, 0))
        hit = rows[at] == excluded_rows if len(rows) else np.zeros(0, bool)
        out[at[hit], excluded_cols[hit]] = EXCLUDED
        return without_inactive(out, self.mentee_slots[rows], self.mentor_slots) if active_only else out


def summarize_prepared(cohort: PreparedCohort, mentee_slots: np.ndarray, mentor_slots: np.ndarray,
                       keep: int = KEPT_PER_MENTEE, chunk_rows: int = 512,
                       also_excluded: tuple[np.ndarray, np.ndarray] | None = None,
                       parts: _WeightedParts | None = None) -> tuple[ScoreSummary, RowScorer]:
    """Score the whole cohort block by block, as score_prepared does, but keep only its summary
    (score_summary.py) instead of the matrix; and the scorer for rows the solver needs again.
    `also_excluded` pairs (mentee rows, mentor columns) are excluded on top of the rules."""
    scorer = RowScorer(cohort, mentee_slots, mentor_slots, also_excluded, parts)
    builder = SummaryBuilder(len(cohort.mentees), len(cohort.mentors), keep)
    _score_blocks(cohort, chunk_rows, lambda start, stop: np.empty((stop - start, len(cohort.mentors)), np.int16),
                  lambda start, stop, block: builder.add(start, scorer.exclude(start, block)), scorer.parts)
    return_freed_memory()     # the scoring threads' malloc arenas keep the blocks they freed
    return builder.build(), scorer



def score_pairs(problem: MatchingProblem, chunk_rows: int = 1024) -> PairScores:
    """Every mentee (rows) against every mentor (columns), both sorted by person id."""
    with garbage_collection_paused():
        return score_prepared(prepare_cohort(problem), chunk_rows)


def score_one_mentee(problem: MatchingProblem, mentee_id: str) -> PairScores:
    """One mentee's row against every mentor (suggestions, a rematch), scored exactly as score_pairs
    would: the text model is still fitted on the whole cohort's texts."""
    with garbage_collection_paused():
        return score_prepared(prepare_cohort(problem, [mentee_id]))
