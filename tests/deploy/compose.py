"""docker-compose.yml as docker-compose renders it, and readers for its parts, for the deployment
tests (test_compose.py, test_gateway.py). Needs the `docker-compose` command, no engine."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from mentoring_shared.config import DEFAULT_PORTS

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
SERVICES = tuple(DEFAULT_PORTS)


def compose_command() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    pytest.fail("docker-compose is not installed, so docker-compose.yml cannot be validated: "
                "run scripts/install-system-packages as root (Debian: apt-get install docker-compose)",
                pytrace=False)


def run_compose(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    # An empty env file and a bare environment: the defaults in docker-compose.yml alone must do,
    # whatever .env or variables the developer running the tests happens to have.
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    environ = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    return subprocess.run([*compose_command(), "--env-file", str(empty_env_file), "-f", str(COMPOSE_FILE),
                           *args], cwd=REPO, env=environ, capture_output=True, text=True, timeout=120)


def rendered_compose(tmp_path: Path) -> dict:
    """docker-compose.yml as docker-compose resolves it (anchors merged, variables substituted)."""
    result = run_compose("config", tmp_path=tmp_path)
    assert result.returncode == 0, f"docker-compose config failed:\n{result.stderr}"
    return yaml.safe_load(result.stdout)


def environment(service: dict) -> dict[str, str]:
    return {name: "" if value is None else str(value) for name, value in (service.get("environment") or {}).items()}


def depends_on(service: dict) -> dict[str, str]:
    return {name: spec["condition"] for name, spec in (service.get("depends_on") or {}).items()}


def bind_mounts(service: dict) -> dict[str, tuple[Path, bool]]:
    """Container path -> (host path, read-only) of each bind mount (named volumes left out)."""
    mounts = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            source, target, read_only = volume.get("source", ""), volume["target"], volume.get("read_only", False)
        else:
            source, target, *mode = str(volume).split(":")
            read_only = mode == ["ro"]
        if source.startswith("/"):
            mounts[target] = (Path(source), read_only)
    return mounts


def published_ports(service: dict) -> dict[int, tuple[str, int]]:
    """Container port -> (host address, host port) of each published port."""
    ports = {}
    for port in service.get("ports", []):
        if isinstance(port, dict):
            ports[int(port["target"])] = (port.get("host_ip", "0.0.0.0"), int(port["published"]))
        else:
            *address, published, target = str(port).split("/")[0].split(":")
            ports[int(target)] = (address[0] if address else "0.0.0.0", int(published))
    return ports
