"""The inbox forgets applied events once nothing can deliver them again: rows older than the cutoff
go, in bounded batches; newer ones stay. The worker does it hourly with INBOX_RETENTION_DAYS, and
its relay keeps sent outbox rows for OUTBOX_RETENTION_DAYS."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import insert, select

from mentoring_shared.config import load_service_settings
from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.messaging.inbox import prune_inbox
from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.worker_process import WorkerProcess
from mentoring_testing.fixtures import migrated_databases, platform_environment

NOW = datetime.now(UTC)


@pytest.fixture
def matching_env(postgres_server):
    # No broker is contacted: building a worker connects to nothing.
    return platform_environment(migrated_databases(postgres_server, ("matching",)), "127.0.0.1:9",
                                OUTBOX_RETENTION_DAYS="2", INBOX_RETENTION_DAYS="3")


@pytest.fixture
def matching(matching_env):
    from matching import orm

    runtime = ServiceRuntime.build(load_service_settings("matching", matching_env), orm.metadata)
    yield runtime
    runtime.engine.dispose()


def add_inbox_rows(runtime, processed_at: list[datetime], group: str = "matching") -> list[str]:
    ids = [str(uuid.uuid4()) for _ in processed_at]
    with runtime.sessions() as session:
        session.execute(insert(runtime.inbox), [
            {"consumer_group": group, "event_id": event_id, "event_type": PERSON_UPSERTED_V1,
             "tenant_id": "tenant-pruning", "processed_at": at} for event_id, at in zip(ids, processed_at)])
        session.commit()
    return ids


def inbox_ids(runtime) -> set[str]:
    with runtime.sessions() as session:
        return set(session.execute(select(runtime.inbox.c.event_id)).scalars())


def test_prune_inbox_deletes_only_rows_older_than_the_cutoff_whatever_the_batch_size(matching):
    cutoff = NOW - timedelta(days=8)
    old = add_inbox_rows(matching, [cutoff - timedelta(days=30), cutoff - timedelta(hours=2),
                                    cutoff - timedelta(seconds=1)])
    old += add_inbox_rows(matching, [cutoff - timedelta(days=1), cutoff - timedelta(minutes=5)], group="other")
    kept = add_inbox_rows(matching, [cutoff, cutoff + timedelta(seconds=1), NOW])

    with matching.sessions() as session:
        assert prune_inbox(session, matching.inbox, cutoff, batch=2) == len(old)  # three batches
    assert inbox_ids(matching) == set(kept)

    with matching.sessions() as session:
        assert prune_inbox(session, matching.inbox, cutoff) == 0
    assert inbox_ids(matching) == set(kept)


def test_the_worker_prunes_inbox_rows_older_than_INBOX_RETENTION_DAYS_and_counts_them(matching):
    worker = WorkerProcess(matching, {PERSON_UPSERTED_V1: lambda event, uow: None})
    assert "inbox-pruning" in [name for name, _ in worker.chores]
    expired = add_inbox_rows(matching, [NOW - timedelta(days=3, minutes=1), NOW - timedelta(days=10)])
    kept = add_inbox_rows(matching, [NOW - timedelta(days=2, hours=23), NOW - timedelta(days=1)])
    before = REGISTRY.get_sample_value("inbox_pruned_events_total", {"service": "matching"}) or 0.0

    assert worker.prune_inbox(NOW) == len(expired)

    assert inbox_ids(matching) == set(kept)
    assert REGISTRY.get_sample_value("inbox_pruned_events_total", {"service": "matching"}) - before == len(expired)


def test_a_worker_without_consumers_has_no_inbox_to_prune(matching):
    assert "inbox-pruning" not in [name for name, _ in WorkerProcess(matching, {}).chores]


def test_the_workers_relay_keeps_sent_outbox_rows_for_OUTBOX_RETENTION_DAYS(matching):
    def sent_row(sent_at: datetime) -> dict:
        return {"event_id": str(uuid.uuid4()), "tenant_id": "tenant-pruning", "topic": "t", "message_key": "k",
                "event_type": PERSON_UPSERTED_V1, "envelope": "{}", "created_at": sent_at, "sent_at": sent_at}

    rows = [sent_row(NOW - timedelta(days=2, minutes=1)), sent_row(NOW - timedelta(days=1, hours=23))]
    with matching.sessions() as session:
        session.execute(insert(matching.outbox), rows)
        session.commit()

    assert WorkerProcess(matching, {}).relay.purge_sent() == 1

    with matching.sessions() as session:
        left = set(session.execute(select(matching.outbox.c.event_id)).scalars())
    assert left == {rows[1]["event_id"]}
