"""TF-IDF similarity of a mentee's goals with a mentor's experience, fitted on the cohort."""

import numpy as np

from matching.engine.text_similarity import experience_text, goal_text, text_similarity
from tests.unit.matching.support import person

MENTEES = [person("m1", goals_text="I want to learn machine learning and statistics", goals=("public-speaking",)),
           person("m2", goals_text="Negotiation with enterprise customers"),
           person("m3")]
MENTORS = [person("t1", title="Data Scientist", skills=(("machine-learning", "expert"), ("statistics", "advanced"))),
           person("t2", title="Account Executive", skills=(("negotiation", "expert"),),
                  interests=("enterprise-sales",)),
           person("t3", title="Speaker coach", interests=("public-speaking",))]


def test_the_texts_are_built_from_goals_and_experience():
    assert goal_text(MENTEES[0]) == "I want to learn machine learning and statistics public speaking"
    assert experience_text(MENTORS[1]) == "Account Executive negotiation enterprise sales"


def test_a_mentee_is_most_similar_to_the_mentor_with_the_matching_experience():
    similarity = text_similarity(MENTEES, MENTORS).rows(0, 3)
    assert similarity.shape == (3, 3) and similarity.dtype == np.float32
    assert similarity[0].argmax() == 0 and similarity[1].argmax() == 1
    assert similarity[0, 2] > 0                       # "public speaking", from the mentee's tags
    assert (similarity[2] == 0).all()                 # nothing written, nothing similar
    assert ((0 <= similarity) & (similarity <= 1.0001)).all()


def test_a_mentee_vectorized_alone_gets_exactly_its_row_in_the_cohort():
    whole = text_similarity(MENTEES, MENTORS).rows(0, 3)
    for index, mentee in enumerate(MENTEES):
        alone = text_similarity(MENTEES, MENTORS, [mentee]).rows(0, 1)
        assert np.array_equal(alone[0], whole[index])


def test_the_model_is_fitted_on_the_cohort_so_a_common_word_weighs_less():
    common = [person(f"x{i}", goals_text="leadership") for i in range(20)]
    rare = text_similarity(MENTEES, MENTORS).rows(0, 1)[0, 0]
    extra_mentor = person("t4", title="Leadership machine learning")
    diluted = text_similarity(MENTEES + common, MENTORS + [extra_mentor]).rows(0, 1)[0, 0]
    assert diluted != rare
