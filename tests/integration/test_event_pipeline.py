"""A person registered in profiles reaches the copies kept by matching, scheduling and feedback,
through the outbox, the relay, the broker and each service's consumer group."""

from mentoring_testing.polling import eventually
from tests.integration.helpers import count_rows, new_person

CONSUMERS = ("matching", "scheduling", "feedback")


def test_a_registered_person_reaches_every_consuming_service(api, apps, tenant, running_workers):
    person = api("profiles").post("/v1/people", json=new_person(name="Katherine Johnson",
                                                                time_zone="America/New_York")).get_json()

    for service in CONSUMERS:
        client = api(service)
        response = eventually(lambda: client.get(f"/v1/people/{person['id']}").status_code == 200 and
                              client.get(f"/v1/people/{person['id']}"),
                              message=f"{service} never received the person")
        copy = response.get_json()
        assert copy["name"] == "Katherine Johnson"
        assert copy["email"] == person["email"]
        assert copy["time_zone"] == "America/New_York"
        assert copy["version"] == 1


def test_the_event_carries_the_requests_correlation_id_and_every_consumer_applies_it(api, apps, tenant,
                                                                                     running_workers):
    correlation = "corr-" + tenant
    person = api("profiles").post("/v1/people", json=new_person(),
                                  headers={"X-Correlation-ID": correlation}).get_json()
    runtime = apps["profiles"].extensions["runtime"]
    with runtime.sessions() as session:
        envelope = session.execute(runtime.outbox.select().where(runtime.outbox.c.message_key == person["id"])).one()
    assert f'"correlationid":"{correlation}"' in envelope.envelope
    for service in CONSUMERS:
        eventually(lambda: count_rows(apps[service], "inbox", tenant_id=tenant) == 1,
                   message=f"{service} never applied the event")
