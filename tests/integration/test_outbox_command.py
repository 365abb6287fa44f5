"""`mentoring outbox republish` asks the running relay to send again what it sent since a time, and
waits for it, showing progress; `mentoring outbox status` shows the outbox and its republishes."""

import importlib
import threading
from datetime import UTC

import pytest

from mentoring_shared.cli import main
from mentoring_shared.messaging.relay import OutboxRelay
from mentoring_shared.outbox_command import parse_since
from mentoring_testing.fixtures import migrated_databases, platform_environment, token
from mentoring_testing.polling import eventually
from tests.integration.helpers import new_person


@pytest.fixture
def profiles_env(postgres_server, broker, monkeypatch):
    env = platform_environment(migrated_databases(postgres_server, ("profiles",)), broker.bootstrap)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def test_republish_waits_for_the_relay_and_status_shows_it(profiles_env, tenant, capsys):
    app = importlib.import_module("profiles.app").create_app(profiles_env)
    runtime = app.extensions["runtime"]
    client = app.test_client()
    for _ in range(3):
        assert client.post("/v1/people", json=new_person(),
                           headers={"Authorization": f"Bearer {token(tenant)}"}).status_code == 201
    relay = OutboxRelay("profiles", runtime.sessions, runtime.outbox, runtime.settings.kafka)
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    thread.start()
    try:
        eventually(lambda: relay.backlog()[0] == 0, message="the relay did not send the first time")
        assert main(["outbox", "republish", "profiles", "--since", "1h", "--timeout", "60"]) == 0
        output = capsys.readouterr().out
        assert "republish 1 of 3 event(s) requested" in output
        assert "profiles: republished 3 event(s)" in output

        assert main(["outbox", "status", "profiles"]) == 0
        status = capsys.readouterr().out
        assert "profiles: 0 unsent, 0 parked, 3 sent and kept for republishing" in status
        assert "republish 1" in status and "3/3 sent, finished" in status
    finally:
        stop.set()
        thread.join(10)


def test_republish_with_nothing_sent_since_then_says_so(profiles_env, capsys):
    assert main(["outbox", "republish", "profiles", "--since", "2026-01-01T00:00:00Z", "--no-wait"]) == 0
    assert "nothing to republish" in capsys.readouterr().out


def test_a_bad_since_or_service_is_a_usage_error(profiles_env, capsys):
    assert main(["outbox", "republish", "profiles", "--since", "yesterday"]) == 2
    assert "--since must be a duration like 2h or 7d" in capsys.readouterr().err
    assert main(["outbox", "republish", "billing", "--since", "1h"]) == 2
    assert "unknown service(s) billing" in capsys.readouterr().err


def test_since_reads_durations_and_times():
    from datetime import datetime

    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert parse_since("90m", now) == datetime(2026, 12, 5, 10, 30, tzinfo=UTC)
    assert parse_since("7d", now) == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert parse_since("2026-12-05T10:00", now) == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    assert parse_since("2026-12-05T10:00+01:00", now) == datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
