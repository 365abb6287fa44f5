"""Factor values, their weighting, and the cohort matrix: what each factor rewards, and that the
matrix is deterministic and the same whichever way it is computed."""

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bench.matching_cohorts import generate_cohort
from matching.engine.explanations import explain_pair, explain_pairs
from matching.engine.model import EXCLUDED, SCORE_SCALE
from matching.engine.scoring import score_one_mentee, score_pairs
from tests.unit.matching.support import hours, only, person, problem

ROOT = Path(__file__).resolve().parents[3]


def single_score(mentee, mentor, **fields) -> int:
    scores = score_pairs(problem([mentee], [mentor], **fields)).scores
    assert scores.shape == (1, 1) and scores.dtype == np.int16
    return int(scores[0, 0])


@pytest.mark.parametrize("mentee_band,mentor_band,expected", [
    (4, 3, 0), (4, 4, 400), (4, 5, 1000), (4, 7, 1000), (4, 8, 700), (4, 9, 500), (1, 9, 300), (None, 5, 500),
    (4, None, 500),
])
def test_classic_seniority_prefers_a_mentor_one_to_three_bands_above(mentee_band, mentor_band, expected):
    for program_type in ("classic", "group"):
        assert single_score(person("a", seniority_band=mentee_band), person("b", seniority_band=mentor_band),
                            weights=only("seniority"), program_type=program_type) == expected


@pytest.mark.parametrize("mentee_band,mentor_band,expected", [(7, 5, 1000), (5, 7, 0), (5, 5, 400), (9, 2, 300)])
def test_reverse_mentoring_mirrors_seniority_the_mentee_is_the_senior_one(mentee_band, mentor_band, expected):
    assert single_score(person("a", seniority_band=mentee_band), person("b", seniority_band=mentor_band),
                        weights=only("seniority"), program_type="reverse") == expected


def test_an_unknown_program_type_is_refused():
    with pytest.raises(ValueError, match="peer"):
        score_pairs(problem([person("a")], [person("b")], program_type="peer"))


@pytest.mark.parametrize("mentor_hours,expected", [
    (hours(), 1000),                       # 40 h a week in common, saturated
    (hours("15:00", "17:00"), 1000),       # 10 h
    (hours("16:00", "17:00"), 500),        # 5 h
    (hours("16:00", "17:00", (1, 2)), 200),  # 2 h
])
def test_working_hours_overlap_grows_with_shared_hours_up_to_ten_a_week(mentor_hours, expected):
    mentor = person("b", working_hours=mentor_hours)
    assert single_score(person("a"), mentor, weights=only("working_hours_overlap")) == expected


@pytest.mark.parametrize("mentee,mentor,expected", [
    ({"department": "Engineering"}, {"department": "Finance"}, 1000),
    ({"department": "Engineering"}, {"department": " engineering"}, 0),
    ({"department": "Engineering", "preferred_departments": ("Engineering",)}, {"department": "Engineering"}, 1000),
    ({"department": None}, {"department": "Finance"}, 500),
    ({"department": None, "preferred_departments": ("Finance",)}, {"department": "Finance"}, 1000),
    ({"department": "Engineering"}, {"department": None}, 500),
])
def test_cross_department_rewards_another_departments_view(mentee, mentor, expected):
    assert single_score(person("a", **mentee), person("b", **mentor), weights=only("cross_department")) == expected


@pytest.mark.parametrize("levels,expected", [
    ({"python": "expert", "sql": "expert", "go": "expert"}, 1000),
    ({"python": "expert"}, 333),
    ({"python": "beginner"}, 83),
    ({"python": "intermediate", "sql": "advanced"}, 417),
    ({"rust": "expert"}, 0),
])
def test_goal_tags_match_the_mentors_skills_weighted_by_level(levels, expected):
    mentee = person("a", goals=("python", "sql"), preferred_skills=("Go", "kafka"))  # 4 wanted tags: 3 cover fully
    mentor = person("b", skills=tuple(levels.items()))
    assert single_score(mentee, mentor, weights=only("goals_skills")) == expected


