"""The platform as benches run it: the profiles API under gunicorn and the four workers, each a
process started as `make run` starts it, with the CPU each has used."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from bench.process_cpu import cpu_seconds, postgres_cpu_by_database
from mentoring_testing.servers import Broker, wait_for_port

CONSUMERS = ("matching", "scheduling", "feedback")


class Platform:
    """The profiles API under gunicorn and the four workers, started as `make run` starts them."""

    def __init__(self, env: dict[str, str], workdir: Path, database_urls: dict[str, str]):
        self.databases = {f"PostgreSQL: {service}'s database": sa.engine.make_url(url).database
                          for service, url in database_urls.items()}
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

    def restart_relay(self, hold: Callable[[], object]) -> None:
        """Stop the profiles worker (its outbox relay), do `hold`, start it again: the consumers
        stay up and warm."""
        relay = self.workers[0]
        relay.send_signal(signal.SIGTERM)
        relay.wait(30)
        hold()
        self.workers[0] = self._spawn("worker", "profiles")

    def cpu_seconds(self, broker: Broker) -> dict[str, float]:
        """CPU used so far by each part of the platform (PostgreSQL: every backend on the server,
        then split by database, and the server's own processes)."""
        return cpu_seconds({"API (gunicorn)": [self.api.pid], "relay (profiles worker)": [self.workers[0].pid],
                            **{f"consumer {service}": [worker.pid]
                               for service, worker in zip(CONSUMERS, self.workers[1:])},
                            "broker": [broker.process.pid] if broker.process else []},
                           by_name={"PostgreSQL": "postgres"}, alone={"clients (the bench process)": os.getpid()}
                           ) | postgres_cpu_by_database(self.databases)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The API and the workers frozen (SIGSTOP to each one's process group, gunicorn's workers
        included), so a baseline measured meanwhile on the same machine gets every core; resumed
        after, even if the baseline failed. Keep it shorter than gunicorn's worker timeout (30 s)."""
        groups = [process.pid for process in [self.api, *self.workers] if process is not None and process.poll() is None]
        for group in groups:
            os.killpg(group, signal.SIGSTOP)
        try:
            yield
        finally:
            for group in groups:
                os.killpg(group, signal.SIGCONT)

    def stop(self) -> None:
        for process in [self.api, *self.workers]:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _spawn(self, *args: str) -> subprocess.Popen:
        # Each in its own process group, so that `paused` reaches gunicorn's workers too.
        return subprocess.Popen([self.mentoring, *args], env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                start_new_session=True)
