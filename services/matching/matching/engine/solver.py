"""The optimal whole-cohort matching: choose (mentee, mentor) pairs, each at most once, that first
match as many mentee slots as can be matched and then maximize the total score, within every
mentor's capacity.

It is a min-cost flow (potentials.py describes the network) where each pair earns a bonus U larger
than any score difference, so one more matched slot always wins. A cohort has tens of millions of
pairs, far too many arcs, so the flow runs over candidates (candidates.py): each mentee's best
mentors and each mentor's best mentees, grown until they can match as many slots as all pairs
can. Then, in rounds: OR-Tools solves the flow over the candidates; the shortest-path potentials
of its residual graph are a dual solution, checked on every residual arc; every pair of the full
matrix is priced against them (pricing.py), and those that could improve the flow (negative
reduced cost), with a few that nearly could, join the candidates. When no pair is negative the
restricted optimum is the optimum over all pairs (LP duality; the flow LP is integral): that is
the proof returned with the assignment. Participants with no slots take no part (no arcs)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.engine.candidates import candidate_pairs, complete_cardinality, sorted_unique
from matching.engine.model import EXCLUDED, SCORE_SCALE
from matching.engine.potentials import CohortFlow, check_feasible, shortest_path_potentials
from matching.engine.pricing import price

MENTEE_TOP = 10          # candidates: each mentee's best mentors...
MENTOR_TOP = 10          # ...and each mentor's best mentees (popular mentors fill up)
PRICED_PER_MENTEE = 10   # pricing adds at most this many pairs per mentee and round, the most negative first,
PRICING_SLACK = 10       # among those whose reduced cost is below this (score units)
PRUNE_ABOVE = 50         # early rounds drop unused candidates whose reduced cost is above this...
PRUNE_ROUNDS = 3         # ...in this many rounds (later rounds only add, so the rounds always end)
MAX_ROUNDS = 100
_INT64_HEADROOM = 2 ** 62


@dataclass(frozen=True)
class OptimalityProof:
    rounds: int            # flows solved (one per pricing round)
    candidate_pairs: int   # arcs of the last flow
    pairs_added: int       # pairs added to the first candidates (to match every slot possible, then by pricing)
    pairs_priced: int      # reduced costs computed for non-excluded pairs outside the candidates, all rounds
    proven: bool           # the last pricing found no negative reduced cost: the result is optimal
    rows_rescored: int = 0  # mentees scored again because their summary's bounds did not clear them (bounded_solver)


@dataclass(frozen=True)
class Assignment:
    pairs: np.ndarray        # int32 shape (k, 2): (mentee row, mentor col), sorted
    total_score: int         # sum of scores of chosen pairs
    matched_slots: int
    proof: OptimalityProof | None
    scores: np.ndarray | None = None   # int16 per pair, when the solver has them at hand (bounded_solver)


def validate(scores: np.ndarray, mentee_slots: np.ndarray, mentor_slots: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The inputs as the solvers use them; ValueError for anything outside the contract."""
    scores = np.asarray(scores)
    if scores.ndim != 2 or scores.dtype != np.int16:
        raise ValueError(f"scores must be a 2-d int16 matrix, got {scores.dtype} {scores.shape}")
    mentee_slots = np.asarray(mentee_slots).astype(np.int64, copy=False)
    mentor_slots = np.asarray(mentor_slots).astype(np.int64, copy=False)
    if mentee_slots.shape != (scores.shape[0],) or mentor_slots.shape != (scores.shape[1],):
        raise ValueError(f"slots must have one entry per row ({scores.shape[0]}) and per column ({scores.shape[1]})")
    if (len(mentee_slots) and mentee_slots.min() < 0) or (len(mentor_slots) and mentor_slots.min() < 0):
        raise ValueError("slots must be >= 0")
    if scores.size and (scores.min() < EXCLUDED or scores.max() > SCORE_SCALE):
        raise ValueError(f"scores must lie in 0..{SCORE_SCALE}, or be {EXCLUDED} (excluded)")
    return scores, mentee_slots, mentor_slots


def pair_bonus(mentee_slots: np.ndarray, mentor_slots: np.ndarray) -> int:
    """U: more than the largest total score any assignment can have, so one more matched slot
    outweighs every score difference."""
    n, m = len(mentee_slots), len(mentor_slots)
    most_pairs = min(int(np.minimum(mentee_slots, m).sum()), int(np.minimum(mentor_slots, n).sum()))
    bonus = SCORE_SCALE * most_pairs + 1
    # OR-Tools' cost scaling multiplies costs by about the node count; potentials add up along paths.
    if (bonus + SCORE_SCALE) * (n + m + 3) >= _INT64_HEADROOM:
        raise ValueError("cohort too large for exact int64 flow costs")
    return bonus


def empty_assignment(proof: OptimalityProof | None) -> Assignment:
    return Assignment(np.zeros((0, 2), np.int32), 0, 0, proof)


def solve_flow(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, mentee_slots: np.ndarray,
               mentor_slots: np.ndarray) -> np.ndarray:
    """The lexicographic optimum over the given pairs (most matched slots, then highest total score);
    returns which pairs it takes. OR-Tools' max-flow-with-min-cost solves exactly that with the
    plain scores as costs, 2-3 times faster than the bonus-weighted network (its cost scaling works
    on a range of 1000 instead of 10^7); the bonus network is still what the proof prices against."""
    return solve_flow_in_parts([(rows, cols, scores)], mentee_slots, mentor_slots)


