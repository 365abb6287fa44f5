"""A partition held back after an infrastructure fault waits longer each time its retry fails (up
to a cap), starts again from the shortest wait once a batch of it is applied, and is paused
meanwhile, so the consumer's other partitions keep flowing."""

from mentoring_shared.messaging import consumer as consumer_module
from mentoring_shared.messaging.consumer import _PartitionBackoff


class FakeConsumer:
    def __init__(self, assigned):
        self.assigned = set(assigned)
        self.paused = set()

    def assignment(self):
        return set(self.assigned)

    def pause(self, *partitions):
        self.paused.update(partitions)

    def resume(self, *partitions):
        assert set(partitions) <= self.assigned, "resuming a partition not assigned fails in kafka-python"
        self.paused.difference_update(partitions)


def test_a_held_partitions_wait_doubles_up_to_the_cap_and_resets_after_a_success():
    backoff, consumer = _PartitionBackoff(first_s=0.5, max_s=30.0), FakeConsumer({"p0"})
    waits = [backoff.hold(consumer, "p0") for _ in range(9)]
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]
    backoff.applied("p0")
    assert backoff.hold(consumer, "p0") == 0.5


def test_only_the_held_partition_is_paused_and_it_resumes_when_its_wait_is_over(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(consumer_module.time, "monotonic", lambda: now[0])
    backoff, consumer = _PartitionBackoff(first_s=0.5, max_s=30.0), FakeConsumer({"p0", "p1"})
    backoff.hold(consumer, "p0")
    assert consumer.paused == {"p0"}
    now[0] += 0.4
    backoff.release_due(consumer)
    assert consumer.paused == {"p0"}
    now[0] += 0.2
    backoff.release_due(consumer)
    assert consumer.paused == set()


def test_a_held_partition_taken_away_by_a_rebalance_is_forgotten_not_resumed():
    backoff, consumer = _PartitionBackoff(first_s=0.5, max_s=30.0), FakeConsumer({"p0", "p1"})
    backoff.hold(consumer, "p0")
    consumer.assigned.discard("p0")
    backoff.release_due(consumer)  # FakeConsumer.resume fails if asked to resume p0
