"""solver.solve_cohort for a cohort whose score matrix is summarized (score_summary.py) rather than
held: 100,000 x 20,000 would take 4 GB as int16. The same rounds (candidates, OR-Tools flow,
shortest-path potentials checked on every residual arc, pricing) and the same proof: when no pair
of the whole cohort has a negative reduced cost, the result is optimal. Candidates start from each
mentee's and each mentor's best kept pairs; pricing reads the exact scores of almost every pair
from the one-byte codes and scores the few mentees left again (bounded_pricing.py). A candidate
carries its exact score, so a flow never needs the matrix. (Pricing the kept pairs alone in early
rounds was tried: each round then finds far fewer pairs, and the extra flows cost more than the
passes over every pair they save.)"""

from __future__ import annotations

import numpy as np

from matching.engine.bounded_pricing import RowScores, TakenOut, is_member, price_summarized
from matching.engine.candidates import grow_to_full_cardinality, sorted_unique, top_in_rows, top_per_group
from matching.engine.potentials import CohortFlow, check_feasible, shortest_path_potentials
from matching.engine.prepared_cohort import return_freed_memory
from matching.engine.score_summary import ScoreSummary, decode, is_binned
from matching.engine.solver import (
    MAX_ROUNDS,
    MENTEE_TOP,
    MENTOR_TOP,
    PRICED_PER_MENTEE,
    PRICING_SLACK,
    PRUNE_ABOVE,
    PRUNE_ROUNDS,
    Assignment,
    OptimalityProof,
    empty_assignment,
    pair_bonus,
    solve_flow,
)

_RESCORE_AT_ONCE = 256   # mentees scored again per step of the cardinality growth
_PAIRS_PER_CHUNK = 1 << 20  # kept pairs selected from at a time
_ACROSS_ROWS = 1024      # mentees decoded at a time there...
_ACROSS_ENOUGH = 50_000  # ...until this many pairs across are found


