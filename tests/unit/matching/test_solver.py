"""The whole-cohort solver: pruned candidates plus pricing give exactly the full-graph optimum (most
matched slots, then highest total score), checked against OR-Tools over every pair and against an
independent solver (SciPy's assignment and HiGHS); the dual potentials are a valid certificate;
results are deterministic; greedy is never better."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp
from scipy.sparse import coo_matrix, vstack

from bench.matching_baselines import solve_full_graph, solve_greedy
from matching.engine.candidates import candidate_pairs
from matching.engine.model import EXCLUDED, SCORE_SCALE
from matching.engine.potentials import (
    CohortFlow,
    InfeasiblePotentials,
    Potentials,
    check_feasible,
    reduced_costs,
    shortest_path_potentials,
)
from matching.engine.pricing import price
from matching.engine.solver import pair_bonus, solve_cohort, solve_flow

# --- independent references ----------------------------------------------------------------------

def milp_optimum(scores: np.ndarray, mentee_slots, mentor_slots) -> tuple[int, int]:
    """(matched slots, total score) by HiGHS in two stages: most pairs, then the best score among those."""
    rows, cols = np.nonzero((scores >= 0) & (np.asarray(mentee_slots)[:, None] > 0) & (np.asarray(mentor_slots) > 0))
    if not len(rows):
        return 0, 0
    k = len(rows)
    n, m = scores.shape
    by_row = coo_matrix((np.ones(k), (rows, np.arange(k))), shape=(n, k))
    by_col = coo_matrix((np.ones(k), (cols, np.arange(k))), shape=(m, k))
    capacity = LinearConstraint(vstack([by_row, by_col]), -np.inf,
                                np.concatenate([mentee_slots, mentor_slots]).astype(float))
    integral, bounds = np.ones(k), Bounds(0, 1)
    most = milp(-np.ones(k), constraints=[capacity], integrality=integral, bounds=bounds)
    matched = int(round(-most.fun))
    values = scores[rows, cols].astype(float)
    best = milp(-values, integrality=integral, bounds=bounds,
                constraints=[capacity, LinearConstraint(np.ones((1, k)), matched, matched)])
    return matched, int(round(-best.fun))


def assignment_optimum(scores: np.ndarray, mentor_slots) -> tuple[int, int]:
    """For mentees wanting one mentor each: linear_sum_assignment with every mentor repeated once per
    place; a pair earns a bonus above any total score, so more pairs always win."""
    columns = np.repeat(np.arange(scores.shape[1]), mentor_slots)
    if not scores.shape[0] or not len(columns):
        return 0, 0
    expanded = scores[:, columns].astype(np.int64)
    bonus = SCORE_SCALE * scores.shape[0] + 1
    weights = np.where(expanded >= 0, bonus + expanded, 0)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    chosen = weights[rows, cols] > 0
    return int(chosen.sum()), int(expanded[rows, cols][chosen].sum())


def assert_feasible(assignment, scores, mentee_slots, mentor_slots) -> None:
    pairs = assignment.pairs
    assert pairs.dtype == np.int32 and pairs.shape == (assignment.matched_slots, 2)
    keys = pairs[:, 0].astype(np.int64) * max(scores.shape[1], 1) + pairs[:, 1]
    assert np.all(np.diff(keys) > 0), "pairs sorted, each at most once"
    assert np.all(scores[pairs[:, 0], pairs[:, 1]] >= 0), "no excluded pair"
    assert np.all(np.bincount(pairs[:, 0], minlength=scores.shape[0]) <= mentee_slots)
    assert np.all(np.bincount(pairs[:, 1], minlength=scores.shape[1]) <= mentor_slots)
    assert assignment.total_score == int(scores[pairs[:, 0], pairs[:, 1]].astype(np.int64).sum())


def full_graph_certificate(assignment, scores, mentee_slots, mentor_slots) -> None:
    """The chosen pairs as a flow over EVERY allowed pair: its residual graph has no negative cycle
    and the shortest-path potentials leave every residual arc >= 0, i.e. it is optimal."""
    mentee_slots, mentor_slots = np.asarray(mentee_slots, np.int64), np.asarray(mentor_slots, np.int64)
    rows, cols = np.nonzero((scores >= 0) & (mentee_slots[:, None] > 0) & (mentor_slots > 0))
    if not len(rows):
        return
    m = scores.shape[1]
    chosen = set((assignment.pairs[:, 0].astype(np.int64) * m + assignment.pairs[:, 1]).tolist())
    used = np.array([key in chosen for key in (rows.astype(np.int64) * m + cols).tolist()])
    weights = pair_bonus(mentee_slots, mentor_slots) + scores[rows, cols].astype(np.int64)
    flow = CohortFlow(mentee_slots, mentor_slots, rows.astype(np.int32), cols.astype(np.int32), weights, used)
    potentials = shortest_path_potentials(flow)
    assert reduced_costs(flow, potentials).min() >= 0


# --- cohorts -------------------------------------------------------------------------------------

def random_cohort(rng: np.random.Generator, n: int, m: int, excluded: float = 0.1, levels: int = SCORE_SCALE + 1,
                  max_wanted: int = 1, max_capacity: int = 5):
    scores = rng.integers(0, levels, (n, m)) * (SCORE_SCALE // max(levels - 1, 1))
    scores = np.where(rng.random((n, m)) < excluded, EXCLUDED, scores).astype(np.int16)
    return (scores, rng.integers(1, max_wanted + 1, n).astype(np.int32),
            rng.integers(0, max_capacity + 1, m).astype(np.int32))


def structured_cohort(rng: np.random.Generator, n: int, m: int, popularity: float = 1.0, excluded: float = 0.03):
    """Low-rank affinities plus a popularity per mentor (everyone wants the same few), plus noise."""
    affinity = rng.standard_normal((n, 4)) @ rng.standard_normal((4, m)) / 2
    logits = affinity + popularity * rng.standard_normal(m) + 0.5 * rng.standard_normal((n, m))
    scores = np.rint(SCORE_SCALE / (1 + np.exp(-logits))).astype(np.int16)
    scores[rng.random((n, m)) < excluded] = EXCLUDED
    return scores, np.ones(n, np.int32), np.full(m, 2, np.int32)


def adversarial_cohorts():
    rng = np.random.default_rng(99)
    cases = {}
    scores = rng.integers(0, 300, (12, 6)).astype(np.int16)
    scores[:, 2] = 1000
    cases["everyone wants the same mentor"] = (scores, np.ones(12, np.int32), np.array([2, 1, 1, 1, 1, 1], np.int32))
    cases["all scores tie"] = (np.full((9, 5), 500, np.int16), np.ones(9, np.int32), np.full(5, 2, np.int32))
    cases["only zeros"] = (np.zeros((6, 4), np.int16), np.array([1, 2, 1, 3, 1, 1], np.int32), np.full(4, 2, np.int32))
    scores = rng.integers(0, 1001, (10, 8)).astype(np.int16)
    scores[:6, 1:] = EXCLUDED
    cases["rows excluded but for one mentor"] = (scores, np.ones(10, np.int32), np.full(8, 1, np.int32))
    cases["mentees wanting 2-3 mentors"] = (rng.integers(0, 1001, (8, 7)).astype(np.int16),
                                            rng.integers(2, 4, 8).astype(np.int32), np.full(7, 3, np.int32))
    cases["zero-capacity mentors"] = (rng.integers(0, 1001, (8, 6)).astype(np.int16), np.ones(8, np.int32),
                                      np.array([0, 3, 0, 2, 0, 0], np.int32))
    cases["mentees wanting none"] = (rng.integers(0, 1001, (6, 4)).astype(np.int16),
                                     np.array([0, 1, 0, 2, 0, 1], np.int32), np.full(4, 2, np.int32))
    cases["everything excluded"] = (np.full((4, 3), EXCLUDED, np.int16), np.ones(4, np.int32), np.ones(3, np.int32))
    cases["no mentees"] = (np.zeros((0, 4), np.int16), np.zeros(0, np.int32), np.ones(4, np.int32))
    cases["no mentors"] = (np.zeros((5, 0), np.int16), np.ones(5, np.int32), np.zeros(0, np.int32))
    cases["more places than mentees"] = (rng.integers(0, 1001, (3, 9)).astype(np.int16), np.ones(3, np.int32),
                                         np.full(9, 5, np.int32))
    cases["a chain only the right swaps can fill"] = (
        np.array([[900, 800, -1], [950, -1, -1], [-1, 700, 600]], np.int16), np.ones(3, np.int32),
        np.ones(3, np.int32))
    return cases


# --- the solver against the references -----------------------------------------------------------

@pytest.mark.parametrize("seed", range(40))
def test_pruned_solve_equals_the_full_graph_and_an_independent_solver_on_random_cohorts(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 25)), int(rng.integers(1, 10))
    scores, wanted, capacity = random_cohort(rng, n, m, excluded=float(rng.choice([0.0, 0.2, 0.6])),
                                             levels=int(rng.choice([3, 11, 1001])), max_wanted=int(rng.integers(1, 4)),
                                             max_capacity=int(rng.integers(1, 6)))
    tops = dict(mentee_top=int(rng.integers(1, 4)), mentor_top=int(rng.integers(0, 3)))
    pruned = solve_cohort(scores, wanted, capacity, **tops)
    full = solve_full_graph(scores, wanted, capacity)
    assert_feasible(pruned, scores, wanted, capacity)
    assert_feasible(full, scores, wanted, capacity)
    assert pruned.proof.proven
    expected = milp_optimum(scores, wanted, capacity)
    assert (pruned.matched_slots, pruned.total_score) == (full.matched_slots, full.total_score) == expected
    full_graph_certificate(pruned, scores, wanted, capacity)


@pytest.mark.parametrize("seed", range(15))
def test_one_mentor_each_matches_linear_sum_assignment_on_the_expanded_matrix(seed):
    rng = np.random.default_rng(1000 + seed)
    scores, wanted, capacity = random_cohort(rng, int(rng.integers(1, 40)), int(rng.integers(1, 12)),
                                             excluded=float(rng.choice([0.0, 0.3])), max_capacity=4)
    result = solve_cohort(scores, wanted, capacity, mentee_top=2, mentor_top=1)
    assert (result.matched_slots, result.total_score) == assignment_optimum(scores, capacity)


@pytest.mark.parametrize("case", list(adversarial_cohorts()))
def test_adversarial_cohorts_reach_the_optimum(case):
    scores, wanted, capacity = adversarial_cohorts()[case]
    for tops in (dict(), dict(mentee_top=1, mentor_top=0), dict(mentee_top=0, mentor_top=0)):
        result = solve_cohort(scores, wanted, capacity, **tops)
        assert_feasible(result, scores, wanted, capacity)
        assert result.proof.proven
        assert (result.matched_slots, result.total_score) == milp_optimum(scores, wanted, capacity)
        full = solve_full_graph(scores, wanted, capacity)
        assert (result.matched_slots, result.total_score) == (full.matched_slots, full.total_score)
        full_graph_certificate(result, scores, wanted, capacity)


@pytest.mark.parametrize("seed", range(4))
def test_medium_cohorts_with_popular_mentors_equal_the_full_graph(seed):
    rng = np.random.default_rng(2000 + seed)
    scores, wanted, capacity = structured_cohort(rng, 400, 120, popularity=1.5)
    wanted[::7] = 2
    capacity[::5] = 0
    for tops in (dict(), dict(mentee_top=3, mentor_top=2)):
        result = solve_cohort(scores, wanted, capacity, **tops)
        full = solve_full_graph(scores, wanted, capacity)
        assert_feasible(result, scores, wanted, capacity)
        assert result.proof.proven
        assert (result.matched_slots, result.total_score) == (full.matched_slots, full.total_score)
        full_graph_certificate(result, scores, wanted, capacity)


def test_pricing_adds_the_pairs_too_few_candidates_left_out_and_still_reaches_the_optimum():
    rng = np.random.default_rng(5)
    scores, wanted, capacity = structured_cohort(rng, 300, 60, popularity=2.0)
    full = solve_full_graph(scores, wanted, capacity)
    starved = solve_cohort(scores, wanted, capacity, mentee_top=1, mentor_top=0)
    assert starved.proof.rounds > 1 and starved.proof.pairs_added > 0 and starved.proof.proven
    assert (starved.matched_slots, starved.total_score) == (full.matched_slots, full.total_score)
    # with one candidate per mentee, the first flow alone is far from it
    rows, cols, _ = candidate_pairs(scores, wanted.astype(np.int64), capacity.astype(np.int64), 1, 0)
    assert len(rows) == 300
    used = solve_flow(rows, cols, scores[rows, cols], wanted.astype(np.int64), capacity.astype(np.int64))
    assert int(used.sum()) < full.matched_slots


def test_running_out_of_rounds_says_the_result_is_not_proven():
    rng = np.random.default_rng(6)
    scores, wanted, capacity = structured_cohort(rng, 200, 40, popularity=2.0)
    result = solve_cohort(scores, wanted, capacity, mentee_top=1, mentor_top=0, max_rounds=1)
    assert result.proof.rounds == 1 and not result.proof.proven
    assert_feasible(result, scores, wanted, capacity)


# --- the proof's parts ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(10))
def test_potentials_leave_every_residual_arc_with_a_non_negative_reduced_cost(seed):
    rng = np.random.default_rng(3000 + seed)
    scores, wanted, capacity = random_cohort(rng, 30, 10, excluded=0.3, max_wanted=3, max_capacity=3)
    wanted, capacity = wanted.astype(np.int64), capacity.astype(np.int64)
    rows, cols, _ = candidate_pairs(scores, wanted, capacity, 3, 2)
    used = solve_flow(rows, cols, scores[rows, cols], wanted, capacity)
    weights = pair_bonus(wanted, capacity) + scores[rows, cols].astype(np.int64)
    flow = CohortFlow(wanted, capacity, rows, cols, weights, used)
    potentials = shortest_path_potentials(flow)
    assert reduced_costs(flow, potentials).min() >= 0
    assert potentials.as_vector().max() <= 0       # distances from a root joined to every node at cost 0
    check_feasible(flow, potentials)


def test_a_flow_that_is_not_optimal_is_refused_not_certified():
    scores = np.array([[900, 100], [800, -1]], np.int16)
    wanted, capacity = np.ones(2, np.int64), np.ones(2, np.int64)
    rows, cols = np.array([0, 0, 1], np.int32), np.array([0, 1, 0], np.int32)
    weights = pair_bonus(wanted, capacity) + scores[rows, cols].astype(np.int64)
    # mentee 0 takes mentor 0, mentee 1 is left out though the swap would match both
    flow = CohortFlow(wanted, capacity, rows, cols, weights, np.array([True, False, False]))
    with pytest.raises(InfeasiblePotentials):
        shortest_path_potentials(flow)
    optimal = CohortFlow(wanted, capacity, rows, cols, weights, np.array([False, True, True]))
    potentials = shortest_path_potentials(optimal)
    broken = Potentials(potentials.mentees, potentials.mentors + 5, potentials.source, potentials.sink)
    with pytest.raises(InfeasiblePotentials):
        check_feasible(optimal, broken)


@pytest.mark.parametrize("seed", range(8))
def test_pricing_returns_per_mentee_the_pairs_of_lowest_reduced_cost_below_the_slack(seed):
    rng = np.random.default_rng(4000 + seed)
    n, m = 40, 30
    scores, wanted, capacity = random_cohort(rng, n, m, excluded=0.2, levels=int(rng.choice([5, 1001])))
    wanted, capacity = wanted.astype(np.int64), capacity.astype(np.int64)
    bonus = pair_bonus(wanted, capacity)
    # any potentials will do for the arithmetic; dense (most pairs negative) and sparse regimes
    spread = int(rng.choice([50, 2000]))
    mentees = -rng.integers(0, spread, n) + int(rng.choice([0, 600, 900]))
    mentors = -bonus - rng.integers(0, spread, m)
    potentials = Potentials(mentees, mentors, 0, 0)
    candidates = np.sort(rng.choice(n * m, 200, replace=False)).astype(np.int64)
    slack, top = int(rng.choice([0, 10])), int(rng.choice([1, 3, 8]))
    rows, cols, reduced = price(scores, wanted, capacity, potentials, bonus, candidates, top, slack)

    every = mentees[:, None] - mentors[None, :] - bonus - scores.astype(np.int64)
    allowed = (scores >= 0) & (wanted[:, None] > 0) & (capacity > 0)
    allowed.reshape(-1)[candidates] = False
    expected = []
    for row in range(n):
        found = [(every[row, col], (col - row) % m, col) for col in range(m)
                 if allowed[row, col] and every[row, col] < slack]
        expected += [(row, col) for *_, col in sorted(found)[:top]]   # ties round-robin
    assert list(zip(rows.tolist(), cols.tolist())) == sorted(expected)
    assert np.array_equal(reduced, every[rows, cols])


@pytest.mark.parametrize("seed", range(8))
def test_candidates_are_each_mentees_and_each_mentors_exact_top_k_with_ties_round_robin(seed):
    rng = np.random.default_rng(5000 + seed)
    n, m = int(rng.integers(1, 60)), int(rng.integers(1, 40))
    scores, wanted, capacity = random_cohort(rng, n, m, excluded=float(rng.choice([0.0, 0.5])),
                                             levels=int(rng.choice([2, 6, 1001])))
    wanted[rng.random(n) < 0.2] = 0
    capacity[rng.random(m) < 0.2] = 0
    mentee_top, mentor_top = int(rng.integers(0, 6)), int(rng.integers(0, 6))
    rows, cols, valid = candidate_pairs(scores, wanted.astype(np.int64), capacity.astype(np.int64), mentee_top, mentor_top)
    # among equal scores, mentee i takes mentor i mod m first, then the next ones (wrapping), and
    # mentor j takes mentee j mod n first: no block of ties sends everyone to the same few
    assert list(zip(rows.tolist(), cols.tolist())) == brute_force_candidates(scores, wanted, capacity, mentee_top, mentor_top)
    assert valid == int(((scores >= 0) & (wanted[:, None] > 0) & (capacity > 0)).sum())


def brute_force_candidates(scores, wanted, capacity, mentee_top, mentor_top):
    n, m = scores.shape
    allowed = (scores >= 0) & (wanted[:, None] > 0) & (capacity > 0)
    expected = set()
    for row in range(n):
        best = sorted((-scores[row, col], (col - row) % m, col) for col in range(m) if allowed[row, col])[:mentee_top]
        expected |= {(row, col) for *_, col in best}
    for col in range(m):
        best = sorted((-scores[row, col], (row - col) % n, row) for row in range(n) if allowed[row, col])[:mentor_top]
        expected |= {(row, col) for *_, row in best}
    return sorted(expected)


@pytest.mark.parametrize("levels, inactive", [(1, False), (2, False), (1, True), (3, True)])
def test_candidates_stay_exact_and_spread_out_when_ties_fill_whole_rows(levels, inactive):
    # rows of equal scores defeat the cheap bounds: the selection switches to dense blocks
    rng = np.random.default_rng(levels)
    n, m = 1500, 130
    scores = (rng.integers(0, levels, (n, m)) * 400 + 200).astype(np.int16)
    wanted, capacity = np.ones(n, np.int64), np.full(m, 3, np.int64)
    if inactive:
        wanted[::7], capacity[::5] = 0, 0
        scores[rng.random((n, m)) < 0.1] = EXCLUDED
    for mentee_top, mentor_top in ((1, 0), (3, 2), (0, 4)):
        rows, cols, _ = candidate_pairs(scores, wanted, capacity, mentee_top, mentor_top)
        assert list(zip(rows.tolist(), cols.tolist())) == brute_force_candidates(scores, wanted, capacity, mentee_top, mentor_top)
    if levels == 1 and not inactive:
        rows, cols, _ = candidate_pairs(scores, wanted, capacity, 1, 0)
        assert len(np.unique(cols)) == m   # all equal: mentees spread over every mentor


def test_a_cohort_of_equal_scores_is_solved_in_one_round():
    n, m = 3000, 400
    scores = np.full((n, m), 700, np.int16)
    result = solve_cohort(scores, np.ones(n, np.int32), np.full(m, 5, np.int32))
    assert result.matched_slots == 2000 and result.total_score == 2000 * 700
    assert result.proof.proven and result.proof.rounds == 1


# --- determinism, greedy, input contract --------------------------------------------------------

def test_the_same_input_gives_the_same_pairs():
    rng = np.random.default_rng(7)
    scores, wanted, capacity = structured_cohort(rng, 500, 100, popularity=1.0)
    scores[:, ::3] = np.where(scores[:, ::3] >= 0, scores[:, ::3] // 100 * 100, EXCLUDED)  # plenty of ties
    first = solve_cohort(scores, wanted, capacity)
    second = solve_cohort(scores.copy(), wanted.copy(), capacity.copy())
    assert np.array_equal(first.pairs, second.pairs) and first.proof == second.proof
    assert np.array_equal(solve_greedy(scores, wanted, capacity).pairs, solve_greedy(scores, wanted, capacity).pairs)


@pytest.mark.parametrize("seed", range(20))
def test_greedy_is_feasible_and_never_better_than_the_optimum(seed):
    rng = np.random.default_rng(6000 + seed)
    if seed % 2:
        scores, wanted, capacity = structured_cohort(rng, 150, 40, popularity=1.5)
    else:
        scores, wanted, capacity = random_cohort(rng, 30, 10, excluded=0.3, max_wanted=3, max_capacity=3)
    greedy = solve_greedy(scores, wanted, capacity)
    best = solve_cohort(scores, wanted, capacity)
    assert_feasible(greedy, scores, wanted, capacity)
    assert (greedy.matched_slots, greedy.total_score) <= (best.matched_slots, best.total_score)
    assert greedy.proof is None


def test_greedy_takes_pairs_best_first():
    scores = np.array([[900, 800], [850, 100]], np.int16)
    greedy = solve_greedy(scores, np.ones(2, np.int32), np.ones(2, np.int32))
    assert greedy.pairs.tolist() == [[0, 0], [1, 1]] and greedy.total_score == 1000
    assert solve_cohort(scores, np.ones(2, np.int32), np.ones(2, np.int32)).total_score == 1650


@pytest.mark.parametrize("scores, wanted, capacity", [
    (np.zeros((2, 2), np.int32), [1, 1], [1, 1]),                 # not int16
    (np.zeros((2, 2), np.int16), [1], [1, 1]),                    # one slot count per row
    (np.zeros((2, 2), np.int16), [1, -1], [1, 1]),                # negative slots
    (np.full((2, 2), 1001, np.int16), [1, 1], [1, 1]),            # above SCORE_SCALE
    (np.full((2, 2), -2, np.int16), [1, 1], [1, 1]),              # below EXCLUDED
])
def test_inputs_outside_the_contract_are_refused(scores, wanted, capacity):
    for solve in (solve_cohort, solve_full_graph, solve_greedy):
        with pytest.raises(ValueError):
            solve(scores, np.array(wanted), np.array(capacity))
