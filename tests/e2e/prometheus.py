"""A real Prometheus (Debian's `prometheus` package, installed by scripts/install-system-packages)
scraping a running platform the way deploy/prometheus/prometheus.yml scrapes the production stack:
one job per process kind of each service, every target labelled with its `service`."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import yaml

from mentoring_testing.polling import eventually
from mentoring_testing.servers import free_port


def _scrape_jobs(ports: dict[str, int], metrics_ports: dict[str, int]) -> list[dict]:
    jobs = []
    for service in ports:
        for process, port in (("api", ports[service]), ("worker", metrics_ports[service])):
            jobs.append({"job_name": f"{service}-{process}", "static_configs": [
                {"targets": [f"127.0.0.1:{port}"], "labels": {"service": service}}]})
    return jobs


class Prometheus:
    def __init__(self, url: str):
        self.url = url

    def answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/-/ready", timeout=2).status_code == 200
        except requests.RequestException:  # still starting
            return False

    def wait_for_scrapes_after(self, moment: float) -> None:
        """Until every target has been scraped after `moment` (seconds since the epoch)."""
        eventually(lambda: min(float(series["value"][1]) for series in self.query("timestamp(up)")) > moment,
                   timeout_s=30, message="Prometheus stopped scraping the platform")

    def query(self, expr: str) -> list[dict]:
        answer = requests.get(f"{self.url}/api/v1/query", params={"query": expr}, timeout=10).json()
        if answer["status"] != "success":
            raise AssertionError(f"Prometheus refused {expr!r}: {answer.get('error')}")
        return answer["data"]["result"]


@contextmanager
def prometheus_scraping(tmp_path: Path, ports: dict[str, int], metrics_ports: dict[str, int],
                        every_s: int = 1) -> Iterator[Prometheus]:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail("prometheus is not installed, so the dashboards cannot be checked against a real one: run "
                    "scripts/install-system-packages as root (Debian: apt-get install prometheus)", pytrace=False)
    config = tmp_path / "prometheus.yml"
    config.write_text(yaml.safe_dump({"global": {"scrape_interval": f"{every_s}s", "scrape_timeout": f"{every_s}s"},
                                      "scrape_configs": _scrape_jobs(ports, metrics_ports)}))
    port = free_port()
    log = open(tmp_path / "prometheus.log", "wb")
    process = subprocess.Popen([binary, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                                f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    prometheus = Prometheus(f"http://127.0.0.1:{port}")
    try:
        targets = 2 * len(ports)
        eventually(lambda: process.poll() is None and prometheus.answers()
                   and len(prometheus.query("up == 1")) == targets, timeout_s=60,
                   message=f"Prometheus never saw all {targets} processes up (see {tmp_path}/prometheus.log)")
        yield prometheus
    finally:
        process.terminate()
        process.wait(30)
