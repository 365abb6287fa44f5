"""An idle relay on PostgreSQL is told of new outbox rows (a trigger's NOTIFY) instead of polling
for them: with its unprompted look a minute apart, a request's event still leaves at once, and so
does an operator's republish."""

import importlib
import threading

from mentoring_shared.messaging.relay import OutboxRelay
from mentoring_testing.fixtures import token
from mentoring_testing.polling import eventually
from tests.integration.helpers import new_person


def test_an_idle_relay_wakes_for_new_rows_and_republish_requests(isolated_env, tenant):
    profiles = importlib.import_module("profiles.app").create_app(isolated_env)
    runtime = profiles.extensions["runtime"]
    relay = OutboxRelay("profiles", runtime.sessions, runtime.outbox, runtime.settings.kafka, notified_wait_s=60)
    looks = []
    relay_once = relay.relay_once
    relay.relay_once = lambda: looks.append(relay_once()) or looks[-1]
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,))
    thread.start()
    try:
        eventually(lambda: relay.active and looks, message="the relay never became active")
        threading.Event().wait(0.5)
        idle_looks = len(looks)
        threading.Event().wait(1.0)
        assert len(looks) == idle_looks, "an idle relay looked again without being told"

        client = profiles.test_client()
        headers = {"Authorization": f"Bearer {token(tenant)}"}
        assert client.post("/v1/people", json=new_person(), headers=headers).status_code == 201
        eventually(lambda: relay.backlog()[0] == 0 and 1 in looks, timeout_s=15,
                   message="the new row waited for the relay's unprompted look")

        sent_before = sum(looks)
        assert relay.request_republish("a test") is not None
        eventually(lambda: sum(looks) > sent_before, timeout_s=15,
                   message="the republish request waited for the relay's unprompted look")
    finally:
        stop.set()
        thread.join(30)
