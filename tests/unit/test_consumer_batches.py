"""A consumer batch with snapshot handlers (SQLite in memory: no server). A run of consecutive
events of a batch-capable handler is stored in one call, and the batch's effects are exactly those
of applying its events one by one in order: other handlers' events keep their place between runs,
and a redelivered or repeated event is applied once."""

from types import SimpleNamespace

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.orm import sessionmaker

from mentoring_shared.config import KafkaSettings
from mentoring_shared.contracts.catalog import platform_events
from mentoring_shared.contracts.profiles import PERSON_DEACTIVATED_V1, PERSON_UPSERTED_V1
from mentoring_shared.db.replica import NewerSnapshotUpsert, SnapshotHandler
from mentoring_shared.messaging.consumer import ConsumerRunner
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.messaging.tables import add_inbox_table, add_outbox_table
from mentoring_shared.unit_of_work import UnitOfWork

metadata = MetaData()
inbox = add_inbox_table(metadata)
outbox = add_outbox_table(metadata)
names = Table("names", metadata, Column("tenant_id", String, primary_key=True),
              Column("person_id", String, primary_key=True), Column("name", String), Column("version", Integer))
TENANT = "acme"


def upserted(person: str, version: int, name: str) -> Envelope:
    return Envelope.new(type=PERSON_UPSERTED_V1, source="/tests", subject=person, tenant_id=TENANT, data={
        "person_id": person, "version": version, "employee_id": None, "name": name,
        "email": f"{person}@example.com", "time_zone": "UTC", "status": "active"})


def deactivated(person: str, version: int) -> Envelope:
    return Envelope.new(type=PERSON_DEACTIVATED_V1, source="/tests", subject=person, tenant_id=TENANT, data={
        "person_id": person, "version": version, "employee_id": None, "reason": "terminated"})


class Recorder:
    """Both handlers write into one log, so the test sees the order in which effects happened."""

    def __init__(self):
        self.log: list = []
        store = NewerSnapshotUpsert(names, ["tenant_id", "person_id"])
        recorder = self

        class RecordingSnapshots(SnapshotHandler):
            def apply_batch(self, events, uow):
                recorder.log.append(("batch", [event.data["name"] for event in events]))
                super().apply_batch(events, uow)

        self.snapshots = RecordingSnapshots((store, lambda event: {
            "tenant_id": event.tenant_id, "person_id": event.data["person_id"], "name": event.data["name"],
            "version": event.data["version"]}))

    def deactivation(self, event, uow):
        self.log.append(("one", event.data["person_id"]))


def runner_and_store(recorder: Recorder):
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    events = platform_events()
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    runner = ConsumerRunner("tests", "tests", {PERSON_UPSERTED_V1: recorder.snapshots,
                                               PERSON_DEACTIVATED_V1: recorder.deactivation},
                            events, lambda: UnitOfWork(sessions, outbox, events, "/tests"), inbox,
                            KafkaSettings(bootstrap_servers=["127.0.0.1:1"]))
    return runner, engine


def records(*envelopes: Envelope) -> list:
    return [SimpleNamespace(value=envelope.to_json().encode(), topic="profiles.people", partition=0, offset=number)
            for number, envelope in enumerate(envelopes)]


def stored(engine) -> dict:
    with engine.connect() as connection:
        return {row.person_id: (row.name, row.version) for row in connection.execute(select(names))}


def test_runs_of_snapshots_are_stored_together_and_other_events_keep_their_place():
    recorder = Recorder()
    runner, engine = runner_and_store(recorder)
    first = upserted("p1", 1, "Ann")
    batch = [first, upserted("p2", 1, "Bo"), deactivated("p1", 2), upserted("p1", 3, "Ann B"),
             upserted("p1", 2, "Ann stale"), first, upserted("p3", 1, "Cy")]

    outcomes = runner.process_batch(records(*batch))

    assert outcomes == ["applied"] * 5 + ["duplicate", "applied"]
    assert recorder.log == [("batch", ["Ann", "Bo"]), ("one", "p1"), ("batch", ["Ann B", "Ann stale", "Cy"])]
    # As if applied one by one: the stale snapshot after a newer one changes nothing.
    assert stored(engine) == {"p1": ("Ann B", 3), "p2": ("Bo", 1), "p3": ("Cy", 1)}


