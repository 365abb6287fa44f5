"""The platform as the separate processes production runs (the profiles API under gunicorn, the four
workers), a load of people created through the API over HTTP, and what of it reached each service's
read model. Used by the broker-restart reliability test."""

from __future__ import annotations

import collections
import importlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import func, select

from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.db.engine import make_engine
from mentoring_shared.db.migrations import upgrade_to_head
from mentoring_shared.service_registry import SERVICES, migrations_dir
from mentoring_testing.servers import free_port
from tests.integration.helpers import new_person

REPO_ROOT = Path(__file__).resolve().parents[2]
# The services keeping a read model of people, each consuming as the group named after it.
READ_MODELS = ("matching", "scheduling", "feedback")


def sqlite_databases(directory: Path) -> dict[str, str]:
    """A SQLite file per service, at its latest migration (the embedded default)."""
    urls = {}
    for service in SERVICES:
        urls[service] = f"sqlite:///{directory / f'{service}.db'}"
        upgrade_to_head(migrations_dir(service), urls[service])
    return urls


def mentoring_command(*args: str) -> list[str]:
    """`mentoring ...` as the Procfile runs it: the console script beside this interpreter."""
    script = Path(sys.executable).parent / "mentoring"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "mentoring_shared.cli", *args]


@dataclass
class PlatformProcesses:
    """Child processes, each in its own session (so a stop reaches gunicorn's workers too), with
    stdout and stderr in `<log_dir>/<name>.log`."""

    env: dict[str, str]
    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, command: list[str], **env: str) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "ab")
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        process = subprocess.Popen(command, cwd=REPO_ROOT, env={**os.environ, **self.env, "PATH": path, **env},
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.processes[name] = process
        return process

    def start_worker(self, service: str) -> None:
        self.start(f"{service}-worker", mentoring_command("worker", service))

    def start_api(self, service: str) -> int:
        port = free_port()
        self.start(f"{service}-api", mentoring_command("api", service), **{
            f"{service.upper()}_PORT": str(port), "WEB_CONCURRENCY": "2", "LOG_LEVEL": "WARNING",
            "VAR_DIR": str(self.log_dir / "var")})
        return port

    def pause(self, name: str) -> None:
        os.killpg(self.processes[name].pid, signal.SIGSTOP)

    def resume(self, name: str) -> None:
        os.killpg(self.processes[name].pid, signal.SIGCONT)

    def exited(self) -> dict[str, int]:
        """The processes that are no longer running, with their exit codes."""
        return {name: process.returncode for name, process in self.processes.items() if process.poll() is not None}

    def stop_all(self, timeout_s: float = 15.0) -> None:
        running = {name: process for name, process in self.processes.items() if process.poll() is None}
        for process in running.values():
            for signum in (signal.SIGCONT, signal.SIGTERM):  # a paused process must wake to stop
                try:
                    os.killpg(process.pid, signum)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout_s
        for process in running.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(process.pid, signal.SIGKILL)  # whatever of its group is left
            except ProcessLookupError:
                pass
            process.wait(5)

    def log_tail(self, name: str, lines: int = 15) -> str:
        """The last lines of a process's log, without kafka-python's noise about a broker that is
        away (connection refused, no node for metadata), each line cut short."""
        path = self.log_dir / f"{name}.log"
        text = path.read_text(errors="replace").splitlines() if path.exists() else []
        kept = [line[:400] for line in text if not any(noise in line for noise in BROKER_AWAY_NOISE)]
        left_out = len(text) - len(kept)
        return "\n".join(kept[-lines:] + ([f"({left_out} lines about the broker being away left out)"]
                                          if left_out else []))

    def logs_tails(self, lines: int = 15) -> str:
        return "\n".join(f"--- {name} (tail of {self.log_dir / f'{name}.log'}) ---\n{self.log_tail(name, lines)}"
                         for name in self.processes)


BROKER_AWAY_NOISE = ("ECONNREFUSED", "No node available", '"logger": "kafka.net.')


class PeopleLoad:
    """Clients creating `total` people through POST /v1/people at about `rate_per_s` in all, from a
    few threads. A person counts as acknowledged when the API answered 201."""

    def __init__(self, base_url: str, bearer: str, total: int, rate_per_s: float, threads: int = 4):
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {bearer}"}
        self.total = total
        self.rate_per_s = rate_per_s
        self.acknowledged: list[str] = []
        self.refused: collections.Counter = collections.Counter()  # answers other than 201, errors
        self._lock = threading.Lock()
        self._next = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, name=f"load-{n}", daemon=True) for n in range(threads)]
        self._started_at = 0.0

    def create_one(self, session: requests.Session | None = None) -> str | None:
        try:
            answer = (session or requests).post(f"{self.base_url}/v1/people", json=new_person(),
                                                headers=self.headers, timeout=15)
        except requests.RequestException as error:
            with self._lock:
                self.refused[type(error).__name__] += 1
            return None
        with self._lock:
            if answer.status_code == 201:
                self.acknowledged.append(answer.json()["id"])
                return self.acknowledged[-1]
            self.refused[answer.status_code] += 1
        return None

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.acknowledged)

    @property
    def attempted(self) -> int:
        with self._lock:
            return self._next

    def start(self) -> None:
        self._started_at = time.monotonic()
        for thread in self._threads:
            thread.start()

    def join(self, timeout_s: float) -> bool:
        """Wait until every request was made; False if the time ran out first."""
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in self._threads)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(20)

    def _run(self) -> None:
        session = requests.Session()
        while not self._stop.is_set():
            with self._lock:
                if self._next >= self.total:
                    return
                number = self._next
                self._next += 1
            # Paced: request n leaves at n / rate, so the load spans the broker's death and return.
            delay = self._started_at + number / self.rate_per_s - time.monotonic()
            if delay > 0 and self._stop.wait(delay):
                return
            self.create_one(session)


