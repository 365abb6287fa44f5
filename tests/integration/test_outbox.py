"""The outbox row exists if and only if the state change commits."""

import pytest

from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.domain_events import DomainEvent
from profiles.handlers import people as handlers
from tests.integration.helpers import count_rows, new_person


def snapshot(person_id: str, version: int = 1) -> dict:
    return {"person_id": person_id, "version": version, "employee_id": None, "name": "N",
            "email": "n@example.com", "time_zone": "UTC", "status": "active"}


def test_a_committed_change_leaves_exactly_its_events(apps, tenant):
    runtime = apps["profiles"].extensions["runtime"]
    person = handlers.register_person(tenant, new_person(), runtime.unit_of_work())
    assert count_rows(apps["profiles"], "people", tenant_id=tenant, id=person.id) == 1
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant, message_key=person.id) == 1


def test_a_rolled_back_change_leaves_no_event(apps, tenant):
    runtime = apps["profiles"].extensions["runtime"]
    with runtime.unit_of_work() as uow:
        uow.publish([DomainEvent(PERSON_UPSERTED_V1, tenant, "p-rolled-back", snapshot("p-rolled-back"))])
        # leaving the block without commit() rolls back
    with pytest.raises(RuntimeError):
        with runtime.unit_of_work() as uow:
            uow.publish([DomainEvent(PERSON_UPSERTED_V1, tenant, "p-failed", snapshot("p-failed"))])
            raise RuntimeError("the use case failed after emitting")
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant) == 0


def test_a_failure_after_the_state_change_leaves_neither_state_nor_event(apps, tenant, monkeypatch):
    runtime = apps["profiles"].extensions["runtime"]
    uow = runtime.unit_of_work()

    def refuse_commit():
        raise RuntimeError("commit refused")

    monkeypatch.setattr(uow, "commit", refuse_commit)  # this unit of work only: workers keep theirs
    with pytest.raises(RuntimeError):
        handlers.register_person(tenant, new_person(), uow)
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant) == 0


def test_a_payload_that_breaks_its_contract_is_never_written(apps, tenant):
    import marshmallow as ma

    runtime = apps["profiles"].extensions["runtime"]
    with pytest.raises(ma.ValidationError):
        with runtime.unit_of_work() as uow:
            uow.publish([DomainEvent(PERSON_UPSERTED_V1, tenant, "p-bad", {**snapshot("p-bad"), "version": 0})])
            uow.commit()
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant) == 0
