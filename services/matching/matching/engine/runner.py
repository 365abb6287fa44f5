"""A whole run over one cohort: pins first, then the proven-optimal solve for everyone else, then
each pair's explanation, the score distribution and every unmatched mentee with the reason."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from matching.engine.explanations import PairExplanation, exclusion_summaries, explain_pair, explain_pairs
from matching.engine.model import EXCLUDED, SCORE_SCALE, MatchingProblem
from matching.engine.scoring import score_one_mentee, score_pairs
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


def run_matching(problem: MatchingProblem) -> RunOutcome:
    started = time.perf_counter()
    scored = score_pairs(problem)
    rows = {person_id: index for index, person_id in enumerate(scored.mentee_ids)}
    columns = {person_id: index for index, person_id in enumerate(scored.mentor_ids)}
    scores, mentee_slots, mentor_slots = scored.scores, scored.mentee_slots.copy(), scored.mentor_slots.copy()

    pinned: list[tuple[int, int, int]] = []
    for index, (mentee_id, mentor_id) in enumerate(problem.pinned_pairs):
        row, column = rows.get(mentee_id), columns.get(mentor_id)
        if row is None:
            raise PinRejected(index, "mentee_id", "is not a mentee of this cohort who still needs a mentor")
        if column is None:
            raise PinRejected(index, "mentor_id", "is not a mentor of this cohort with capacity left")
        if scores[row, column] == EXCLUDED:
            rules = "; ".join(text for _, text in explain_pair(problem, mentee_id, mentor_id).exclusions)
            raise PinRejected(index, "mentor_id", f"the pair breaks a hard rule: {rules}")
        if mentee_slots[row] == 0:
            raise PinRejected(index, "mentee_id", "pins more mentors than the mentee wants")
        if mentor_slots[column] == 0:
            raise PinRejected(index, "mentor_id", "pins more mentees than the mentor has capacity for")
        mentee_slots[row] -= 1
        mentor_slots[column] -= 1
        pinned.append((row, column, int(scores[row, column])))
        scores[row, column] = EXCLUDED  # taken: the solver fills the remaining slots around it

    assignment = solve_cohort(scores, mentee_slots, mentor_slots)
    chosen = [(row, column, score, True) for row, column, score in pinned] + [
        (int(row), int(column), int(scores[row, column]), False) for row, column in assignment.pairs]
    chosen.sort(key=lambda pair: (scored.mentee_ids[pair[0]], scored.mentor_ids[pair[1]]))
    explanations = explain_pairs(problem, [(scored.mentee_ids[r], scored.mentor_ids[c]) for r, c, _, _ in chosen])
    pairs = tuple(ProposedPair(scored.mentee_ids[r], scored.mentor_ids[c], score, is_pinned, explanation)
                  for (r, c, score, is_pinned), explanation in zip(chosen, explanations))

    matched = np.zeros(len(scored.mentee_ids), dtype=np.int32)
    for row, _, _, _ in chosen:
        matched[row] += 1
    short = np.flatnonzero(matched < scored.mentee_slots)
    excluded_by = exclusion_summaries(problem, [scored.mentee_ids[row] for row in short])
    unmatched = tuple(_unmatched(scored, row, int(scored.mentee_slots[row] - matched[row]),
                                 excluded_by[scored.mentee_ids[row]]) for row in short)
    return RunOutcome(pairs=pairs, unmatched=unmatched, total_score=sum(pair.score for pair in pairs),
                      proof=assignment.proof, distribution=score_distribution([pair.score for pair in pairs]),
                      duration_ms=int((time.perf_counter() - started) * 1000))


def _unmatched(scored, row: int, missing: int, excluded_by: dict[str, int]) -> UnmatchedMentee:
    mentee_id = scored.mentee_ids[row]
    eligible = int(np.count_nonzero(scored.scores[row] != EXCLUDED))
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