def topic_layout(bootstrap: str) -> dict[str, tuple[int, str]]:
    """Each topic the broker has: (partition count, topic id)."""
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="test-topic-layout", request_timeout_ms=5_000)
    try:
        return {topic["name"]: (len(topic["partitions"]), str(topic.get("topic_id")))
                for topic in admin.describe_topics()}
    finally:
        admin.close()


def describe_layout_change(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> str:
    """The topics after a restart compared with before: partitions, and whether each is the same topic."""
    lines = []
    for topic in sorted(set(before) | set(after)):
        if topic not in after:
            lines.append(f"  {topic}: gone (had {before[topic][0]} partitions)")
        elif topic not in before:
            lines.append(f"  {topic}: new, {after[topic][0]} partitions")
        else:
            same = "same topic id" if before[topic][1] == after[topic][1] else "new topic id"
            lines.append(f"  {topic}: {before[topic][0]} -> {after[topic][0]} partitions, {same}")
    return "\n".join(lines)


class Timeline:
    """What happened when, and when each read model last grew (a consumer that stalls shows)."""

    def __init__(self):
        self.started = time.monotonic()
        self.events: list[str] = []
        self.rows: dict[str, tuple[int, float]] = {}

    def elapsed(self, at: float | None = None) -> str:
        return f"+{(at or time.monotonic()) - self.started:5.1f}s"

    def note(self, what: str) -> None:
        self.events.append(f"{self.elapsed()} {what}")

    def observe(self, states: dict[str, "ReadModelState"]) -> None:
        now = time.monotonic()
        for service, state in states.items():
            if self.rows.get(service, (None, 0.0))[0] != state.rows:
                self.rows[service] = (state.rows, now)

    def describe(self) -> str:
        growth = [f"  {service}: {rows} rows, last grew at {self.elapsed(at)}"
                  for service, (rows, at) in self.rows.items()]
        return "\n".join(["timeline:", *(f"  {event}" for event in self.events), "read models:", *growth])


@dataclass
class ReadModelState:
    service: str
    rows: int                      # people rows of the tenant in the read model
    missing: list[str]             # acknowledged people without a row
    unknown: list[str]             # rows for people profiles does not have
    repeated_rows: list[str]       # people with more than one row
    events_missing: list[str]      # acknowledged people's upsert events not in the inbox
    repeated_events: list[str]     # (group, event id) recorded more than once

    @property
    def complete(self) -> bool:
        return not (self.missing or self.unknown or self.repeated_rows or self.events_missing or self.repeated_events)

    def describe(self, acknowledged: int) -> str:
        parts = [f"{self.service}: {acknowledged - len(self.missing)}/{acknowledged} acknowledged people in "
                 f"its read model ({self.rows} rows)"]
        for label, items in (("missing", self.missing), ("unknown to profiles", self.unknown),
                             ("with repeated rows", self.repeated_rows),
                             ("upsert events not in its inbox", self.events_missing),
                             ("events recorded twice in its inbox", self.repeated_events)):
            if items:
                parts.append(f"{len(items)} {label} (e.g. {', '.join(items[:3])})")
        return "; ".join(parts)


class DeliveryCheck:
    """Reads the service databases: profiles' people and outbox, and each consumer's read model
    of people and inbox."""

    def __init__(self, database_urls: dict[str, str], tenant: str):
        self.tenant = tenant
        self.engines = {service: make_engine(database_urls[service]) for service in ("profiles", *READ_MODELS)}
        self.orm = {service: importlib.import_module(f"{service}.orm") for service in self.engines}

    def close(self) -> None:
        for engine in self.engines.values():
            engine.dispose()

    def profiles_people(self) -> set[str]:
        people = self.orm["profiles"].people
        with self.engines["profiles"].connect() as connection:
            return set(connection.execute(select(people.c.id).where(people.c.tenant_id == self.tenant)).scalars())

    def upsert_events(self) -> dict[str, set[str]]:
        """person id -> the ids of the person-upserted events profiles wrote for them."""
        outbox = self.orm["profiles"].outbox
        events: dict[str, set[str]] = collections.defaultdict(set)
        with self.engines["profiles"].connect() as connection:
            for key, event_id in connection.execute(
                    select(outbox.c.message_key, outbox.c.event_id).where(
                        outbox.c.tenant_id == self.tenant, outbox.c.event_type == PERSON_UPSERTED_V1)):
                events[key].add(event_id)
        return events

    def unsent_events(self) -> int:
        outbox = self.orm["profiles"].outbox
        with self.engines["profiles"].connect() as connection:
            return connection.execute(select(func.count()).select_from(outbox).where(
                outbox.c.tenant_id == self.tenant, outbox.c.sent_at.is_(None))).scalar_one()

    def read_model(self, service: str, acknowledged: list[str], events: dict[str, set[str]],
                   known: set[str]) -> ReadModelState:
        people, inbox = self.orm[service].people, self.orm[service].inbox
        with self.engines[service].connect() as connection:
            rows = collections.Counter(connection.execute(
                select(people.c.person_id).where(people.c.tenant_id == self.tenant)).scalars())
            recorded = collections.Counter(connection.execute(
                select(inbox.c.event_id).where(inbox.c.consumer_group == service,
                                               inbox.c.tenant_id == self.tenant)).scalars())
        wanted_events = {event_id for person in acknowledged for event_id in events.get(person, ())}
        return ReadModelState(
            service=service, rows=sum(rows.values()),
            missing=[person for person in acknowledged if person not in rows],
            unknown=sorted(set(rows) - known),
            repeated_rows=sorted(person for person, times in rows.items() if times > 1),
            events_missing=sorted(wanted_events - set(recorded)),
            repeated_events=sorted(event_id for event_id, times in recorded.items() if times > 1))

    def states(self, acknowledged: list[str]) -> dict[str, ReadModelState]:
        known, events = self.profiles_people(), self.upsert_events()
        return {service: self.read_model(service, acknowledged, events, known) for service in READ_MODELS}