def test_a_run_ends_at_a_duplicate_of_the_last_event_without_losing_it():
    recorder = Recorder()
    runner, engine = runner_and_store(recorder)
    ann = upserted("p1", 1, "Ann")
    runner.process_batch(records(ann))

    outcomes = runner.process_batch(records(upserted("p2", 1, "Bo"), ann, deactivated("p2", 2)))

    assert outcomes == ["applied", "duplicate", "applied"]
    assert recorder.log == [("batch", ["Ann"]), ("batch", ["Bo"]), ("one", "p2")]
    assert stored(engine) == {"p1": ("Ann", 1), "p2": ("Bo", 1)}


class PolledConsumer:
    """What apply_poll asks of a Kafka consumer: seek and pause (for held partitions)."""

    def __init__(self):
        self.seeks, self.paused = {}, set()

    def seek(self, partition, offset):
        self.seeks[partition] = offset

    def pause(self, *partitions):
        self.paused.update(partitions)


def partition_records(partition: str, *envelopes: Envelope, first_offset: int = 10) -> list:
    return [SimpleNamespace(value=envelope.to_json().encode(), topic="profiles.people", partition=partition,
                            offset=first_offset + number) for number, envelope in enumerate(envelopes)]


def counting_transactions(runner) -> list:
    transactions = []
    make_uow = runner._uow_factory

    def counted():
        transactions.append(1)
        return make_uow()
    runner._uow_factory = counted
    return transactions


def test_a_poll_over_several_partitions_is_applied_in_one_transaction():
    import threading

    from mentoring_shared.messaging.consumer import _PartitionBackoff

    recorder = Recorder()
    runner, engine = runner_and_store(recorder)
    transactions = counting_transactions(runner)
    poll = {"p0": partition_records("p0", upserted("p1", 1, "Ann"), upserted("p2", 1, "Bo")),
            "p1": partition_records("p1", upserted("p3", 1, "Cy"), first_offset=40)}

    done = runner.apply_poll(PolledConsumer(), poll, _PartitionBackoff(), threading.Event())

    assert len(transactions) == 1
    assert {partition: meta.offset for partition, meta in done.items()} == {"p0": 12, "p1": 41}
    assert stored(engine) == {"p1": ("Ann", 1), "p2": ("Bo", 1), "p3": ("Cy", 1)}


def test_a_full_poll_over_several_partitions_is_still_one_transaction():
    import threading

    from mentoring_shared.messaging.consumer import _PartitionBackoff

    recorder = Recorder()
    runner, engine = runner_and_store(recorder)
    transactions = counting_transactions(runner)
    many = [upserted(f"a{number}", 1, "A") for number in range(499)]
    poll = {"p0": partition_records("p0", *many), "p1": partition_records("p1", upserted("b", 1, "B"))}

    done = runner.apply_poll(PolledConsumer(), poll, _PartitionBackoff(), threading.Event())

    assert len(transactions) == 1
    assert set(done) == {"p0", "p1"} and len(stored(engine)) == 500


def test_every_partition_of_a_transaction_the_database_refused_is_held_and_read_again():
    import threading

    from sqlalchemy.exc import OperationalError

    from mentoring_shared.messaging.consumer import _PartitionBackoff

    recorder = Recorder()
    runner, engine = runner_and_store(recorder)

    def database_away():
        raise OperationalError("connect", {}, Exception("server closed the connection unexpectedly"),
                               connection_invalidated=True)
    runner._uow_factory = database_away
    consumer = PolledConsumer()
    poll = {"p0": partition_records("p0", upserted("p1", 1, "Ann")),
            "p1": partition_records("p1", upserted("p2", 1, "Bo"), first_offset=40)}

    done = runner.apply_poll(consumer, poll, _PartitionBackoff(), threading.Event())

    assert done == {}
    assert consumer.seeks == {"p0": 10, "p1": 40} and consumer.paused == {"p0", "p1"}
    assert stored(engine) == {}


def test_a_handler_that_names_its_fields_is_given_only_those_and_a_fault_elsewhere_does_not_stop_it():
    recorder = Recorder()
    recorder.snapshots.reads = frozenset({"person_id", "version", "name"})
    runner, engine = runner_and_store(recorder)
    with_bad_skills = upserted("p1", 1, "Ann")
    with_bad_skills = with_bad_skills.with_data({**with_bad_skills.data, "skills": "not a list"})
    seen = []
    write = recorder.snapshots._writes[0]
    recorder.snapshots._writes = ((write[0], lambda event: seen.append(dict(event.data)) or write[1](event)),)

    assert runner.process_batch(records(with_bad_skills, upserted("p2", 1, "Bo"))) == ["applied", "applied"]
    assert [sorted(data) for data in seen] == [["name", "person_id", "version"]] * 2
    assert stored(engine) == {"p1": ("Ann", 1), "p2": ("Bo", 1)}
