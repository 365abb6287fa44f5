"""Event pipeline on PostgreSQL: people created through the profiles API (gunicorn, real HTTP) and
its outbox, relayed to the broker and applied by three consumer groups (matching, scheduling,
feedback), each into its own database. Side by side, in the same run on the same broker: the raw
kafka-python produce-to-consume rate. Latencies are read from the databases: each event's outbox
`created_at` (the request's commit) against each consumer's inbox `processed_at` (its commit).

Target (issue 2): at least 50% of the raw rate; p99 end-to-end under 1 s at half the sustained rate."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import sqlalchemy as sa

from mentoring_shared.db.engine import normalize_url
from mentoring_shared.testing.fixtures import migrated_databases, platform_environment, token
from mentoring_shared.testing.servers import Broker, PostgresServer, free_port, wait_for_port

CONSUMERS = ("matching", "scheduling", "feedback")
SATURATION_PEOPLE = int(os.environ.get("BENCH_PEOPLE", "6000"))
CLIENT_THREADS = 16
PACED_SECONDS = 20
RAW_MESSAGES = 50_000


def raw_kafka_rate(bootstrap: str, messages: int = RAW_MESSAGES, size: int = 420) -> dict:
    """Produce with the relay's settings (acks=all, idempotent) while one consumer group reads
    and commits per batch; the rate is messages over first send to last receipt."""
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
    from kafka.admin import NewTopic

    topic = f"bench.raw.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(topic, 3, 1)])
    admin.close()
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"raw-{topic}", enable_auto_commit=False,
                             auto_offset_reset="earliest", session_timeout_ms=2000, heartbeat_interval_ms=300,
                             max_poll_records=500)
    while not consumer.assignment():
        consumer.poll(timeout_ms=100)
    received, last_receipt = 0, [0.0]

    def consume() -> None:
        nonlocal received
        while received < messages:
            batch = consumer.poll(timeout_ms=500)
            received += sum(len(records) for records in batch.values())
            if batch:
                consumer.commit()
                last_receipt[0] = time.perf_counter()

    reader = threading.Thread(target=consume)
    reader.start()
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    value = b"x" * size
    started = time.perf_counter()
    for number in range(messages):
        producer.send(topic, key=str(number % 1000).encode(), value=value)
    producer.flush()
    produced = time.perf_counter()
    reader.join(120)
    consumer.close()
    producer.close()
    return {"messages": messages, "produce_per_s": messages / (produced - started),
            "produce_to_consume_per_s": messages / (last_receipt[0] - started)}


class Platform:
    """The profiles API under gunicorn and the four workers, started as `make run` starts them."""

    def __init__(self, env: dict[str, str], workdir: Path):
        self.env = {**os.environ, **env, "VAR_DIR": str(workdir), "WEB_CONCURRENCY": "2", "LOG_LEVEL": "WARNING"}
        self.port = int(env["PROFILES_PORT"])
        self.mentoring = str(Path(sys.executable).with_name("mentoring"))
        self.api: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.log = open(workdir / "platform.log", "wb")

    def start_api(self) -> None:
        self.api = self._spawn("api", "profiles")
        wait_for_port("127.0.0.1", self.port, timeout_s=30)

    def start_workers(self) -> None:
        self.workers = [self._spawn("worker", service) for service in ("profiles",) + CONSUMERS]

    def stop(self) -> None:
        for process in [self.api, *self.workers]:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _spawn(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([self.mentoring, *args], env=self.env, stdout=self.log, stderr=subprocess.STDOUT)


def post_people(port: int, tenant: str, count: int, rate_per_s: float | None = None) -> float:
    """POST `count` people with CLIENT_THREADS keep-alive clients, optionally paced; returns seconds."""
    headers = {"Authorization": f"Bearer {token(tenant, 'service')}"}
    local = threading.local()
    started = time.perf_counter()

    def post(number: int) -> None:
        if rate_per_s:
            delay = started + number / rate_per_s - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        response = session.post(f"http://127.0.0.1:{port}/v1/people", headers=headers, timeout=30, json={
            "name": f"Person {number}", "email": f"p{number}@{tenant}.example", "time_zone": "Europe/Paris",
            "employee_id": f"E{number}"})
        response.raise_for_status()

    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        list(pool.map(post, range(count)))
    return time.perf_counter() - started


def delivery_times(urls: dict[str, str], tenant: str, expected: int, timeout_s: float = 300) -> dict:
    """Wait until every consumer applied `expected` events of `tenant`; return their commit times."""
    engines = {service: sa.create_engine(normalize_url(url)) for service, url in urls.items()}
    deadline = time.monotonic() + timeout_s
    try:
        for service in CONSUMERS:
            while True:
                with engines[service].connect() as connection:
                    applied = connection.execute(sa.text("SELECT count(*) FROM inbox WHERE tenant_id = :t"),
                                                 {"t": tenant}).scalar_one()
                if applied >= expected:
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{service} applied {applied} of {expected}")
                time.sleep(0.2)
        with engines["profiles"].connect() as connection:
            created = dict(connection.execute(sa.text(
                "SELECT event_id, created_at FROM outbox WHERE tenant_id = :t"), {"t": tenant}).all())
        applied = {}
        for service in CONSUMERS:
            with engines[service].connect() as connection:
                applied[service] = dict(connection.execute(sa.text(
                    "SELECT event_id, processed_at FROM inbox WHERE tenant_id = :t"), {"t": tenant}).all())
        return {"created": created, "applied": applied}
    finally:
        for engine in engines.values():
            engine.dispose()


def summarize(times: dict, span_from: str = "created") -> dict:
    """Rates over the span from the first event created (or, for a backlog, first applied) to the
    last applied in all three read models; latencies from each event's commit to each application."""
    created, applied = times["created"], times["applied"]
    latencies = [(applied[s][event] - created[event]).total_seconds() for s in CONSUMERS for event in created]
    everywhere = [max((applied[s][event] - created[event]).total_seconds() for s in CONSUMERS) for event in created]
    first = min(created.values()) if span_from == "created" else min(min(applied[s].values()) for s in CONSUMERS)
    last = max(max(applied[s].values()) for s in CONSUMERS)
    span = (last - first).total_seconds()

    def pct(values, q):
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1]

    return {"people": len(created), "span_s": span, "people_per_s": len(created) / span,
            "deliveries_per_s": 3 * len(created) / span,
            "p50_s": pct(latencies, 50), "p99_s": pct(latencies, 99),
            "p50_all_three_s": pct(everywhere, 50), "p99_all_three_s": pct(everywhere, 99)}


