"""The relay's partitioner picks exactly the partition kafka-python's DefaultPartitioner picks, so
an aggregate's events stay on one partition across the change and alongside other clients."""

import os
import random

import pytest
from kafka.partitioner.default import DefaultPartitioner
from kafka.partitioner.default import murmur2 as library_murmur2

from mentoring_shared.messaging.partitioner import KeyHashPartitioner, murmur2


class Cluster:
    def __init__(self, partitions: set[int]):
        self._partitions = partitions

    def topics(self):
        return {"people"}

    def partitions_for_topic(self, topic):
        return self._partitions if topic == "people" else None

    def available_partitions_for_topic(self, topic):
        return self._partitions


def test_the_hash_is_the_librarys_for_keys_of_every_length():
    rng = random.Random(7)
    keys = [os.urandom(length) for length in range(0, 80) for _ in range(40)]
    keys += [str(rng.getrandbits(128)).encode() for _ in range(2000)] + [b"", b"a", b"\xff\xff\xff\xff\xff"]
    assert [murmur2(key) for key in keys] == [library_murmur2(key) for key in keys]


@pytest.mark.parametrize("partitions", [{0}, {0, 1, 2}, {0, 1, 2, 3, 4, 5, 6}, {2, 0, 1}])
def test_keyed_records_go_where_the_default_partitioner_sends_them(partitions):
    cluster = Cluster(partitions)
    keys = [os.urandom(36) for _ in range(2000)]
    ours = [KeyHashPartitioner().partition("people", None, key, None, None, cluster) for key in keys]
    theirs = [DefaultPartitioner().partition("people", None, key, None, None, cluster) for key in keys]
    assert ours == theirs
    assert set(ours) == partitions  # 2,000 keys reach every partition


def test_an_unknown_topic_is_refused():
    with pytest.raises(ValueError, match="not found"):
        KeyHashPartitioner().partition("elsewhere", None, b"key", None, None, Cluster({0}))