def test_a_mentee_with_a_text_of_its_own_is_matched_on_the_text_as_well():
    mentee = person("a", goals=("python",), goals_text="I want to learn distributed systems and kubernetes operations")
    close = person("close", skills=(("python", "expert"),), title="Distributed systems engineer",
                   interests=("kubernetes",))
    far = person("far", skills=(("python", "expert"),), title="Accountant", interests=("tax",))
    scores = score_pairs(problem([mentee], [close, far], weights=only("goals_skills"))).scores
    # both cover the wanted tag fully (0.7); the text (0.3) tells them apart
    assert 700 <= scores[0, 1] < scores[0, 0] < 1000
    tags_only = person("a", goals=("python",))
    without_text = score_pairs(problem([tags_only], [close, far], weights=only("goals_skills")))
    assert without_text.scores.tolist() == [[1000, 1000]]


def test_weights_are_normalized_and_a_missing_factor_weighs_nothing():
    mentee, mentor = person("a", seniority_band=4), person("b", seniority_band=4, department="Finance")
    # seniority 0.4 and cross_department 1.0, weighted 1:3 -> 0.85
    assert single_score(mentee, mentor, weights={"seniority": 1, "cross_department": 3}) == 850
    assert single_score(mentee, mentor, weights={"seniority": 10, "cross_department": 30}) == 850
    with pytest.raises(ValueError, match="charisma"):
        single_score(mentee, mentor, weights={"charisma": 1})


def test_rows_and_columns_are_sorted_by_person_id_with_their_slots():
    scores = score_pairs(problem([person("m2", slots=1), person("m1", slots=2)],
                                 [person("t9", slots=5), person("t3", slots=3)]))
    assert scores.mentee_ids == ("m1", "m2") and scores.mentor_ids == ("t3", "t9")
    assert scores.mentee_slots.tolist() == [2, 1] and scores.mentor_slots.tolist() == [3, 5]
    assert scores.mentee_slots.dtype == np.int32 and scores.mentor_slots.dtype == np.int32


@pytest.fixture(scope="module")
def cohort():
    return generate_cohort(400, 120, seed=11)


@pytest.fixture(scope="module")
def cohort_scores(cohort):
    return score_pairs(cohort)


def test_scores_are_within_the_scale_or_excluded(cohort_scores):
    scores = cohort_scores.scores
    assert scores.dtype == np.int16 and scores.shape == (400, 120)
    assert scores.min() == EXCLUDED and scores.max() <= SCORE_SCALE
    assert 0.05 < (scores == EXCLUDED).mean() < 0.9
    assert len(np.unique(scores)) > 100


def test_the_same_cohort_gives_the_same_matrix(cohort, cohort_scores):
    again = score_pairs(generate_cohort(400, 120, seed=11))
    assert again.mentee_ids == cohort_scores.mentee_ids
    assert np.array_equal(again.scores, cohort_scores.scores)


