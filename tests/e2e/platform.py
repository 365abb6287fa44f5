"""The whole platform started the way `make run` starts it (scripts/run-embedded), on free ports,
and stopped the way a person at the terminal stops it."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from mentoring_shared.service_registry import SERVICES
from mentoring_testing.fixtures import TEST_JWT_SECRET
from mentoring_testing.polling import eventually
from mentoring_testing.servers import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


def start_platform(tmp_path, **env) -> tuple[subprocess.Popen, dict[str, int], dict[str, int]]:
    ports = {service: free_port() for service in SERVICES}
    metrics_ports = {service: free_port() for service in SERVICES}
    environment = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "AUTH_JWT_SECRET": TEST_JWT_SECRET,
                   "KAFKA_SESSION_TIMEOUT_MS": "2000", "WEB_CONCURRENCY": "2",
                   "PATH": f"{Path(os.sys.executable).parent}{os.pathsep}{os.environ['PATH']}", **env}
    for service in SERVICES:
        environment[f"{service.upper()}_PORT"] = str(ports[service])
        environment[f"{service.upper()}_WORKER_METRICS_PORT"] = str(metrics_ports[service])
    log = open(tmp_path / "platform.log", "wb")
    process = subprocess.Popen([str(REPO_ROOT / "scripts" / "run-embedded")], cwd=REPO_ROOT, env=environment,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return process, ports, metrics_ports


def stop_platform(process: subprocess.Popen) -> int:
    """Ctrl-C, as a person at the terminal would: honcho stops every process."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        return process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise


def ready(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or still starting
        return False


@contextmanager
def running_platform(tmp_path, **env) -> Iterator[tuple[dict[str, int], dict[str, int]]]:
    """The platform, ready on every service: (API ports, worker metrics ports). On leaving, it is stopped
    and its log is checked: while it ran, nothing failed."""
    process, ports, metrics_ports = start_platform(tmp_path, **env)
    try:
        for service in SERVICES:
            eventually(lambda: process.poll() is None and ready(ports[service]), timeout_s=60,
                       message=f"{service} did not become ready (see {tmp_path}/platform.log)")
        yield ports, metrics_ports
    finally:
        returncode = stop_platform(process)
    log = (tmp_path / "platform.log").read_text(errors="replace")
    # (At Ctrl-C honcho stops the broker together with the workers, and kafka-python logs its closing
    # sockets; the inbox absorbs any offset not committed.)
    running = log.split("SIGINT received")[0]
    assert "Traceback" not in running, running[-5000:]
    assert returncode in (0, 130, -2), f"honcho exited {returncode}"