def solve_flow_in_parts(pairs: Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]], mentee_slots: np.ndarray,
                        mentor_slots: np.ndarray) -> np.ndarray:
    """solve_flow over pairs given as several (rows, cols, scores) parts, which go into the network
    one at a time (the full-graph baseline adds tens of millions of pairs); returns which pairs it
    takes, in the order given."""
    n, m = len(mentee_slots), len(mentor_slots)
    source, sink = n + m, n + m + 1
    supply = int(mentee_slots.sum())
    flow = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = 0
    for rows, cols, scores in pairs:
        flow.add_arcs_with_capacity_and_unit_cost(np.asarray(rows, np.int32), (n + np.asarray(cols)).astype(np.int32),
                                                  np.ones(len(rows), np.int64), -np.asarray(scores, np.int64))
        pair_arcs += len(rows)
    mentees, mentors = np.flatnonzero(mentee_slots > 0), np.flatnonzero(mentor_slots > 0)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(len(mentees), source), n + mentors]).astype(np.int32),
        np.concatenate([mentees, np.full(len(mentors), sink)]).astype(np.int32),
        np.concatenate([mentee_slots[mentees], mentor_slots[mentors]]).astype(np.int64),
        np.zeros(len(mentees) + len(mentors), np.int64))
    flow.set_nodes_supplies(np.array([source, sink], np.int32), np.array([supply, -supply], np.int64))
    status = flow.solve_max_flow_with_min_cost()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    return flow.flows(np.arange(pair_arcs, dtype=np.int32)) > 0


def solve_cohort(scores: np.ndarray, mentee_slots: np.ndarray, mentor_slots: np.ndarray, *,
                 mentee_top: int = MENTEE_TOP, mentor_top: int = MENTOR_TOP,
                 priced_per_mentee: int = PRICED_PER_MENTEE, slack: int = PRICING_SLACK,
                 prune_above: int | None = PRUNE_ABOVE, max_rounds: int = MAX_ROUNDS) -> Assignment:
    """The optimal assignment of a cohort, with its optimality proof (see the module docstring).
    `scores` is int16 (n_mentees, n_mentors), 0..SCORE_SCALE or EXCLUDED; `mentee_slots` the mentors
    each mentee wants, `mentor_slots` the mentees each mentor can still take. Deterministic: the same
    input gives the same pairs.

    Each round solves the flow over the candidates, prices every other pair and adds, per mentee,
    the `priced_per_mentee` pairs of lowest reduced cost below `slack` (pairs just above zero tend
    to turn negative next round). In the first PRUNE_ROUNDS rounds it also drops unused candidates
    whose reduced cost is above `prune_above` (None: never), which keeps the flows small; they are
    priced again like every other pair. It stops when no pair has a negative reduced cost, or after
    `max_rounds` with proof.proven False (the pairs are then feasible, not proven optimal)."""
    scores, mentee_slots, mentor_slots = validate(scores, mentee_slots, mentor_slots)
    n, m = scores.shape
    if not n or not m or not mentee_slots.any() or not mentor_slots.any():
        return empty_assignment(OptimalityProof(0, 0, 0, 0, True))
    bonus = pair_bonus(mentee_slots, mentor_slots)
    rows, cols, valid_pairs = candidate_pairs(scores, mentee_slots, mentor_slots, mentee_top, mentor_top)
    keys, added = complete_cardinality(scores, mentee_slots, mentor_slots, rows.astype(np.int64) * m + cols,
                                       priced_per_mentee)
    rows, cols = (keys // m).astype(np.int32), (keys % m).astype(np.int32)
    priced = rounds = 0
    while True:
        rounds += 1
        weights = bonus + scores[rows, cols].astype(np.int64)
        used = solve_flow(rows, cols, weights - bonus, mentee_slots, mentor_slots)
        flow = CohortFlow(mentee_slots, mentor_slots, rows, cols, weights, used)
        potentials = shortest_path_potentials(flow)
        check_feasible(flow, potentials)
        candidate_keys = rows.astype(np.int64) * m + cols
        priced += valid_pairs - len(rows)
        new_rows, new_cols, reduced = price(scores, mentee_slots, mentor_slots, potentials, bonus, candidate_keys,
                                            priced_per_mentee, slack)
        proven = not np.any(reduced < 0)
        if proven or rounds >= max_rounds:
            break
        if prune_above is not None and rounds <= PRUNE_ROUNDS:
            arc_reduced = potentials.mentees[rows] - potentials.mentors[cols] - weights
            candidate_keys = candidate_keys[used | (arc_reduced <= prune_above)]
        added += len(new_rows)
        keys = sorted_unique(np.concatenate([candidate_keys, new_rows.astype(np.int64) * m + new_cols]))
        rows, cols = (keys // m).astype(np.int32), (keys % m).astype(np.int32)
    proof = OptimalityProof(rounds, len(rows), added, priced, proven)
    pairs = np.stack([rows[used], cols[used]], axis=1).astype(np.int32)
    total = int(scores[pairs[:, 0], pairs[:, 1]].astype(np.int64).sum())
    return Assignment(pairs, total, len(pairs), proof)
