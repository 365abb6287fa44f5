"""The benchmark's cohort generator: seeded, realistic in the ways the engine cares about."""

from collections import Counter
from statistics import mean

from bench.matching_cohorts import generate_cohort


def test_the_same_seed_gives_the_same_cohort_and_another_seed_another():
    assert generate_cohort(300, 60, seed=3) == generate_cohort(300, 60, seed=3)
    assert generate_cohort(300, 60, seed=3).mentees != generate_cohort(300, 60, seed=4).mentees


def test_a_cohort_looks_like_an_organisation():
    cohort = generate_cohort(2000, 400)
    people = cohort.mentees + cohort.mentors
    assert len(cohort.mentees) == 2000 and len(cohort.mentors) == 400
    assert {mentor.slots for mentor in cohort.mentors} == {5} and {mentee.slots for mentee in cohort.mentees} == {1}
    assert mean(m.seniority_band for m in cohort.mentors if m.seniority_band) > \
        mean(m.seniority_band for m in cohort.mentees if m.seniority_band) + 1.5
    assert 6 <= len({person.time_zone for person in people}) <= 10
    assert len({person.department for person in people} - {None}) == 8
    assert Counter(language for person in people for language in person.languages).most_common(1)[0][0] == "en"
    assert 100 <= len({tag for person in people for tag, _ in person.skills}) <= 160
    assert len(cohort.managers) > len(people)                      # managers who are not enrolled
    depths = []
    for person in people[:200]:
        depth, node = 0, cohort.managers[person.employee_id]
        while node is not None:
            depth, node = depth + 1, cohort.managers[node]
        depths.append(depth)
    assert max(depths) == 6
    assert cohort.previous_pairs and any(person.avoid_person_ids for person in people)
    assert sum(bool(mentee.goals_text) for mentee in cohort.mentees) > 1000


def test_reverse_mentoring_enrols_junior_mentors():
    cohort = generate_cohort(500, 100, program_type="reverse")
    assert cohort.program_type == "reverse"
    assert mean(m.seniority_band for m in cohort.mentors if m.seniority_band) < \
        mean(m.seniority_band for m in cohort.mentees if m.seniority_band)
