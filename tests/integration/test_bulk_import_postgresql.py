"""A large import on PostgreSQL takes the COPY path (100 rows or more): people, their search keys
and events land as with single inserts, and a colliding identity is a conflict that writes nothing."""

from datetime import UTC

import pytest

from mentoring_shared.contracts import profiles as contracts
from mentoring_shared.errors import Conflict
from profiles.domain.people import register_person
from profiles.handlers.hr_import import import_people
from profiles.hr_import import WORKDAY
from tests.integration.helpers import count_rows
from tests.integration.test_hr_import_api import HEADER

PEOPLE = 250


def big_file(prefix: str = "E") -> bytes:
    rows = [f"{prefix}{n},Person {n},{prefix.lower()}{n}@acme.example,Engineer,Dept {n % 5},,Lyon,Europe/Paris,"
            f"en,3,Python:expert; SQL:advanced,Active\n" for n in range(PEOPLE)]
    return (HEADER + "".join(rows)).encode()


def test_a_large_import_writes_people_search_keys_and_events(apps, api, tenant):
    runtime = apps["profiles"].extensions["runtime"]
    report = import_people(tenant, big_file(), WORKDAY, dry_run=False, uow=runtime.unit_of_work())
    assert report.applied and report.summary["creates"] == PEOPLE
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == PEOPLE
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant, event_type=contracts.PERSON_UPSERTED_V1) == PEOPLE
    found = api("profiles").get("/v1/people", query_string={"skill": "sql", "department": "Dept 3",
                                                            "limit": 200}).get_json()["items"]
    assert len(found) == PEOPLE // 5 and found[0]["skills"][0] == {"name": "Python", "level": "expert"}


def test_a_collision_in_a_large_batch_is_a_conflict_and_writes_nothing(apps, tenant):
    from datetime import datetime

    runtime = apps["profiles"].extensions["runtime"]
    people = [register_person(person_id=f"{tenant}-{n}", tenant_id=tenant, now=datetime.now(UTC),
                              employee_id="SAME" if n in (3, 150) else f"X{n}", name=f"P {n}",
                              email=f"x{n}@acme.example", time_zone="UTC")[0] for n in range(PEOPLE)]
    with pytest.raises(Conflict):
        with runtime.unit_of_work() as uow:
            uow.people.add_many(people)
            uow.commit()
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0