class _Candidates:
    """Candidate pairs as sorted keys (mentee * n_mentors + mentor) with their exact scores."""

    def __init__(self, n_mentors: int, keys: np.ndarray, scores: np.ndarray):
        self.n_mentors = n_mentors
        order = np.argsort(keys, kind="stable")
        keys, scores = keys[order], scores[order]
        first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, bool)
        self.keys, self.scores = keys[first].astype(np.int64), scores[first].astype(np.int16)

    @property
    def rows(self) -> np.ndarray:
        return (self.keys // self.n_mentors).astype(np.int32)

    @property
    def cols(self) -> np.ndarray:
        return (self.keys % self.n_mentors).astype(np.int32)

    def joined(self, keys: np.ndarray, scores: np.ndarray) -> "_Candidates":
        return _Candidates(self.n_mentors, np.concatenate([self.keys, keys]), np.concatenate([self.scores, scores]))

    def kept(self, mask: np.ndarray) -> "_Candidates":
        return _Candidates(self.n_mentors, self.keys[mask], self.scores[mask])


def _first_candidates(summary: ScoreSummary, mentee_top: int, mentor_top: int) -> _Candidates:
    """Each mentee's `mentee_top` and each mentor's `mentor_top` best kept pairs (ties round-robin),
    chunk by chunk of the kept pairs (sorted by mentee): millions of them would need several
    hundred MB of sort keys at once."""
    n, m = summary.n_mentees, summary.n_mentors
    picked: list[np.ndarray] = []      # each chunk's best pairs' keys
    by_mentor: list[np.ndarray] = []
    for start in range(0, len(summary.kept_keys), _PAIRS_PER_CHUNK):
        chunk = summary.kept_keys[start:start + _PAIRS_PER_CHUNK]
        rows, cols, scores = chunk // m, chunk % m, summary.kept_scores[start:start + _PAIRS_PER_CHUNK]
        # A mentee cut in two by a chunk's end keeps the best of each part: a few more to start from.
        top_rows, top_cols = top_per_group(rows, scores, cols, m, mentee_top)
        picked.append(top_rows * m + top_cols)
        top_cols, top_rows = top_per_group(cols, scores, rows, n, mentor_top)   # this chunk's best per mentor
        by_mentor.append(top_rows * m + top_cols)
    if by_mentor:
        chunk = np.concatenate(by_mentor)
        scores = summary.kept_scores[np.searchsorted(summary.kept_keys, chunk)]
        top_cols, top_rows = top_per_group(chunk % m, scores, chunk // m, n, mentor_top)
        picked.append(top_rows * m + top_cols)
    keys = sorted_unique(np.concatenate(picked)) if picked else np.zeros(0, np.int64)
    return _Candidates(m, keys, summary.kept_scores[np.searchsorted(summary.kept_keys, keys)])


def _full_cardinality(summary: ScoreSummary, row_scores: RowScores, mentee_slots: np.ndarray,
                      mentor_slots: np.ndarray, candidates: _Candidates, per_mentee: int) -> tuple[_Candidates, int]:
    """candidates.complete_cardinality from the summary: across the cut, each mentee's best kept
    pairs; when none crosses, their best pairs across read from the codes."""
    n, m = summary.n_mentees, summary.n_mentors
    kept_rows, kept_cols = (summary.kept_keys // m).astype(np.int32), (summary.kept_keys % m).astype(np.int32)
    learned: list[tuple[np.ndarray, np.ndarray]] = []

    # The kept pairs' rows and columns are bound to best_across, not captured: both are dropped once
    # the cardinality is grown, and the function with them.
    def best_across(open_mentees: np.ndarray, open_mentors: np.ndarray, *,
                    kept_rows: np.ndarray = kept_rows, kept_cols: np.ndarray = kept_cols) -> np.ndarray:
        is_open_mentee, is_open_mentor = np.zeros(n, bool), np.zeros(m, bool)
        is_open_mentee[open_mentees] = True
        is_open_mentor[open_mentors] = True
        across = np.flatnonzero(is_open_mentee[kept_rows] & is_open_mentor[kept_cols])
        rows, cols = top_per_group(kept_rows[across], summary.kept_scores[across], kept_cols[across], m, per_mentee)
        del across
        if len(rows):
            return rows * m + cols
        # No kept pair crosses: each mentee's best pairs across in its window, exact from the codes;
        # only if there are none, a few mentees with pairs below their windows are scored again.
        found, below = [np.zeros(0, np.int64)], []
        for start in range(0, len(open_mentees), _ACROSS_ROWS):
            if sum(len(keys) for keys in found) >= _ACROSS_ENOUGH:
                break               # enough to augment with; the next max flow asks again if not
            chosen = open_mentees[start:start + _ACROSS_ROWS]
            codes = summary.codes[np.ix_(chosen, open_mentors)]
            scores = decode(codes, summary.floors[chosen], bins=False)
            below.append(chosen[is_binned(codes).any(axis=1)])
            flat = top_in_rows(scores, chosen, per_mentee)
            r, c = flat // len(open_mentors), flat % len(open_mentors)
            found.append(chosen[r].astype(np.int64) * m + open_mentors[c])
            learned.append((found[-1], scores[r, c]))
        keys = np.concatenate(found)
        again = np.concatenate(below)[:_RESCORE_AT_ONCE]
        if len(keys) or not len(again):
            return keys
        exact = row_scores(again)[:, open_mentors]
        flat = top_in_rows(exact, again, per_mentee)
        r, c = flat // len(open_mentors), flat % len(open_mentors)
        keys = again[r].astype(np.int64) * m + open_mentors[c]
        learned.append((keys, exact[r, c]))
        return keys

    keys, added = grow_to_full_cardinality(mentee_slots, mentor_slots, candidates.keys, best_across)
    del best_across, kept_rows, kept_cols
    new = keys[~is_member(keys, candidates.keys)]
    # The new pairs' scores: kept, or read from the codes or scored again on the way.
    scores = np.zeros(len(new), np.int16)
    kept = is_member(new, summary.kept_keys)
    scores[kept] = summary.kept_scores[np.searchsorted(summary.kept_keys, new[kept])]
    if learned and not kept.all():
        learned_keys = np.concatenate([keys for keys, _ in learned])
        order = np.argsort(learned_keys, kind="stable")
        at = np.searchsorted(learned_keys[order], new[~kept])
        scores[~kept] = np.concatenate([scores for _, scores in learned])[order][at]
    return candidates.joined(new, scores), added


def solve_summarized(summary: ScoreSummary, row_scores: RowScores, mentee_slots: np.ndarray,
                     mentor_slots: np.ndarray, *, mentee_top: int = MENTEE_TOP, mentor_top: int = MENTOR_TOP,
                     priced_per_mentee: int = PRICED_PER_MENTEE, slack: int = PRICING_SLACK,
                     prune_above: int | None = PRUNE_ABOVE, max_rounds: int = MAX_ROUNDS) -> Assignment:
    """The optimal assignment with its proof, as solver.solve_cohort gives for the full matrix (same
    objective; among equally good assignments it may pick others). `row_scores(rows)` returns the
    exact rows of sorted mentees, pairs of participants without slots excluded, as the summary saw them.
    The solve takes pairs out of summary.codes as it goes (bounded_pricing.TakenOut): the summary is
    spent afterwards."""
    mentee_slots = np.asarray(mentee_slots).astype(np.int64, copy=False)
    mentor_slots = np.asarray(mentor_slots).astype(np.int64, copy=False)
    n, m = summary.n_mentees, summary.n_mentors
    if mentee_slots.shape != (n,) or mentor_slots.shape != (m,):
        raise ValueError(f"slots must have one entry per mentee ({n}) and per mentor ({m})")
    if not n or not m or not mentee_slots.any() or not mentor_slots.any():
        return empty_assignment(OptimalityProof(0, 0, 0, 0, True))
    bonus = pair_bonus(mentee_slots, mentor_slots)
    candidates = _first_candidates(summary, mentee_top, mentor_top)
    candidates, added = _full_cardinality(summary, row_scores, mentee_slots, mentor_slots, candidates,
                                          priced_per_mentee)
    priced = rescored = rounds = 0
    taken_out = TakenOut(m)
    while True:
        rounds += 1
        rows, cols = candidates.rows, candidates.cols
        weights = bonus + candidates.scores.astype(np.int64)
        used = solve_flow(rows, cols, candidates.scores, mentee_slots, mentor_slots)
        flow = CohortFlow(mentee_slots, mentor_slots, rows, cols, weights, used)
        potentials = shortest_path_potentials(flow)
        check_feasible(flow, potentials)
        found = price_summarized(summary, row_scores, mentee_slots, mentor_slots, potentials, bonus, candidates.keys,
                                 priced_per_mentee, slack, taken_out)
        priced += summary.valid_pairs - len(rows)   # every other pair: exactly, or by its bins' bounds
        return_freed_memory()                       # the pricing threads' temporaries
        rescored += found.rescored
        proven = not np.any(found.reduced < 0)
        if proven or rounds >= max_rounds:
            break
        if prune_above is not None and rounds <= PRUNE_ROUNDS:
            arc_reduced = potentials.mentees[rows] - potentials.mentors[cols] - weights
            candidates = candidates.kept(used | (arc_reduced <= prune_above))
        added += len(found.rows)
        candidates = candidates.joined(found.rows.astype(np.int64) * m + found.cols, found.scores)
    proof = OptimalityProof(rounds, len(rows), added, priced, proven, rescored)
    pairs = np.stack([rows[used], cols[used]], axis=1).astype(np.int32)   # candidates are sorted: so are pairs
    scores = candidates.scores[used]
    return Assignment(pairs, int(scores.astype(np.int64).sum()), len(pairs), proof, scores)
