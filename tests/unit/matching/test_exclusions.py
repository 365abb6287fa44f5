"""Hard rules: each excludes exactly its pairs, with a stable code, and the score matrix agrees."""

from collections import Counter

import pytest

from bench.matching_cohorts import generate_cohort
from matching.engine.exclusions import (
    AVOID,
    FORBIDDEN,
    LANGUAGE,
    NO_SHARED_WORKING_TIME,
    PREVIOUS_PAIR,
    REPORTING_LINE,
    RULES,
    SAME_PERSON,
    ManagementChains,
)
from matching.engine.explanations import exclusion_summaries, exclusion_summary, explain_pair, explain_pairs
from matching.engine.model import EXCLUDED
from matching.engine.scoring import score_pairs
from tests.unit.matching.support import hours, person, problem


def broken_rules(cohort, mentee_id: str, mentor_id: str) -> set[str]:
    return {code for code, _ in explain_pair(cohort, mentee_id, mentor_id).exclusions}


def score(cohort, mentee_id: str, mentor_id: str) -> int:
    scores = score_pairs(cohort)
    return int(scores.scores[scores.mentee_ids.index(mentee_id), scores.mentor_ids.index(mentor_id)])


def test_every_rule_has_a_stable_code_and_a_human_text():
    assert list(RULES) == [SAME_PERSON, REPORTING_LINE, AVOID, PREVIOUS_PAIR, FORBIDDEN, LANGUAGE,
                           NO_SHARED_WORKING_TIME]
    assert all(text.endswith(".") and len(text) > 20 for text in RULES.values())


# E-boss (not enrolled) manages E-lead, who manages E-dev; E-other is in another branch
MANAGERS = {"E-dev": "E-lead", "E-lead": "E-boss", "E-boss": "E-ceo", "E-ceo": None, "E-other": "E-ceo"}


def test_a_mentor_up_the_mentees_chain_through_a_manager_who_is_not_enrolled_is_excluded():
    cohort = problem([person("dev", employee_id="E-dev"), person("other", employee_id="E-other")],
                     [person("ceo", employee_id="E-ceo"), person("peer", employee_id="E-peer")], managers=MANAGERS)
    assert broken_rules(cohort, "dev", "ceo") == {REPORTING_LINE}
    assert broken_rules(cohort, "other", "ceo") == {REPORTING_LINE}
    assert broken_rules(cohort, "dev", "peer") == set()
    assert score(cohort, "dev", "ceo") == EXCLUDED


def test_a_mentee_up_the_mentors_chain_is_excluded_too():
    # reverse mentoring: the junior developer mentors the chief executive two levels up
    cohort = problem([person("ceo", employee_id="E-ceo", seniority_band=9)],
                     [person("dev", employee_id="E-dev", seniority_band=2)], managers=MANAGERS, program_type="reverse")
    assert broken_rules(cohort, "ceo", "dev") == {REPORTING_LINE}
    assert score(cohort, "ceo", "dev") == EXCLUDED


def test_a_loop_in_the_manager_data_neither_hangs_nor_excludes_people_outside_it():
    chains = ManagementChains({"A": "B", "B": "C", "C": "A", "D": "A"})
    assert chains.above("A") == ("B", "C")
    assert chains.above("D") == ("A", "B", "C")
    cohort = problem([person("a", employee_id="A")], [person("c", employee_id="C"), person("x", employee_id="X")],
                     managers={"A": "B", "B": "C", "C": "A"})
    assert broken_rules(cohort, "a", "c") == {REPORTING_LINE}
    assert broken_rules(cohort, "a", "x") == set()


def test_chains_are_remembered_consistently_whichever_person_is_asked_first():
    managers = {"E1": "E2", "E2": "E3", "E3": "E4", "E4": None}
    first, second = ManagementChains(managers), ManagementChains(managers)
    assert first.above("E2") == ("E3", "E4") and first.above("E1") == ("E2", "E3", "E4")
    assert second.above("E1") == ("E2", "E3", "E4") and second.above("E2") == ("E3", "E4")


@pytest.mark.parametrize("mentee_avoids,mentor_avoids", [(("mentor",), ()), ((), ("mentee",))])
def test_either_side_asking_to_avoid_the_other_excludes_the_pair(mentee_avoids, mentor_avoids):
    cohort = problem([person("mentee", avoid_person_ids=mentee_avoids)],
                     [person("mentor", avoid_person_ids=mentor_avoids), person("someone")])
    assert broken_rules(cohort, "mentee", "mentor") == {AVOID}
    assert broken_rules(cohort, "mentee", "someone") == set()


