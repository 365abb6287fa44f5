"""The bounded-memory path (score_summary, bounded_pricing, bounded_solver, scoring.summarize_prepared):
the summary's codes give every score in a mentee's window exactly and a close upper bound below;
solving from it gives the
same proven optimum as the dense solver and an independent MILP, also when so few pairs are kept
that pricing and the cardinality growth must score mentees again; and a cohort summarized while
it is scored gives the very summary and rows of the dense matrix."""

from __future__ import annotations

import numpy as np
import pytest

from bench.matching_cohorts import generate_cohort
from matching.engine import bounded_pricing
from matching.engine.bounded_solver import solve_summarized
from matching.engine.model import EXCLUDED
from matching.engine.prepared_cohort import prepare_cohort
from matching.engine.score_summary import (
    BIN_WIDTH,
    EXACT_SCORES,
    decode,
    summarize_matrix,
    summarize_rows,
    without_inactive,
)
from matching.engine.scoring import score_prepared, summarize_prepared
from matching.engine.solver import solve_cohort
from tests.unit.matching.test_solver import (
    adversarial_cohorts,
    assert_feasible,
    full_graph_certificate,
    milp_optimum,
    random_cohort,
    structured_cohort,
)


def dense_rows(scores, mentee_slots, mentor_slots):
    """What the scorer gives the bounded solver, read from a matrix held in memory."""
    scored_again = []

    def rows_of(rows):
        scored_again.append(len(rows))
        return without_inactive(scores[rows], np.asarray(mentee_slots)[rows], np.asarray(mentor_slots))

    return rows_of, scored_again


def solve_bounded(scores, wanted, capacity, keep, **tops):
    summary = summarize_matrix(scores, np.asarray(wanted), np.asarray(capacity), keep, rows_per_block=7)
    rows_of, scored_again = dense_rows(scores, wanted, capacity)
    return solve_summarized(summary, rows_of, wanted, capacity, **tops), scored_again


def test_a_summary_keeps_exact_scores_and_codes_are_exact_in_the_window_and_an_upper_bound_below():
    rng = np.random.default_rng(3)
    scores, _, _ = random_cohort(rng, 40, 70, excluded=0.3)
    summary = summarize_rows(scores, keep=3)
    assert np.array_equal(summary.kept_scores, scores.reshape(-1)[summary.kept_flat])
    assert np.all(summary.kept_scores >= 0)
    decoded = decode(summary.codes, summary.floors)
    allowed = scores >= 0
    in_window = scores >= summary.floors[:, None]
    assert np.array_equal(decoded[in_window], scores[in_window])
    below = allowed & ~in_window
    assert below.any() and np.all(decoded[below] >= scores[below])
    floors = np.broadcast_to(summary.floors[:, None], scores.shape)
    near = below & (scores >= floors - 40 * BIN_WIDTH)
    assert np.all(decoded[near] - scores[near] < BIN_WIDTH)
    assert np.all(decoded[below] < floors[below])
    assert np.all(decoded[~allowed] == EXCLUDED)
    assert np.all(scores.max(axis=1) - summary.floors <= EXACT_SCORES - 1)
    # every row keeps its best pair, and every column its best row
    best_in_row = scores.argmax(axis=1)
    assert set((np.arange(40) * 70 + best_in_row)[allowed.any(axis=1)].tolist()) <= set(summary.kept_flat.tolist())
    assert np.array_equal(summary.column_best_scores, scores.max(axis=0))
    assert np.array_equal(scores[summary.column_best_rows, np.arange(70)], scores.max(axis=0))
    # built over blocks of 7 rows, each column keeps its best row of each block (up to 20 blocks)
    built = summarize_matrix(scores, np.ones(40, np.int32), np.ones(70, np.int32), keep=3, rows_per_block=7)
    kept = set(built.kept_keys.tolist())
    for start in range(0, 40, 7):
        block = scores[start:start + 7]
        best = start + block.argmax(axis=0)
        assert all(key in kept for key, value in zip(best * 70 + np.arange(70), block.max(axis=0)) if value >= 0)


def test_a_run_of_equal_scores_is_left_to_the_codes_not_kept_whole():
    scores = np.full((3, 4000), 500, np.int16)
    summary = summarize_rows(scores, keep=2)
    assert len(summary.kept_flat) <= 4000   # the column maxima; not 12,000 tied pairs
    assert np.all(decode(summary.codes, summary.floors) == 500)


