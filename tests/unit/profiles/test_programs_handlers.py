"""Programs, cohorts and enrollments (handlers/programs.py), on fake repositories."""

import pytest

from mentoring_shared.contracts import profiles as contracts
from mentoring_shared.errors import Conflict, InvalidField, NotFound
from profiles.handlers import programs as handlers
from tests.unit.profiles.fakes import fake_unit_of_work
from tests.unit.profiles.support import TENANT, cohort, person, program


def organized(cohort_status: str = "enrolling", *persons):
    uow = fake_unit_of_work(*persons)
    uow.programs.add(program())
    uow.cohorts.add(cohort(status=cohort_status))
    return uow


def test_creating_a_program_stores_and_publishes_it():
    uow = fake_unit_of_work()
    created = handlers.create_program(TENANT, {"name": "Leaders", "type": "classic"}, uow)
    assert uow.programs.get(TENANT, created.id) == created
    assert uow.published_types() == [contracts.PROGRAM_UPSERTED_V1] and uow.published[0].data["name"] == "Leaders"


def test_changing_a_program_publishes_its_new_version():
    uow = organized()
    changed = handlers.change_program(TENANT, "prog-1", {"meeting_cadence": "weekly"}, uow)
    assert changed.version == 2 and uow.programs.get(TENANT, "prog-1").meeting_cadence == "weekly"
    assert uow.published_types() == [contracts.PROGRAM_UPSERTED_V1]


def test_a_program_change_that_changes_nothing_commits_nothing():
    uow = organized()
    handlers.change_program(TENANT, "prog-1", {"name": "Leaders"}, uow)
    assert not uow.committed


def test_changing_an_unknown_program_is_not_found():
    with pytest.raises(NotFound):
        handlers.change_program(TENANT, "prog-404", {"name": "X"}, fake_unit_of_work())


def test_duplicating_a_program_copies_its_settings_under_a_new_id():
    uow = organized()
    copy = handlers.duplicate_program(TENANT, "prog-1", "Leaders 2", uow)
    assert copy.id != "prog-1" and copy.name == "Leaders 2" and copy.type == "classic"
    assert uow.published_types() == [contracts.PROGRAM_UPSERTED_V1]


def test_creating_a_cohort_makes_a_draft_of_the_program():
    uow = organized()
    created = handlers.create_cohort(TENANT, "prog-1", "Autumn", None, None, uow)
    assert created.status == "draft" and uow.cohorts.get(TENANT, created.id) == created
    assert uow.published_types() == [contracts.COHORT_UPSERTED_V1]


def test_a_cohort_of_an_unknown_program_is_refused_on_the_field():
    with pytest.raises(InvalidField):
        handlers.create_cohort(TENANT, "prog-404", "Autumn", None, None, fake_unit_of_work())


def test_changing_a_cohort_renames_it():
    uow = organized()
    assert handlers.change_cohort(TENANT, "c-1", {"name": "Summer"}, uow).name == "Summer"
    assert uow.published_types() == [contracts.COHORT_UPSERTED_V1]


def test_a_closed_cohort_cannot_be_changed():
    uow = organized("closed")
    with pytest.raises(Conflict):
        handlers.change_cohort(TENANT, "c-1", {"name": "Summer"}, uow)
    assert not uow.committed


def test_changing_an_unknown_cohort_is_not_found():
    with pytest.raises(NotFound):
        handlers.change_cohort(TENANT, "c-404", {"name": "X"}, fake_unit_of_work())


def test_a_transition_saves_the_status_and_publishes_it():
    uow = organized("enrolling")
    moved = handlers.transition_cohort(TENANT, "c-1", "matching", uow)
    assert moved.status == "matching" and uow.cohorts.get(TENANT, "c-1").status == "matching"
    assert contracts.COHORT_STATUS_CHANGED_V1 in uow.published_types()
    changed = next(e for e in uow.published if e.type == contracts.COHORT_STATUS_CHANGED_V1)
    assert (changed.data["from_status"], changed.data["to_status"]) == ("enrolling", "matching")


def test_a_transition_the_lifecycle_forbids_is_a_conflict():
    uow = organized("draft")
    with pytest.raises(Conflict):
        handlers.transition_cohort(TENANT, "c-1", "closed", uow)
    assert not uow.committed


def test_duplicating_a_cohort_makes_a_new_draft():
    uow = organized("active")
    copy = handlers.duplicate_cohort(TENANT, "c-1", "Next", None, None, uow)
    assert copy.id != "c-1" and copy.status == "draft" and copy.program_id == "prog-1"
    assert uow.published_types() == [contracts.COHORT_UPSERTED_V1]


def test_enrolling_stores_the_enrollment_and_publishes_it():
    uow = organized("enrolling", person("p-1"))
    enrolled = handlers.enroll(TENANT, "c-1", "p-1", "mentee", {"goals_text": "Lead"}, uow)
    assert uow.enrollments.is_enrolled(TENANT, "c-1", "p-1", "mentee")
    assert uow.published_types() == [contracts.ENROLLMENT_CREATED_V1]
    assert uow.published[0].subject == enrolled.id and uow.published[0].data["person_id"] == "p-1"


def test_enrolling_an_unknown_person_is_refused_on_the_field():
    uow = organized("enrolling")
    with pytest.raises(InvalidField):
        handlers.enroll(TENANT, "c-1", "p-404", "mentee", {}, uow)
    assert not uow.committed


def test_enrolling_in_a_cohort_that_is_not_enrolling_is_a_conflict():
    uow = organized("draft", person("p-1"))
    with pytest.raises(Conflict):
        handlers.enroll(TENANT, "c-1", "p-1", "mentee", {}, uow)
    assert not uow.committed


def test_enrolling_twice_in_the_same_role_is_a_conflict():
    uow = organized("enrolling", person("p-1"))
    handlers.enroll(TENANT, "c-1", "p-1", "mentee", {}, uow)
    with pytest.raises(Conflict):
        handlers.enroll(TENANT, "c-1", "p-1", "mentee", {}, uow)
    assert uow.commits == 1


def test_enrolling_in_an_unknown_cohort_is_not_found():
    with pytest.raises(NotFound):
        handlers.enroll(TENANT, "c-404", "p-1", "mentee", {}, fake_unit_of_work(person("p-1")))


def test_withdrawing_saves_the_status_and_publishes_withdrawn():
    uow = organized("enrolling", person("p-1"))
    enrolled = handlers.enroll(TENANT, "c-1", "p-1", "mentor", {}, uow)
    withdrawn = handlers.withdraw(TENANT, enrolled.id, "moved team", uow)
    assert withdrawn.status == "withdrawn" and uow.enrollments.get(TENANT, enrolled.id).status == "withdrawn"
    assert uow.published_types()[-1] == contracts.ENROLLMENT_WITHDRAWN_V1


def test_withdrawing_an_unknown_enrollment_is_not_found():
    with pytest.raises(NotFound):
        handlers.withdraw(TENANT, "en-404", None, fake_unit_of_work())
