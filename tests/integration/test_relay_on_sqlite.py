"""The embedded default (SQLite): the relay drains the outbox without holding a transaction while it
talks to the broker, and the outbox purge removes rows sent longer ago than the retention."""

import importlib
from datetime import timedelta

from mentoring_shared.db.migrations import upgrade_to_head
from mentoring_shared.messaging.relay import OutboxRelay
from mentoring_shared.service_registry import migrations_dir
from mentoring_testing.fixtures import platform_environment
from tests.integration.helpers import count_rows, new_person


def test_relay_drains_and_purges_a_sqlite_outbox(tmp_path, broker, tenant):
    url = f"sqlite:///{tmp_path}/profiles.db"
    upgrade_to_head(migrations_dir("profiles"), url)
    app = importlib.import_module("profiles.app").create_app(platform_environment({"profiles": url}, broker.bootstrap))
    from mentoring_testing.fixtures import token
    client = app.test_client()
    for _ in range(3):
        assert client.post("/v1/people", json=new_person(),
                           headers={"Authorization": f"Bearer {token(tenant)}"}).status_code == 201
    runtime = app.extensions["runtime"]
    relay = OutboxRelay("profiles", runtime.sessions, runtime.outbox, runtime.settings.kafka,
                        retention=timedelta(seconds=0))
    try:
        assert relay.relay_once() == 3
        assert relay.backlog() == (0, 0.0)
        assert relay.purge_sent() == 3
        assert count_rows(app, "outbox") == 0
        assert count_rows(app, "people", tenant_id=tenant) == 3
    finally:
        relay.close()
