"""Importing an HR file (handlers/hr_import.py), on fake repositories."""

import pytest

from mentoring_shared.contracts import profiles as contracts
from mentoring_shared.errors import InvalidField
from profiles.handlers.hr_import import import_people
from tests.unit.hr_import.support import PLAIN, csv_bytes
from tests.unit.hr_import.support import person as row
from tests.unit.profiles.fakes import fake_unit_of_work
from tests.unit.profiles.support import TENANT, person


def test_a_clean_file_creates_people_and_publishes_in_one_commit():
    uow, progress = fake_unit_of_work(), []
    report = import_people(TENANT, csv_bytes([row("E-1"), row("E-2", manager_employee_id="E-1")]), PLAIN, False,
                           uow, progress=lambda done, total: progress.append((done, total)))
    assert report.applied and report.summary["creates"] == 2
    assert set(uow.people.by_employee_id(TENANT)) == {"E-1", "E-2"}
    assert uow.published_types() == [contracts.PERSON_UPSERTED_V1] * 2 and uow.commits == 1
    assert progress[-1] == (2, 2)


def test_a_known_employee_is_changed_not_created():
    uow = fake_unit_of_work(person("p-1", employee_id="E-1", email="e-1@example.com", title="Junior"))
    report = import_people(TENANT, csv_bytes([row("E-1", title="Engineer")]), PLAIN, False, uow)
    assert report.applied and uow.people.get(TENANT, "p-1").title == "Engineer"
    assert contracts.PERSON_UPSERTED_V1 in uow.published_types()


def test_a_dry_run_writes_and_publishes_nothing():
    uow = fake_unit_of_work()
    report = import_people(TENANT, csv_bytes([row("E-1")]), PLAIN, True, uow)
    assert report.dry_run and not report.applied and report.summary["creates"] == 1
    assert not uow.committed and uow.people.by_employee_id(TENANT) == {}


def test_a_file_with_a_bad_row_applies_nothing():
    uow = fake_unit_of_work()
    report = import_people(TENANT, csv_bytes([row("E-1"), row("E-2", time_zone="Mars/Base")]), PLAIN, False, uow)
    assert not report.applied and report.errors and not uow.committed


def test_an_unreadable_file_is_an_invalid_field():
    with pytest.raises(InvalidField):
        import_people(TENANT, b"\x00\x01 not a csv", PLAIN, False, fake_unit_of_work())
