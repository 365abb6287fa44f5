"""The broker freezes (SIGSTOP) while requests keep arriving: the API keeps answering 2xx, the
outbox backlog grows, and after SIGCONT it drains to zero with nothing lost."""

import importlib
import threading
import time

import pytest

from mentoring_testing.fixtures import migrated_databases, platform_environment, token
from mentoring_testing.polling import eventually
from mentoring_testing.servers import Broker
from tests.integration.helpers import count_rows, new_person


@pytest.fixture
def own_broker():
    broker = Broker.start(prefer_container=False)  # a child process we may SIGSTOP
    yield broker
    broker.stop()


def test_requests_succeed_during_a_broker_outage_and_the_backlog_drains_after(postgres_server, own_broker, tenant):
    env = platform_environment(migrated_databases(postgres_server, ("profiles", "matching")), own_broker.bootstrap)
    profiles = importlib.import_module("profiles.app").create_app(env)
    matching = importlib.import_module("matching.app").create_app(env)
    workers = [importlib.import_module(f"{service}.worker").build_worker(env) for service in ("profiles", "matching")]
    relay = workers[0].relay
    stop = threading.Event()
    for worker in workers:
        worker.start(stop)
    client = profiles.test_client()
    headers = {"Authorization": f"Bearer {token(tenant)}"}
    try:
        for _ in range(10):
            assert client.post("/v1/people", json=new_person(), headers=headers).status_code == 201
        eventually(lambda: count_rows(matching, "people", tenant_id=tenant) == 10, timeout_s=30)

        own_broker.pause()
        statuses = [client.post("/v1/people", json=new_person(), headers=headers).status_code for _ in range(30)]
        assert statuses == [201] * 30
        backlog = eventually(lambda: relay.backlog()[0] == 30 and relay.backlog(), timeout_s=10)
        time.sleep(1.0)
        assert relay.backlog()[0] == 30 and relay.backlog()[1] > backlog[1], "the backlog's age did not grow"
        assert count_rows(matching, "people", tenant_id=tenant) == 10

        own_broker.resume()
        eventually(lambda: relay.backlog()[0] == 0, timeout_s=90, message="the outbox did not drain")
        eventually(lambda: count_rows(matching, "people", tenant_id=tenant) == 40, timeout_s=60,
                   message="not every person reached matching")
        assert count_rows(matching, "inbox", tenant_id=tenant) == 40
    finally:
        own_broker.resume()
        stop.set()
        for worker in workers:
            worker.join(30)