@pytest.mark.parametrize("seed", range(30))
def test_bounded_solve_reaches_the_proven_optimum_on_random_cohorts(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 30)), int(rng.integers(1, 40))
    scores, wanted, capacity = random_cohort(rng, n, m, excluded=float(rng.choice([0.0, 0.2, 0.6])),
                                             levels=int(rng.choice([3, 11, 1001])), max_wanted=int(rng.integers(1, 4)),
                                             max_capacity=int(rng.integers(1, 6)))
    result, _ = solve_bounded(scores, wanted, capacity, keep=int(rng.integers(1, 4)),
                              mentee_top=int(rng.integers(1, 4)), mentor_top=int(rng.integers(0, 3)))
    assert_feasible(result, scores, wanted, capacity)
    assert result.proof.proven
    assert (result.matched_slots, result.total_score) == milp_optimum(scores, wanted, capacity)
    full_graph_certificate(result, scores, wanted, capacity)


@pytest.mark.parametrize("case", list(adversarial_cohorts()))
def test_bounded_solve_reaches_the_optimum_on_adversarial_cohorts(case):
    scores, wanted, capacity = adversarial_cohorts()[case]
    for keep, tops in ((32, dict()), (1, dict(mentee_top=1, mentor_top=0)), (1, dict(mentee_top=0, mentor_top=0))):
        result, _ = solve_bounded(scores, wanted, capacity, keep, **tops)
        assert_feasible(result, scores, wanted, capacity)
        assert result.proof.proven
        assert (result.matched_slots, result.total_score) == milp_optimum(scores, wanted, capacity)
        full_graph_certificate(result, scores, wanted, capacity)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("rescored_at_once", [256, 8])
def test_bounded_solve_equals_the_dense_solve_when_mentees_must_be_scored_again(seed, rescored_at_once, monkeypatch):
    # 8 at a time: the mentees scored again are priced on several threads
    monkeypatch.setattr(bounded_pricing, "_RESCORE_ROWS", rescored_at_once)
    rng = np.random.default_rng(3000 + seed)
    scores, wanted, capacity = structured_cohort(rng, 400, 200, popularity=2.0)
    wanted[::7] = 2
    capacity[::5] = 0
    dense = solve_cohort(scores, wanted, capacity)
    result, scored_again = solve_bounded(scores, wanted, capacity, keep=2, mentee_top=2, mentor_top=1)
    assert result.proof.proven and sum(scored_again) > 0
    assert result.proof.rows_rescored > 0
    assert (result.matched_slots, result.total_score) == (dense.matched_slots, dense.total_score)
    full_graph_certificate(result, scores, wanted, capacity)


def test_solving_from_the_summary_is_deterministic():
    rng = np.random.default_rng(8)
    scores, wanted, capacity = structured_cohort(rng, 300, 80, popularity=1.5)
    first, _ = solve_bounded(scores, wanted, capacity, keep=3)
    second, _ = solve_bounded(scores, wanted, capacity, keep=3)
    assert np.array_equal(first.pairs, second.pairs) and first.proof == second.proof


def test_a_cohort_summarized_while_scored_matches_its_dense_matrix():
    cohort = prepare_cohort(generate_cohort(300, 60, capacity=3, seed=5))
    mentee_slots = np.array([person.slots for person in cohort.mentees], np.int32)
    mentor_slots = np.array([person.slots for person in cohort.mentors], np.int32)
    mentor_slots[::9] = 0
    dense = score_prepared(cohort).scores
    summary, scorer = summarize_prepared(cohort, mentee_slots, mentor_slots, keep=4, chunk_rows=64)
    expected = summarize_matrix(dense, mentee_slots, mentor_slots, keep=4, rows_per_block=64)
    assert np.array_equal(summary.kept_keys, expected.kept_keys)
    assert np.array_equal(summary.kept_scores, expected.kept_scores)
    assert np.array_equal(summary.codes, expected.codes)
    assert np.array_equal(summary.floors, expected.floors)
    assert summary.valid_pairs == expected.valid_pairs
    rows = np.array([0, 1, 2, 17, 40, 41, 299])
    assert np.array_equal(scorer(rows), without_inactive(dense[rows], mentee_slots[rows], mentor_slots))
    assert np.any(dense == EXCLUDED)   # the sparse rules were applied to the rows scored again too
    result = solve_summarized(summary, scorer, mentee_slots, mentor_slots)
    reference = solve_cohort(dense, mentee_slots, mentor_slots)
    assert result.proof.proven
    assert (result.matched_slots, result.total_score) == (reference.matched_slots, reference.total_score)
