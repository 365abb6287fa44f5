"""The real servers tests run against. Where a Docker engine answers, testcontainers supplies
PostgreSQL and Apache Kafka; otherwise the local PostgreSQL server and the tansu broker binary.
A server that cannot be had is an error with a clear message, never a skip."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from mentoring_shared.db.engine import normalize_url
from mentoring_tools.broker import start_broker

LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


class ServerUnavailable(RuntimeError):
    pass


def docker_engine_answers() -> bool:
    try:
        import docker

        client = docker.from_env(timeout=3)
        client.ping()
        return True
    except Exception:
        return False


LOWEST_PORT = 10_000  # above the well-known and most registered services' ports


def free_port() -> int:
    """A port nothing listens on, for a server a test starts, chosen below the kernel's range for
    the local ports of outgoing connections. A port from that range (what binding to port 0 gives)
    can be taken by any process's outgoing connection before the server meant to have it binds
    it: a CI run failed when the scheduling API of a starting platform found its port in use."""
    below = _outgoing_ports_start()
    for _ in range(1000):
        port = random.randrange(LOWEST_PORT, below)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue  # in use: another
        return port
    raise ServerUnavailable(f"no free port between {LOWEST_PORT} and {below}")


def _outgoing_ports_start() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as ranges:
            return int(ranges.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


def wait_for_port(host: str, port: int, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServerUnavailable(f"nothing listens on {host}:{port} after {timeout_s:.0f}s")


@dataclass
class PostgresServer:
    """An admin connection URL to a PostgreSQL server, and the databases made for this run."""

    admin_url: str
    container: Any = None  # a testcontainers container, where a Docker engine answers
    databases: list[str] = field(default_factory=list)

    @classmethod
    def start(cls) -> "PostgresServer":
        url = os.environ.get("TEST_POSTGRES_URL")
        if not url and docker_engine_answers():
            from testcontainers.postgres import PostgresContainer

            container = PostgresContainer("postgres:16-alpine", driver="psycopg").start()
            return cls(admin_url=container.get_connection_url(), container=container)
        url = url or LOCAL_POSTGRES_URL
        try:
            engine = sa.create_engine(normalize_url(url))
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
            engine.dispose()
        except Exception as error:
            raise ServerUnavailable(
                f"PostgreSQL is required for the tests and does not answer at {url} "
                f"(set TEST_POSTGRES_URL, or start a local server): {error}") from None
        return cls(admin_url=url)

    def create_database(self, prefix: str) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self._admin(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        base = sa.engine.make_url(normalize_url(self.admin_url))
        return base.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        for name in self.databases:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.databases.clear()
        if self.container is not None:
            self.container.stop()

    def _admin(self, statement: str) -> None:
        engine = sa.create_engine(normalize_url(self.admin_url), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(statement))
        engine.dispose()


@dataclass
class Broker:
    """A Kafka-protocol broker for tests: Apache Kafka in a container, or tansu as a child process
    (which tests may pause with SIGSTOP and resume with SIGCONT, or kill -9 and start again on the
    same port: tansu keeps topics in memory, so a restarted one has lost its whole log)."""

    bootstrap: str
    process: subprocess.Popen | None = None
    container: Any = None  # a testcontainers container, where a Docker engine answers
    log_path: str | None = None  # tansu's output, appended to by every (re)start

    @classmethod
    def start(cls, prefer_container: bool = True) -> "Broker":
        if prefer_container and docker_engine_answers():
            from testcontainers.kafka import KafkaContainer

            # Tests use a 2 s session timeout (a 1 s group join); Kafka's default minimum is 6 s.
            container = KafkaContainer().with_kraft().with_env("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "1000").start()
            return cls(bootstrap=container.get_bootstrap_server(), container=container)
        port = free_port()
        log_path = os.path.join(tempfile.gettempdir(), f"tansu-{port}.log")
        try:
            process = start_broker(f"127.0.0.1:{port}", log_path)
        except Exception as error:
            raise ServerUnavailable(f"could not start the tansu broker: {error}") from None
        try:
            wait_for_port("127.0.0.1", port)
        except ServerUnavailable:
            process.kill()
            raise ServerUnavailable(f"the tansu broker did not start; see {log_path}") from None
        return cls(bootstrap=f"127.0.0.1:{port}", process=process, log_path=log_path)

    def pause(self) -> None:
        """Freeze the broker (SIGSTOP): connections stay open and nothing answers."""
        if self.process is None:
            raise ServerUnavailable("pausing needs the broker as a child process (tansu)")
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """kill -9 the broker and wait until it is gone: no clean shutdown, connections drop."""
        if self.process is None:
            raise ServerUnavailable("killing needs the broker as a child process (tansu)")
        self.process.kill()  # SIGKILL also ends a stopped (paused) process
        self.process.wait(10)

    def restart(self, timeout_s: float = 15.0) -> None:
        """Start tansu again on the same address (after `kill`), and wait until it listens. It comes
        back empty: no topics, no committed offsets. Its output goes on in the same log file."""
        if self.process is None:
            raise ServerUnavailable("restarting needs the broker as a child process (tansu)")
        if self.process.poll() is None:
            raise RuntimeError("the broker is still running: kill it first")
        host, _, port = self.bootstrap.rpartition(":")
        deadline = time.monotonic() + timeout_s
        self.process = start_broker(self.bootstrap, self.log_path)
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((host, int(port)), timeout=0.5):
                    return
            except OSError:
                pass
            if self.process.poll() is not None:  # it could not listen yet (the port not free): again
                time.sleep(0.2)
                self.process = start_broker(self.bootstrap, self.log_path)
            time.sleep(0.05)
        self.process.kill()
        raise ServerUnavailable(f"the tansu broker did not restart on {self.bootstrap}; see {self.log_path}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.container is not None:
            self.container.stop()
