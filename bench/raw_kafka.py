"""The raw baseline of the pipeline bench: kafka-python alone, in the pipeline's shape (one producer
with the relay's settings, consumer groups each in its own process, events of the pipeline's size)."""

from __future__ import annotations

import os
import time
import uuid

from bench.process_cpu import cpu_seconds, stolen_seconds
from mentoring_shared.config import POLL_MAX_RECORDS
from mentoring_shared.messaging.kafka import PRODUCER_BATCH_BYTES

RAW_MESSAGES = 50_000


def _raw_consumer(bootstrap: str, topic: str, group: str, messages: int, ready, last_receipt, cpu_s) -> None:
    """One raw consumer group in its own process, as each service's consumer is: poll (at most as
    many records as the platform's consumers), commit per batch, until every message is read; the
    wall-clock time of the last receipt and the CPU time spent reading (from joining the group to
    the end) go to the parent."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
                             auto_offset_reset="earliest", session_timeout_ms=2000, heartbeat_interval_ms=300,
                             max_poll_records=POLL_MAX_RECORDS)
    while not consumer.assignment():
        consumer.poll(timeout_ms=100)
    ready.set()
    started = time.process_time()
    received = 0
    while received < messages:
        batch = consumer.poll(timeout_ms=500)
        received += sum(len(records) for records in batch.values())
        if batch:
            consumer.commit()
            last_receipt.value = time.time()
    cpu_s.value = time.process_time() - started
    consumer.close()


def raw_kafka_rate(bootstrap: str, messages: int = RAW_MESSAGES, size: int = 420, groups: int = 1,
                   broker_pids: tuple[int, ...] = ()) -> dict:
    """Produce with the relay's settings (acks=all, idempotent, its batch size) while `groups` consumer groups, each
    in its own process, read and commit per batch; the rate is messages over first send to the last
    receipt in every group. With the pipeline's event size and three groups it is the same topology
    as the pipeline (one producer, three consuming services), with nothing else in the way. Also the
    CPU per message of the producer (this process), the consumers together and the broker."""
    import multiprocessing

    from kafka import KafkaAdminClient, KafkaProducer
    from kafka.admin import NewTopic

    topic = f"bench.raw.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(topic, 3, 1)])
    admin.close()
    spawn = multiprocessing.get_context("spawn")
    readers = []
    for number in range(groups):
        ready, last_receipt, cpu_s = spawn.Event(), spawn.Value("d", 0.0), spawn.Value("d", 0.0)
        process = spawn.Process(target=_raw_consumer, args=(bootstrap, topic, f"raw-{topic}-{number}", messages,
                                                            ready, last_receipt, cpu_s))
        process.start()
        readers.append((process, ready, last_receipt, cpu_s))
    for _, ready, _, _ in readers:
        ready.wait(60)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5,
                             batch_size=PRODUCER_BATCH_BYTES)
    value = b"x" * size
    broker_before, stolen_before = cpu_seconds({"broker": list(broker_pids)})["broker"], stolen_seconds()
    producer_before = time.process_time()
    started = time.time()
    for number in range(messages):
        producer.send(topic, key=str(number % 1000).encode(), value=value)
    producer.flush()
    produced = time.time()
    producer_cpu_s = time.process_time() - producer_before
    producer.close()
    for process, _, _, _ in readers:
        process.join(180)
    stolen_s, measured_s = stolen_seconds() - stolen_before, time.time() - started
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.delete_topics([topic])  # tansu keeps topics in memory: a bench of several runs would pile them up
    admin.close()
    last = max(last_receipt.value for _, _, last_receipt, _ in readers)
    broker_cpu_s = cpu_seconds({"broker": list(broker_pids)})["broker"] - broker_before
    return {"messages": messages, "size": size, "groups": groups, "produce_per_s": messages / (produced - started),
            "produce_to_consume_per_s": messages / (last - started),
            "stolen_share": stolen_s / ((os.cpu_count() or 1) * measured_s),
            "cpu_us": {"producer": producer_cpu_s / messages * 1e6,
                       "consumers": sum(cpu_s.value for *_, cpu_s in readers) / messages * 1e6,
                       "broker": broker_cpu_s / messages * 1e6}}
