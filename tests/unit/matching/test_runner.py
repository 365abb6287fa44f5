"""A whole run: pins are honoured around the optimal solve, every unmatched mentee has a reason,
and the score distribution describes the proposal; all of it the same when the cohort is too
large for the score matrix and is solved from its one-byte summary."""

from dataclasses import replace

import pytest

from bench.matching_cohorts import generate_cohort
from matching.engine import runner
from matching.engine.runner import PinRejected, run_matching, score_distribution, suggest_mentors
from tests.unit.matching.support import person, problem


@pytest.fixture(params=["matrix", "summary"], autouse=True)
def scored_as(request, monkeypatch):
    """Every run below twice: scored into the int16 matrix, and as a cohort too large for it."""
    if request.param == "summary":
        monkeypatch.setattr(runner, "LARGE_COHORT_PAIRS", -1)
    return request.param

PYTHON = (("python", "expert"),)
LEADERSHIP = (("leadership", "expert"),)


def cohort(**fields):
    mentees = [person("m1", goals=("python",)), person("m2", goals=("leadership",))]
    mentors = [person("a", skills=PYTHON, seniority_band=7), person("b", skills=LEADERSHIP, seniority_band=7)]
    return problem(mentees, mentors, **fields)


def pairs(outcome):
    return {(pair.mentee_id, pair.mentor_id) for pair in outcome.pairs}


def test_each_mentee_gets_the_mentor_whose_skills_fit_their_goals():
    outcome = run_matching(cohort())
    assert pairs(outcome) == {("m1", "a"), ("m2", "b")}
    assert outcome.proof.proven and outcome.unmatched == ()
    assert all(pair.explanation.factors[0].name == "goals_skills" for pair in outcome.pairs)


def test_a_pin_holds_and_the_rest_is_solved_around_it():
    outcome = run_matching(cohort(pinned_pairs=(("m1", "b"),)))
    assert pairs(outcome) == {("m1", "b"), ("m2", "a")}
    assert [pair.pinned for pair in sorted(outcome.pairs, key=lambda p: p.mentee_id)] == [True, False]


@pytest.mark.parametrize("pins,field", [((("zz", "a"),), "mentee_id"), ((("m1", "zz"),), "mentor_id"),
                                         ((("m1", "a"), ("m2", "a")), "mentor_id")])
def test_a_pin_naming_a_stranger_or_exceeding_capacity_is_rejected(pins, field):
    with pytest.raises(PinRejected) as rejected:
        run_matching(cohort(pinned_pairs=pins))
    assert rejected.value.field == field and rejected.value.index == len(pins) - 1


def test_a_pin_that_breaks_a_hard_rule_is_rejected_with_the_rule():
    with pytest.raises(PinRejected, match="hard rule"):
        run_matching(cohort(pinned_pairs=(("m1", "a"),), forbidden_pairs=frozenset({("m1", "a")})))


def test_unmatched_mentees_say_whether_rules_or_capacity_kept_them_out():
    mentees = [person("m1", goals=("python",)), person("m2", goals=("python",)),
               person("m3", goals=("python",), languages=("fi",))]
    outcome = run_matching(problem(mentees, [person("a", skills=PYTHON, seniority_band=7)]))
    reasons = {u.mentee_id: (u.reason, u.missing) for u in outcome.unmatched}
    assert reasons["m3"] == ("no_eligible_mentor", 1)
    assert sorted(reasons.values()).count(("mentors_at_capacity", 1)) == 1
    assert next(u for u in outcome.unmatched if u.mentee_id == "m3").excluded_by["language"] == 1


def test_suggestions_rank_eligible_mentors_with_capacity_best_first():
    suggestions = suggest_mentors(cohort(), "m2", limit=5)
    assert [s.mentor_id for s in suggestions] == ["b", "a"]
    assert suggestions[0].score > suggestions[1].score


def test_a_cohort_without_mentors_suggests_no_one_rather_than_failing():
    # a leaver's mentee is offered a rematch in a cohort whose only mentor just left
    lonely = problem([person("m1", goals_text="grow as an engineering manager")], [])
    assert suggest_mentors(lonely, "m1", limit=1) == []


def test_the_distribution_counts_pairs_per_tenth():
    distribution = score_distribution([50, 950, 1000, 500])
    assert distribution["histogram"] == [1, 0, 0, 0, 0, 1, 0, 0, 0, 2]
    assert distribution["mean"] == 0.625
    assert score_distribution([])["mean"] is None


def test_a_large_cohort_solved_from_its_summary_gives_the_matrix_run_s_outcome(monkeypatch):
    base = generate_cohort(400, 70, capacity=3, seed=11)
    monkeypatch.setattr(runner, "LARGE_COHORT_PAIRS", 10 ** 12)
    # pin a pair the rules allow, to a mentee other than the one it went to
    some = run_matching(base).pairs
    pinned = replace(base, pinned_pairs=((some[0].mentee_id, some[-1].mentor_id),))
    outcomes = {}
    for name, threshold in (("matrix", 10 ** 12), ("summary", -1)):
        monkeypatch.setattr(runner, "LARGE_COHORT_PAIRS", threshold)
        outcomes[name] = run_matching(pinned)
    matrix, summary = outcomes["matrix"], outcomes["summary"]
    assert summary.proof.proven and matrix.proof.proven
    assert summary.total_score == matrix.total_score and len(summary.pairs) == len(matrix.pairs)
    assert [(p.mentee_id, p.mentor_id, p.score) for p in summary.pairs if p.pinned] == \
        [(p.mentee_id, p.mentor_id, p.score) for p in matrix.pairs if p.pinned]
    # Equally good proposals may leave different mentees out; the same number, for the same reasons.
    assert sorted((u.reason, u.missing) for u in summary.unmatched) == \
        sorted((u.reason, u.missing) for u in matrix.unmatched)
    in_both = {u.mentee_id: u.detail for u in matrix.unmatched}
    compared = [u for u in summary.unmatched if u.mentee_id in in_both]
    assert compared and all(u.detail == in_both[u.mentee_id] for u in compared)   # eligible mentors counted alike
