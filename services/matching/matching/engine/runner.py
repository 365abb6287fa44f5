"""A whole run over one cohort: pins first, then the proven-optimal solve for everyone else, then
each pair's explanation, the score distribution and every unmatched mentee with the reason."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matching.engine.bounded_solver import solve_summarized
from matching.engine.explanations import PairExplanation, exclusion_summaries, explain_pair, explain_pairs
from matching.engine.model import EXCLUDED, SCORE_SCALE, MatchingProblem
from matching.engine.prepared_cohort import garbage_collection_paused, prepare_cohort
from matching.engine.scoring import RowScorer, score_one_mentee, score_pairs, summarize_prepared
from matching.engine.solver import OptimalityProof, solve_cohort


class PinRejected(ValueError):
    """A pinned pair the rules or capacities do not allow; `field` names what is wrong in the pin."""

    def __init__(self, index: int, field: str, message: str):
        super().__init__(message)
        self.index = index
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ProposedPair:
    mentee_id: str
    mentor_id: str
    score: int
    pinned: bool
    explanation: PairExplanation


@dataclass(frozen=True)
class UnmatchedMentee:
    mentee_id: str
    missing: int          # mentors wanted but not found
    reason: str           # no_eligible_mentor | mentors_at_capacity
    detail: str
    excluded_by: dict[str, int]


@dataclass(frozen=True)
class RunOutcome:
    pairs: tuple[ProposedPair, ...]
    unmatched: tuple[UnmatchedMentee, ...]
    total_score: int
    proof: OptimalityProof | None
    distribution: dict
    duration_ms: int


LARGE_COHORT_PAIRS = 200_000_000   # above this many pairs (400 MB as int16) a run scores into the one-byte summary


@dataclass(frozen=True)
class _Solved:
    """A solved run, whichever way the cohort was scored."""

    mentee_ids: tuple[str, ...]
    mentor_ids: tuple[str, ...]
    mentee_slots: np.ndarray                # as wanted, before pins
    chosen: list[tuple[int, int, int, bool]]  # (row, column, score, pinned)
    proof: OptimalityProof | None
    eligible: Callable[[int | np.integer], int]   # non-excluded mentors of a mentee row (pins count as excluded)


def run_matching(problem: MatchingProblem) -> RunOutcome:
    started = time.perf_counter()
    large = len(problem.mentees) * len(problem.mentors) > LARGE_COHORT_PAIRS
    solved = _solve_summarized(problem) if large else _solve_dense(problem)
    chosen = sorted(solved.chosen, key=lambda pair: (solved.mentee_ids[pair[0]], solved.mentor_ids[pair[1]]))
    explanations = explain_pairs(problem, [(solved.mentee_ids[r], solved.mentor_ids[c]) for r, c, _, _ in chosen])
    pairs = tuple(ProposedPair(solved.mentee_ids[r], solved.mentor_ids[c], score, is_pinned, explanation)
                  for (r, c, score, is_pinned), explanation in zip(chosen, explanations))

    matched = np.zeros(len(solved.mentee_ids), dtype=np.int32)
    for row, _, _, _ in chosen:
        matched[row] += 1
    short = np.flatnonzero(matched < solved.mentee_slots)
    excluded_by = exclusion_summaries(problem, [solved.mentee_ids[row] for row in short])
    unmatched = tuple(_unmatched(solved.mentee_ids[row], solved.eligible(row),
                                 int(solved.mentee_slots[row] - matched[row]), excluded_by[solved.mentee_ids[row]])
                      for row in short)
    return RunOutcome(pairs=pairs, unmatched=unmatched, total_score=sum(pair.score for pair in pairs),
                      proof=solved.proof, distribution=score_distribution([pair.score for pair in pairs]),
                      duration_ms=int((time.perf_counter() - started) * 1000))


def _take_pins(problem: MatchingProblem, rows: dict[str, int], columns: dict[str, int],
               score_of: Callable[[int, int], int], mentee_slots: np.ndarray, mentor_slots: np.ndarray
               ) -> list[tuple[int, int, int]]:
    """The pinned pairs as (row, column, score), checked against the rules and capacities; each takes
    one slot on both sides (`mentee_slots` and `mentor_slots` are updated)."""
    pinned: list[tuple[int, int, int]] = []
    for index, (mentee_id, mentor_id) in enumerate(problem.pinned_pairs):
        row, column = rows.get(mentee_id), columns.get(mentor_id)
        if row is None:
            raise PinRejected(index, "mentee_id", "is not a mentee of this cohort who still needs a mentor")
        if column is None:
            raise PinRejected(index, "mentor_id", "is not a mentor of this cohort with capacity left")
        score = score_of(row, column) if (row, column) not in {(r, c) for r, c, _ in pinned} else EXCLUDED
        if score == EXCLUDED:
            rules = "; ".join(text for _, text in explain_pair(problem, mentee_id, mentor_id).exclusions)
            raise PinRejected(index, "mentor_id", f"the pair breaks a hard rule: {rules}")
        if mentee_slots[row] == 0:
            raise PinRejected(index, "mentee_id", "pins more mentors than the mentee wants")
        if mentor_slots[column] == 0:
            raise PinRejected(index, "mentor_id", "pins more mentees than the mentor has capacity for")
        mentee_slots[row] -= 1
        mentor_slots[column] -= 1
        pinned.append((row, column, score))
    return pinned


def _solve_dense(problem: MatchingProblem) -> _Solved:
    scored = score_pairs(problem)
    rows = {person_id: index for index, person_id in enumerate(scored.mentee_ids)}
    columns = {person_id: index for index, person_id in enumerate(scored.mentor_ids)}
    scores, mentee_slots, mentor_slots = scored.scores, scored.mentee_slots.copy(), scored.mentor_slots.copy()
    pinned = _take_pins(problem, rows, columns, lambda row, column: int(scores[row, column]), mentee_slots,
                        mentor_slots)
    for row, column, _ in pinned:
        scores[row, column] = EXCLUDED  # taken: the solver fills the remaining slots around it
    assignment = solve_cohort(scores, mentee_slots, mentor_slots)
    chosen = [(row, column, score, True) for row, column, score in pinned] + [
        (int(row), int(column), int(scores[row, column]), False) for row, column in assignment.pairs]
    return _Solved(scored.mentee_ids, scored.mentor_ids, scored.mentee_slots, chosen, assignment.proof,
                   lambda row: int(np.count_nonzero(scores[row] != EXCLUDED)))


def _solve_summarized(problem: MatchingProblem) -> _Solved:
    """The same run for a cohort too large for the int16 matrix: scored into the one-byte summary
    (score_summary.py) and solved from it (bounded_solver.py); the few exact rows the pins and the
    unmatched mentees need are scored on their own."""
    with garbage_collection_paused():
        cohort = prepare_cohort(problem)
    mentee_ids = tuple(person.person_id for person in cohort.mentees)
    mentor_ids = tuple(person.person_id for person in cohort.mentors)
    wanted = np.array([person.slots for person in cohort.mentees], np.int32)
    mentee_slots, mentor_slots = wanted.copy(), np.array([person.slots for person in cohort.mentors], np.int32)
    any_pair = RowScorer(cohort, mentee_slots, mentor_slots)
    pinned = _take_pins(problem, {person_id: index for index, person_id in enumerate(mentee_ids)},
                        {person_id: index for index, person_id in enumerate(mentor_ids)},
                        lambda row, column: int(any_pair(np.array([row]), active_only=False)[0, column]),
                        mentee_slots, mentor_slots)
    taken = (np.array([row for row, _, _ in pinned], np.int64), np.array([column for _, column, _ in pinned], np.int64))
    with garbage_collection_paused():
        summary, row_scores = summarize_prepared(cohort, mentee_slots, mentor_slots, also_excluded=taken,
                                                 parts=any_pair.parts)
    assignment = solve_summarized(summary, row_scores, mentee_slots, mentor_slots)
    del summary
    # The solve gives its pairs' scores, except the empty assignment (no slots left after the pins): no pairs.
    scores = assignment.scores if assignment.scores is not None else ()
    chosen = [(row, column, score, True) for row, column, score in pinned] + [
        (int(row), int(column), int(score), False) for (row, column), score in zip(assignment.pairs, scores)]
    return _Solved(mentee_ids, mentor_ids, wanted, chosen, assignment.proof,
                   lambda row: int(np.count_nonzero(row_scores(np.array([row]), active_only=False)[0] != EXCLUDED)))


def _unmatched(mentee_id: str, eligible: int, missing: int, excluded_by: dict[str, int]) -> UnmatchedMentee:
    if eligible == 0:
        rules = ", ".join(f"{rule} ({count})" for rule, count in sorted(excluded_by.items()) if count)
        return UnmatchedMentee(mentee_id, missing, "no_eligible_mentor",
                               f"every mentor with capacity left is excluded by a hard rule: {rules or 'none left'}",
                               excluded_by)
    return UnmatchedMentee(mentee_id, missing, "mentors_at_capacity",
                           f"the {eligible} eligible mentors are full with pairs that serve the cohort better",
                           excluded_by)


def score_distribution(scores: list[int]) -> dict:
    if not scores:
        return {"mean": None, "p10": None, "p50": None, "p90": None, "histogram": [0] * 10}
    values = np.asarray(scores, dtype=np.float64) / SCORE_SCALE
    histogram = np.bincount(np.minimum((values * 10).astype(int), 9), minlength=10)
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return {"mean": round(float(values.mean()), 3), "p10": round(float(p10), 3), "p50": round(float(p50), 3),
            "p90": round(float(p90), 3), "histogram": [int(count) for count in histogram]}


@dataclass(frozen=True)
class Suggestion:
    mentor_id: str
    score: int
    slots: int
    explanation: PairExplanation


def suggest_mentors(problem: MatchingProblem, mentee_id: str, limit: int) -> list[Suggestion]:
    """The mentors a mentee could ask, best first: eligible, with capacity left."""
    scored = score_one_mentee(problem, mentee_id)
    row = scored.scores[0]
    eligible = np.flatnonzero((row != EXCLUDED) & (scored.mentor_slots > 0))
    # Best score first; ties by mentor id, so the ranking is stable.
    ranked = sorted(eligible, key=lambda column: (-int(row[column]), scored.mentor_ids[column]))[:limit]
    explanations = explain_pairs(problem, [(mentee_id, scored.mentor_ids[column]) for column in ranked])
    return [Suggestion(scored.mentor_ids[column], int(row[column]), int(scored.mentor_slots[column]), explanation)
            for column, explanation in zip(ranked, explanations)]
