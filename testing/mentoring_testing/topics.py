"""Reading a whole topic in a test, without a consumer group (no join to wait for)."""

from __future__ import annotations

import time

from kafka import KafkaConsumer, TopicPartition


def read_topic(bootstrap: str | list[str], topic: str, timeout_s: float = 20.0) -> list:
    """Every record on every partition of `topic`, up to the end offsets at the time of the call."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        if not partitions:
            return []
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        records, deadline = [], time.monotonic() + timeout_s
        while any(consumer.position(p) < end[p] for p in partitions):
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end within {timeout_s:.0f}s")
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()
