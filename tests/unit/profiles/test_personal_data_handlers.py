"""Export and erasure (handlers/personal_data.py), on fake repositories."""

import pytest

from mentoring_shared.contracts import profiles as contracts
from mentoring_shared.errors import NotFound
from profiles.domain import enrollments
from profiles.domain.scim_users import UserRecord
from profiles.handlers import personal_data
from tests.unit.profiles.fakes import fake_unit_of_work
from tests.unit.profiles.support import NOW, TENANT, cohort, person, program


def with_enrollment():
    ada = person("p-1")
    uow = fake_unit_of_work(ada)
    enrollment, _ = enrollments.enroll(enrollment_id="en-1", person=ada, cohort=cohort(), program=program(),
                                       role="mentee", now=NOW, already_enrolled=False, goals_text="Lead a team")
    uow.enrollments.add(enrollment)
    uow.scim_users.save(TENANT, "p-1", UserRecord("ada"), person_changed=True)
    return uow


def test_export_is_the_person_and_their_enrollments_and_commits_nothing():
    uow = with_enrollment()
    exported = personal_data.export_person(TENANT, "p-1", uow)
    assert exported["person"].id == "p-1" and [e.id for e in exported["enrollments"]] == ["en-1"]
    assert not uow.committed


def test_exporting_an_unknown_person_is_not_found():
    with pytest.raises(NotFound):
        personal_data.export_person(TENANT, "p-404", fake_unit_of_work())


def test_erasure_anonymizes_scrubs_forgets_and_publishes_erased():
    uow = with_enrollment()
    erased = personal_data.erase_person(TENANT, "p-1", uow)
    assert erased.erased and uow.people.get(TENANT, "p-1").email != "p-1@example.com"
    assert uow.enrollments.get(TENANT, "en-1").goals_text in (None, "")
    assert uow.forgotten == [(TENANT, ["p-1", "en-1"])]
    assert uow.scim_users.load(TENANT, ["p-1"]) == {}
    assert contracts.PERSON_ERASED_V1 in uow.published_types()
    assert contracts.ENROLLMENT_WITHDRAWN_V1 in uow.published_types()


def test_erasing_twice_changes_nothing_the_second_time():
    uow = with_enrollment()
    personal_data.erase_person(TENANT, "p-1", uow)
    commits = uow.commits
    personal_data.erase_person(TENANT, "p-1", uow)
    assert uow.commits == commits


def test_erasing_an_unknown_person_is_not_found():
    with pytest.raises(NotFound):
        personal_data.erase_person(TENANT, "p-404", fake_unit_of_work())
