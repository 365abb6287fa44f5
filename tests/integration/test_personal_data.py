"""A person's rights: export what profiles holds; erasure that every service honours, which a replay
of the topics cannot undo."""

import threading

import sqlalchemy as sa

from mentoring_shared.config import load_service_settings
from mentoring_shared.db.engine import normalize_url
from mentoring_shared.messaging.consumer import ConsumerRunner
from mentoring_shared.runtime import ServiceRuntime
from mentoring_testing.fixtures import migrated_databases, platform_environment
from mentoring_testing.polling import eventually
from tests.integration.helpers import count_rows, new_person

SERVICES = ("profiles", "matching", "scheduling", "feedback")


def enrolled_person(api, secret: str = "my stammer", **attributes):
    profiles = api("profiles")
    person = profiles.post("/v1/people", json=new_person(**attributes)).get_json()
    program = profiles.post("/v1/programs", json={"name": "P", "type": "classic"}).get_json()
    cohort = profiles.post("/v1/cohorts", json={"program_id": program["id"], "name": "C"}).get_json()
    profiles.post(f"/v1/cohorts/{cohort['id']}/status", json={"status": "enrolling"})
    enrollment = profiles.post(f"/v1/cohorts/{cohort['id']}/enrollments", json={
        "person_id": person["id"], "role": "mentee", "goals_text": f"I want to work on {secret}",
        "preferences": {"avoid_person_ids": [f"ex-partner-of-{secret}"]}}).get_json()
    return person, enrollment


def places_holding(database_url: str, needles: list[str]) -> list[str]:
    """Every table.column of a database whose text holds one of the needles."""
    engine = sa.create_engine(normalize_url(database_url))
    found = []
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            for table in metadata.tables.values():
                for column in table.columns:
                    if not isinstance(column.type, (sa.String, sa.Text, sa.JSON)):
                        continue
                    text = sa.cast(column, sa.Text)
                    for needle in needles:
                        if connection.execute(sa.select(sa.func.count()).select_from(table)
                                              .where(text.ilike(f"%{needle}%"))).scalar_one():
                            found.append(f"{table.name}.{column.name} holds {needle!r}")
    finally:
        engine.dispose()
    return found


def test_export_holds_the_person_and_their_enrollments(api):
    person, enrollment = enrolled_person(api)
    export = api("profiles").get(f"/v1/people/{person['id']}/export")
    assert export.status_code == 200
    body = export.get_json()
    assert body["person"] == person
    assert [e["id"] for e in body["enrollments"]] == [enrollment["id"]]
    assert body["enrollments"][0]["goals_text"] == "I want to work on my stammer"
    assert body["enrollments"][0]["preferences"]["avoid_person_ids"] == ["ex-partner-of-my stammer"]


def test_after_erasure_no_service_holds_the_name_or_email_and_a_replay_cannot_bring_them_back(
        api, apps, tenant, service_databases, postgres_server, broker, running_workers):
    secret = f"stammer-{tenant}"  # strings no other test writes: the scan covers whole databases
    person, enrollment = enrolled_person(api, secret, name=f"Zelda Quintanilla-{tenant}")
    for service in SERVICES[1:]:
        eventually(lambda: count_rows(apps[service], "people", tenant_id=tenant, person_id=person["id"]) == 1)

    erased = api("profiles").post(f"/v1/people/{person['id']}/erasure")
    assert erased.status_code == 200
    assert erased.get_json()["name"] == "Erased person" and erased.get_json()["employee_id"] is None
    assert api("profiles").get(f"/v1/enrollments/{enrollment['id']}").get_json()["status"] == "withdrawn"

    needles = [f"Quintanilla-{tenant}", person["email"], person["employee_id"], secret]
    for service in SERVICES[1:]:
        eventually(lambda: api(service).get(f"/v1/people/{person['id']}").get_json()["name"] == "Erased person",
                   message=f"{service} never applied the erasure")
        # Erased, as profiles says, not merely terminated like a leaver.
        assert api(service).get(f"/v1/people/{person['id']}").get_json()["status"] == "erased", service
    eventually(lambda: running_workers["profiles"].relay.backlog()[0] == 0)
    for service in SERVICES:
        assert places_holding(service_databases[service], needles) == [], service

    # Replay every profiles event from the start into a brand-new matching database.
    fresh = migrated_databases(postgres_server, ("matching",))
    from matching import orm
    from matching.subscriptions import event_handlers
    from matching.unit_of_work import MatchingUnitOfWork
    runtime = ServiceRuntime.build(load_service_settings("matching", platform_environment(fresh, broker.bootstrap),
                                                         serves_http=False), orm.metadata, MatchingUnitOfWork)
    runner = ConsumerRunner("matching", f"replay-{tenant}", event_handlers({}), runtime.events, runtime.unit_of_work,
                            runtime.inbox, runtime.settings.kafka)
    stop = threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        with runtime.sessions() as session:
            people = orm.people

            def erased_row():
                return session.execute(sa.select(people.c.name).where(
                    people.c.tenant_id == tenant, people.c.person_id == person["id"])).scalar_one_or_none()
            eventually(lambda: erased_row() == "Erased person", message="the replay did not end on the erasure")
    finally:
        stop.set()
        thread.join(30)
        runtime.engine.dispose()
    assert places_holding(fresh["matching"], needles) == []


def test_erasing_twice_is_harmless_and_an_erased_person_cannot_change(api):
    person, _ = enrolled_person(api)
    profiles = api("profiles")
    first = profiles.post(f"/v1/people/{person['id']}/erasure").get_json()
    assert profiles.post(f"/v1/people/{person['id']}/erasure").get_json() == first
    assert profiles.request("PATCH", f"/v1/people/{person['id']}", json={"name": "Back"}).status_code == 409


def test_only_admins_erase(api, apps, tenant):
    person, _ = enrolled_person(api)
    assert api("profiles", roles=("program_manager",)).post(f"/v1/people/{person['id']}/erasure").status_code == 403
    assert api("profiles").get(f"/v1/people/{person['id']}").get_json()["name"] == person["name"]