def run(workdir: Path) -> dict:
    server = PostgresServer.start()
    broker = Broker.start(prefer_container=False)
    platform = None
    try:
        raw = raw_kafka_rate(broker.bootstrap)
        urls = migrated_databases(server)
        env = platform_environment(urls, broker.bootstrap, PROFILES_PORT=str(free_port()), LOG_LEVEL="WARNING",
                                   **{f"{s.upper()}_WORKER_METRICS_PORT": "0" for s in ("profiles",) + CONSUMERS})
        platform = Platform(env, workdir)
        platform.start_api()

        # Delivery stage alone: a backlog written through the API while no worker runs, then drained.
        backlog_tenant = f"bench-backlog-{uuid.uuid4().hex[:6]}"
        post_people(platform.port, backlog_tenant, SATURATION_PEOPLE)
        platform.start_workers()
        backlog = summarize(delivery_times(urls, backlog_tenant, SATURATION_PEOPLE), span_from="applied")

        # The whole pipeline, API included, saturated by the clients.
        saturated_tenant = f"bench-sat-{uuid.uuid4().hex[:6]}"
        api_seconds = post_people(platform.port, saturated_tenant, SATURATION_PEOPLE)
        saturated = summarize(delivery_times(urls, saturated_tenant, SATURATION_PEOPLE))
        saturated["api_requests_per_s"] = SATURATION_PEOPLE / api_seconds

        # Latency at half the sustained rate.
        half_rate = saturated["people_per_s"] / 2
        paced_tenant = f"bench-half-{uuid.uuid4().hex[:6]}"
        paced_count = int(half_rate * PACED_SECONDS)
        post_people(platform.port, paced_tenant, paced_count, rate_per_s=half_rate)
        paced = summarize(delivery_times(urls, paced_tenant, paced_count))
        paced["offered_per_s"] = half_rate
        return {"raw": raw, "backlog": backlog, "saturated": saturated, "paced": paced}
    finally:
        if platform is not None:
            platform.stop()
        broker.stop()
        server.drop_all()


def report(result: dict) -> str:
    from bench.results import machine

    raw, backlog, sat, paced = result["raw"], result["backlog"], result["saturated"], result["paced"]
    raw_rate = raw["produce_to_consume_per_s"]
    return f"""## Event pipeline (issue 2)

{machine()}. PostgreSQL 127.0.0.1, tansu broker, profiles API under gunicorn (2 sync workers),
4 worker processes, {CLIENT_THREADS} HTTP client threads on the same 2 cores.

| measure | value |
|---|---|
| raw kafka-python produce (acks=all, idempotent), {raw['messages']:,} msgs | {raw['produce_per_s']:,.0f} msg/s |
| raw kafka-python produce-to-consume, same broker | {raw['produce_to_consume_per_s']:,.0f} msg/s |
| delivery stage: a backlog of {backlog['people']:,} events relayed and applied in all three read models | {backlog['people_per_s']:,.0f} events/s ({backlog['deliveries_per_s']:,.0f} applications/s), {backlog['people_per_s'] / raw_rate:.0%} of raw |
| whole pipeline, saturated: people created via the API ({sat['people']:,}) | {sat['api_requests_per_s']:,.0f} req/s |
| whole pipeline, saturated: events in all three read models | {sat['people_per_s']:,.0f} events/s ({sat['deliveries_per_s']:,.0f} applications/s), {sat['people_per_s'] / raw_rate:.0%} of raw (target 50%) |
| saturated latency, commit to applied, p50 / p99 | {sat['p50_s']*1000:,.0f} ms / {sat['p99_s']*1000:,.0f} ms |
| at half the sustained rate ({paced['offered_per_s']:,.0f} people/s, {paced['people']:,} people): p50 / p99 | {paced['p50_s']*1000:,.0f} ms / {paced['p99_s']*1000:,.0f} ms (target p99 < 1 s) |
| same, until applied in all three read models: p50 / p99 | {paced['p50_all_three_s']*1000:,.0f} ms / {paced['p99_all_three_s']*1000:,.0f} ms |

Reading: the raw rate is Kafka alone; the pipeline adds, per event, an HTTP request with a durable
PostgreSQL commit, a relay round trip and three consumers' transactions, all on the same 2 cores
as the load generator and the broker. The delivery stage (relay and consumers, each consumer
applying a partition's batch in one transaction) is the part comparable with the raw rate; the
whole pipeline is bounded by the API's commit per request. The 50%-of-raw target is not met on
this machine; the latency target is.
"""


def main() -> None:
    import tempfile

    from bench.results import record

    with tempfile.TemporaryDirectory() as workdir:
        result = run(Path(workdir))
    text = report(result)
    print(text)
    record("pipeline", text)


if __name__ == "__main__":
    main()
