"""A pair explained factor by factor, in words a person can read, ready for JSON."""

import json

import pytest

from matching.engine.explanations import explain_pair
from matching.engine.prepared_cohort import NotInCohort
from tests.unit.matching.support import hours, person, problem

MENTEE = person("mentee", seniority_band=5, goals=("python", "leadership", "sql"), department="Engineering",
                goals_text="Grow into a technical leadership role")
MENTOR = person("mentor", seniority_band=7, department="Finance", title="Engineering Director",
                skills=(("python", "expert"), ("leadership", "advanced"), ("excel", "expert")),
                time_zone="America/New_York", working_hours=hours("10:30", "14:00"))


def explained(**fields):
    return explain_pair(problem([MENTEE], [MENTOR], **fields), "mentee", "mentor")


def test_each_factor_says_why_in_words():
    details = {factor.name: factor.detail for factor in explained().factors}
    assert details["goals_skills"].startswith("shared: leadership, python; text similarity 0.")
    assert details["seniority"] == "mentor band 7, mentee band 5 (gap 2)"
    assert details["working_hours_overlap"] == "7.5 h a week in common"  # 15:30-17:00 UTC, five days
    assert details["cross_department"] == "Engineering -> Finance"


def test_factors_come_highest_contribution_first_and_add_up_to_the_score():
    explanation = explained()
    contributions = [factor.contribution for factor in explanation.factors]
    assert contributions == sorted(contributions, reverse=True)
    assert abs(sum(contributions) * 1000 - explanation.score) <= 0.5
    assert {factor.name: factor.weight for factor in explanation.factors} == {
        "goals_skills": 0.4, "seniority": 0.2, "working_hours_overlap": 0.2, "cross_department": 0.2}
    assert all(factor.contribution == pytest.approx(factor.weight * factor.value) for factor in explanation.factors)


def test_reverse_mentoring_says_which_side_is_senior():
    details = {factor.name: factor.detail for factor in explained(program_type="reverse").factors}
    assert details["seniority"] == "mentee band 5, mentor band 7 (gap -2, reverse mentoring)"


def test_an_excluded_pair_lists_the_rules_it_breaks_and_serializes_to_json():
    pair = frozenset({("mentee", "mentor")})
    explanation = explained(previous_pairs=pair, forbidden_pairs=pair)
    assert explanation.score == -1 and not explanation.eligible
    as_dict = json.loads(json.dumps(explanation.as_dict()))
    assert [rule["code"] for rule in as_dict["exclusions"]] == ["previous_pair", "forbidden"]
    assert as_dict["eligible"] is False and len(as_dict["factors"]) == 4
    assert set(as_dict["factors"][0]) == {"name", "weight", "value", "contribution", "detail"}


def test_a_person_outside_the_cohort_is_reported_as_such():
    with pytest.raises(NotInCohort, match="nobody"):
        explain_pair(problem([MENTEE], [MENTOR]), "mentee", "nobody")
    with pytest.raises(NotInCohort, match="mentor"):
        explain_pair(problem([MENTEE], [MENTOR]), "mentor", "mentor")
