"""Building a cohort through profiles' public API and waiting until matching has all of it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import orjson

from mentoring_testing.polling import eventually
from tests.integration.helpers import count_rows, new_person


@dataclass
class Cohort:
    id: str
    program_id: str
    mentors: dict[str, dict] = field(default_factory=dict)   # name -> person
    mentees: dict[str, dict] = field(default_factory=dict)
    enrollments: dict[str, dict] = field(default_factory=dict)

    def person(self, name: str) -> dict:
        return self.mentors.get(name) or self.mentees[name]


MENTOR_DEFAULTS = {"seniority_band": 7, "languages": ["en"], "mentor_capacity": 2,
                   "working_hours": {"start": "09:00", "end": "17:00", "days": [1, 2, 3, 4, 5]}}
MENTEE_DEFAULTS = {"seniority_band": 3, "languages": ["en"],
                   "working_hours": {"start": "09:00", "end": "17:00", "days": [1, 2, 3, 4, 5]}}


def build_cohort(api, apps, tenant, mentors: dict[str, dict], mentees: dict[str, dict], *,
                 status: str = "matching", program: dict | None = None,
                 enrollment: dict[str, dict] | None = None) -> Cohort:
    """People (mentors and mentees by name, with profile overrides), a program, a cohort with
    everyone enrolled, moved to `status`; returns once matching's read model holds it all."""
    profiles = api("profiles")
    program_body = {"name": "Rising leaders", "type": "classic", **(program or {})}
    created_program = profiles.post("/v1/programs", json=program_body).get_json()
    cohort = profiles.post("/v1/cohorts", json={"program_id": created_program["id"], "name": "Spring",
                                                "starts_on": "2027-03-01"}).get_json()
    profiles.post(f"/v1/cohorts/{cohort['id']}/status", json={"status": "enrolling"})
    result = Cohort(cohort["id"], created_program["id"])
    employee_ids: dict[str, str] = {}
    for role, people, defaults in (("mentor", mentors, MENTOR_DEFAULTS), ("mentee", mentees, MENTEE_DEFAULTS)):
        for name, overrides in people.items():
            overrides = dict(overrides)
            manager = overrides.pop("manager", None)
            body = new_person(name=f"{name} {uuid.uuid4().hex[:4]}", **{"department": "Engineering", **defaults,
                                                                         **overrides})
            if manager:
                body["manager_employee_id"] = employee_ids[manager]
            response = profiles.post("/v1/people", json=body)
            assert response.status_code == 201, response.get_json()
            person = response.get_json()
            employee_ids[name] = person["employee_id"]
            (result.mentors if role == "mentor" else result.mentees)[name] = person
    for role, people in (("mentor", result.mentors), ("mentee", result.mentees)):
        for name, person in people.items():
            extra = dict((enrollment or {}).get(name, {}))
            if "avoid" in extra:
                extra["preferences"] = {"avoid_person_ids": [result.person(n)["id"] for n in extra.pop("avoid")]}
            response = profiles.post(f"/v1/cohorts/{cohort['id']}/enrollments",
                                     json={"person_id": person["id"], "role": role, **extra})
            assert response.status_code == 201, response.get_json()
            result.enrollments[name] = response.get_json()
    steps = {"enrolling": [], "matching": ["matching"], "active": ["matching", "active"]}[status]
    for step in steps:
        profiles.post(f"/v1/cohorts/{cohort['id']}/status", json={"status": step})
    wait_for_matching(apps, tenant, result, status)
    return result


def wait_for_matching(apps, tenant, cohort: Cohort, status: str) -> None:
    people = len(cohort.mentors) + len(cohort.mentees)
    matching = apps["matching"]
    eventually(lambda: count_rows(matching, "enrollments", tenant_id=tenant, cohort_id=cohort.id) == people
               and count_rows(matching, "people", tenant_id=tenant) >= people
               and count_rows(matching, "cohorts", tenant_id=tenant, cohort_id=cohort.id, status=status) == 1
               and count_rows(matching, "programs", tenant_id=tenant, program_id=cohort.program_id) == 1,
               message="matching never received the whole cohort")


def outbox_events(app, tenant: str, event_type: str) -> list[dict]:
    runtime = app.extensions["runtime"]
    outbox = runtime.outbox
    with runtime.sessions() as session:
        rows = session.execute(outbox.select().where(outbox.c.tenant_id == tenant, outbox.c.event_type == event_type)
                               .order_by(outbox.c.seq)).mappings().all()
    return [orjson.loads(row["envelope"])["data"] for row in rows]
