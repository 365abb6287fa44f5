"""Registering and changing people (handlers/people.py), on fake repositories."""

import pytest

from mentoring_shared.contracts import profiles as contracts
from mentoring_shared.errors import Conflict, InvalidField, NotFound, PreconditionFailed
from profiles.handlers import people as handlers
from tests.unit.profiles.fakes import fake_unit_of_work
from tests.unit.profiles.support import TENANT, person

NEW = {"name": "Ada Lovelace", "email": "Ada@Example.com", "time_zone": "Europe/London", "employee_id": "E-9"}


def test_registering_stores_the_person_and_publishes_upserted():
    uow = fake_unit_of_work()
    registered = handlers.register_person(TENANT, NEW, uow)
    assert uow.people.get(TENANT, registered.id) == registered and registered.email == "ada@example.com"
    assert uow.published_types() == [contracts.PERSON_UPSERTED_V1]
    assert uow.published[0].subject == registered.id and uow.published[0].data["version"] == 1


def test_registering_a_taken_email_is_a_conflict_and_publishes_nothing():
    uow = fake_unit_of_work(person("p-1", email="ada@example.com"))
    with pytest.raises(Conflict):
        handlers.register_person(TENANT, NEW, uow)
    assert not uow.committed and uow.published == []


def test_registering_under_an_unknown_manager_is_refused():
    uow = fake_unit_of_work()
    with pytest.raises(InvalidField):
        handlers.register_person(TENANT, {**NEW, "manager_employee_id": "E-404"}, uow)
    assert not uow.committed


def test_the_alongside_write_runs_in_the_same_unit_of_work():
    uow, seen = fake_unit_of_work(), []
    registered = handlers.register_person(TENANT, NEW, uow, alongside=lambda u, p: seen.append((u, p.id)))
    assert seen == [(uow, registered.id)] and uow.committed


def test_changing_a_person_saves_and_publishes():
    uow = fake_unit_of_work(person("p-1"))
    changed = handlers.change_person(TENANT, "p-1", {"title": "Lead"}, uow)
    assert changed.version == 2 and uow.people.get(TENANT, "p-1").title == "Lead"
    assert uow.published_types() == [contracts.PERSON_UPSERTED_V1]


def test_terminating_publishes_deactivated():
    uow = fake_unit_of_work(person("p-1"))
    handlers.change_person(TENANT, "p-1", {"status": "terminated"}, uow)
    assert contracts.PERSON_DEACTIVATED_V1 in uow.published_types()


def test_a_change_that_changes_nothing_commits_nothing():
    uow = fake_unit_of_work(person("p-1", title="Lead"))
    unchanged = handlers.change_person(TENANT, "p-1", {"title": "Lead"}, uow)
    assert unchanged.version == 1 and not uow.committed


def test_changing_an_unknown_person_is_not_found():
    with pytest.raises(NotFound):
        handlers.change_person(TENANT, "p-404", {"title": "Lead"}, fake_unit_of_work())


def test_a_stale_expected_version_is_a_failed_precondition():
    uow = fake_unit_of_work(person("p-1"))
    with pytest.raises(PreconditionFailed):
        handlers.change_person(TENANT, "p-1", {"title": "Lead"}, uow, expected_version=7)
    assert not uow.committed


def test_a_manager_loop_is_refused():
    uow = fake_unit_of_work(person("p-1", employee_id="E-1"), person("p-2", employee_id="E-2",
                                                                       manager_employee_id="E-1"))
    with pytest.raises(Conflict, match="reports to"):
        handlers.change_person(TENANT, "p-1", {"manager_employee_id": "E-2"}, uow)
    assert not uow.committed