def test_the_matrix_does_not_depend_on_the_process_or_its_hash_seed(cohort_scores):
    script = ("import hashlib; from bench.matching_cohorts import generate_cohort; "
              "from matching.engine.scoring import score_pairs; "
              "print(hashlib.sha256(score_pairs(generate_cohort(400, 120, seed=11)).scores.tobytes()).hexdigest())")
    for hash_seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        digest = subprocess.run([sys.executable, "-c", script], env=environment, cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        assert digest == hashlib.sha256(cohort_scores.scores.tobytes()).hexdigest()


@pytest.mark.parametrize("chunk_rows", [1, 7, 4096])
def test_the_block_size_does_not_change_a_single_score(cohort, cohort_scores, chunk_rows):
    assert np.array_equal(score_pairs(cohort, chunk_rows=chunk_rows).scores, cohort_scores.scores)


def test_the_participants_order_in_the_problem_does_not_matter(cohort, cohort_scores):
    from dataclasses import replace

    shuffled = replace(cohort, mentees=cohort.mentees[::-1], mentors=cohort.mentors[::-1])
    assert np.array_equal(score_pairs(shuffled).scores, cohort_scores.scores)


def test_one_mentee_scored_alone_gets_the_row_it_gets_in_the_cohort(cohort, cohort_scores):
    for row in (0, 123, 399):
        alone = score_one_mentee(cohort, cohort_scores.mentee_ids[row])
        assert alone.mentee_ids == (cohort_scores.mentee_ids[row],) and alone.mentor_ids == cohort_scores.mentor_ids
        assert np.array_equal(alone.scores[0], cohort_scores.scores[row])


def test_an_explained_pair_has_exactly_the_score_of_the_matrix(cohort, cohort_scores):
    rng = np.random.default_rng(5)
    eligible = np.argwhere(cohort_scores.scores >= 0)
    excluded = np.argwhere(cohort_scores.scores == EXCLUDED)
    picks = [*eligible[rng.choice(len(eligible), 40, replace=False)],
             *excluded[rng.choice(len(excluded), 10, replace=False)]]
    for row, column in picks[:5]:
        alone = explain_pair(cohort, cohort_scores.mentee_ids[row], cohort_scores.mentor_ids[column])
        assert alone.score == cohort_scores.scores[row, column]
    together = explain_pairs(cohort, [(cohort_scores.mentee_ids[row], cohort_scores.mentor_ids[column])
                                      for row, column in picks])
    for (row, column), explanation in zip(picks, together):
        assert (explanation.mentee_id, explanation.mentor_id) == (cohort_scores.mentee_ids[row],
                                                                  cohort_scores.mentor_ids[column])
        assert explanation.score == cohort_scores.scores[row, column]
        assert bool(explanation.exclusions) == (explanation.score == EXCLUDED)
        if explanation.exclusions:
            continue
        weighted = sum(factor.contribution for factor in explanation.factors) * SCORE_SCALE
        assert abs(weighted - explanation.score) <= 0.5 + 1e-3


def test_the_reference_week_moves_working_time_with_daylight_saving():
    london, new_york = person("a"), person("b", time_zone="America/New_York")
    winter = single_score(london, new_york, weights=only("working_hours_overlap"), reference_date=date(2026, 1, 5))
    march = single_score(london, new_york, weights=only("working_hours_overlap"), reference_date=date(2026, 3, 10))
    assert (winter, march) == (1000, 1000)  # 15 h and 20 h both saturate; later hours show the shift
    late = person("b", time_zone="America/New_York", working_hours=hours("11:00", "14:00"))
    # 16:00-19:00 UTC in January, 15:00-18:00 UTC once New York alone is on summer time: 5 h, then 10 h
    assert single_score(london, late, weights=only("working_hours_overlap"), reference_date=date(2026, 1, 5)) == 500
    assert single_score(london, late, weights=only("working_hours_overlap"), reference_date=date(2026, 3, 10)) == 1000


def test_an_empty_side_gives_an_empty_matrix():
    assert score_pairs(problem([], [person("b")])).scores.shape == (0, 1)
    assert score_pairs(problem([person("a")], [])).scores.shape == (1, 0)


def test_a_cohort_without_any_words_still_scores():
    scores = score_pairs(problem([person("a", goals_text="the and of")], [person("b")], weights=only("goals_skills")))
    assert scores.scores.tolist() == [[0]]


def test_explaining_every_pair_of_the_cohort_repeats_the_whole_matrix(cohort, cohort_scores):
    every_pair = [(mentee_id, mentor_id) for mentee_id in cohort_scores.mentee_ids[::7]
                  for mentor_id in cohort_scores.mentor_ids]
    scores = [explanation.score for explanation in explain_pairs(cohort, every_pair)]
    assert scores == cohort_scores.scores[::7].reshape(-1).tolist()