def test_a_previous_pair_and_a_forbidden_pair_are_excluded():
    cohort = problem([person("a"), person("b")], [person("x"), person("y")],
                     previous_pairs=frozenset({("a", "x")}), forbidden_pairs=frozenset({("b", "y")}))
    assert broken_rules(cohort, "a", "x") == {PREVIOUS_PAIR}
    assert broken_rules(cohort, "b", "y") == {FORBIDDEN}
    assert broken_rules(cohort, "a", "y") == broken_rules(cohort, "b", "x") == set()
    assert [score(cohort, "a", "x"), score(cohort, "b", "y")] == [EXCLUDED, EXCLUDED]


def test_a_person_enrolled_on_both_sides_is_not_matched_with_themself():
    cohort = problem([person("same", seniority_band=3)], [person("same", seniority_band=5)])
    assert broken_rules(cohort, "same", "same") == {SAME_PERSON}


@pytest.mark.parametrize("mentee,mentor,excluded", [
    ({"languages": ("fr",)}, {"languages": ("en",)}, True),
    ({"languages": ("fr", "en")}, {"languages": ("en",)}, False),
    ({"languages": ("fr", "en"), "preferred_languages": ("fr",)}, {"languages": ("en",)}, True),
    ({"languages": ("en",), "preferred_languages": ("de",)}, {"languages": ("de", "en")}, False),
    ({"languages": ()}, {"languages": ("ja",)}, False),
    ({"languages": ("fr",)}, {"languages": ()}, False),
    ({"languages": ("EN ",)}, {"languages": ("en",)}, False),
    ({"languages": ("fr", "en")}, {"languages": ("fr", "en"), "preferred_languages": ("de",)}, True),
])
def test_the_mentor_must_speak_a_language_the_mentee_needs(mentee, mentor, excluded):
    cohort = problem([person("mentee", **mentee)], [person("mentor", **mentor)])
    assert (LANGUAGE in broken_rules(cohort, "mentee", "mentor")) is excluded
    assert (score(cohort, "mentee", "mentor") == EXCLUDED) is excluded


def test_too_little_shared_working_time_for_a_meeting_excludes_the_pair():
    # London 09:00-17:00 (Mondays only) and New York 11:30-19:30 (16:30-00:30 UTC): 30 minutes a week
    mentee = person("mentee", working_hours=hours(days=(1,)))
    cohort = problem([mentee], [person("ny", time_zone="America/New_York", working_hours=hours("11:30", "19:30"))])
    assert broken_rules(cohort, "mentee", "ny") == {NO_SHARED_WORKING_TIME}
    assert score(cohort, "mentee", "ny") == EXCLUDED
    assert broken_rules(problem([mentee], cohort.mentors, meeting_minutes=30), "mentee", "ny") == set()


def test_exclusion_summary_counts_the_mentors_each_rule_excludes():
    mentors = [person("boss", employee_id="E-lead"), person("avoided"), person("french", languages=("fr",)),
               person("tokyo", time_zone="Asia/Tokyo"), person("fine"),
               person("both", languages=("fr",), time_zone="Asia/Tokyo")]
    cohort = problem([person("dev", employee_id="E-dev", avoid_person_ids=("avoided",))], mentors, managers=MANAGERS,
                     previous_pairs=frozenset({("dev", "fine")}))
    summary = exclusion_summary(cohort, "dev")
    assert summary == {SAME_PERSON: 0, REPORTING_LINE: 1, AVOID: 1, PREVIOUS_PAIR: 1, FORBIDDEN: 0, LANGUAGE: 2,
                       NO_SHARED_WORKING_TIME: 2}
    assert (score_pairs(cohort).scores == EXCLUDED).all()


def test_exclusion_summary_agrees_with_each_pairs_explanation_and_the_score_matrix():
    cohort = generate_cohort(300, 150, seed=2)
    scores = score_pairs(cohort)
    mentee_ids = scores.mentee_ids[:12]
    summaries = exclusion_summaries(cohort, mentee_ids)
    for row, mentee_id in enumerate(mentee_ids):
        explanations = explain_pairs(cohort, [(mentee_id, mentor_id) for mentor_id in scores.mentor_ids])
        counted = Counter(code for explanation in explanations for code, _ in explanation.exclusions)
        assert summaries[mentee_id] == {code: counted.get(code, 0) for code in RULES}
        assert summaries[mentee_id] == exclusion_summary(cohort, mentee_id)
        excluded = sum(1 for explanation in explanations if explanation.exclusions)
        assert excluded == (scores.scores[row] == EXCLUDED).sum()
    assert sum(sum(summary.values()) for summary in summaries.values()) > 0
