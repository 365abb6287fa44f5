"""The production-shaped stack hangs together: docker-compose accepts docker-compose.yml with no .env
file, every service runs a migration job, an API and a worker wired to its own database and role,
Kafka runs in KRaft mode, Prometheus scrapes every API and worker, and the four service images are
built the same way. Needs the `docker-compose` command (scripts/install-system-packages), no engine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from mentoring_shared.config import DEFAULT_PORTS, load_service_settings

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
PROMETHEUS_FILE = REPO / "deploy" / "prometheus" / "prometheus.yml"
POSTGRES_INIT = REPO / "deploy" / "postgres" / "init-service-databases.sh"
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


@pytest.fixture(scope="module")
def compose(tmp_path_factory) -> dict:
    """docker-compose.yml as docker-compose resolves it (anchors merged, variables substituted)."""
    result = run_compose("config", tmp_path=tmp_path_factory.mktemp("compose"))
    assert result.returncode == 0, f"docker-compose config failed:\n{result.stderr}"
    return yaml.safe_load(result.stdout)


@pytest.fixture(scope="module")
def prometheus() -> dict:
    return yaml.safe_load(PROMETHEUS_FILE.read_text())


def environment(service: dict) -> dict[str, str]:
    return {name: "" if value is None else str(value) for name, value in (service.get("environment") or {}).items()}


def depends_on(service: dict) -> dict[str, str]:
    return {name: spec["condition"] for name, spec in (service.get("depends_on") or {}).items()}


def scrape_targets(config: dict) -> set[tuple[str, int, str]]:
    """(host, port, service label) of every target, from static_configs and dns_sd_configs."""
    targets = set()
    for job in config["scrape_configs"]:
        relabelled = {rule["target_label"]: rule["replacement"] for rule in job.get("relabel_configs", [])
                      if rule.get("action", "replace") == "replace" and "source_labels" not in rule}
        for static in job.get("static_configs", []):
            label = static.get("labels", {}).get("service", relabelled.get("service", ""))
            for target in static["targets"]:
                host, _, port = target.rpartition(":")
                targets.add((host, int(port), label))
        for dns in job.get("dns_sd_configs", []):
            for name in dns["names"]:
                targets.add((name, int(dns["port"]), relabelled.get("service", "")))
    return targets


def test_compose_file_is_valid_with_no_env_file(tmp_path):
    result = run_compose("config", "--quiet", tmp_path=tmp_path)
    assert result.returncode == 0, f"docker-compose config --quiet failed:\n{result.stderr}"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_migrate_api_and_worker_from_one_image_of_its_own(compose, service):
    containers = compose["services"]
    expected_commands = {
        f"{service}-migrate": ["mentoring", "migrate", service],
        f"{service}-api": ["mentoring", "api", service, "--host", "0.0.0.0"],
        f"{service}-worker": ["mentoring", "worker", service],
    }
    for name, command in expected_commands.items():
        assert name in containers, f"{name} is missing from docker-compose.yml"
        assert containers[name]["command"] == command
        assert Path(containers[name]["build"]["context"]) == REPO
        assert containers[name]["build"]["dockerfile"] == f"services/{service}/Dockerfile"
    assert len({containers[name]["image"] for name in expected_commands}) == 1


@pytest.mark.parametrize("service", SERVICES)
def test_api_and_worker_start_after_their_migrations_and_a_healthy_broker(compose, service):
    containers = compose["services"]
    assert depends_on(containers[f"{service}-migrate"]) == {"postgres": "service_healthy"}
    assert containers[f"{service}-migrate"]["restart"] == "no"
    for process in ("api", "worker"):
        assert depends_on(containers[f"{service}-{process}"]) == {
            f"{service}-migrate": "service_completed_successfully", "kafka": "service_healthy"}


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_uses_its_own_database_and_role(compose, service):
    containers = compose["services"]
    postgres_env = environment(containers["postgres"])
    variable = f"{service.upper()}_DATABASE_URL"
    for process in ("migrate", "api", "worker"):
        env = environment(containers[f"{service}-{process}"])
        others = [name for name in env if name.endswith("_DATABASE_URL") and name != variable]
        assert not others, f"{service}-{process} can see another service's database: {others}"
        url = urlsplit(env[variable])
        assert (url.scheme, url.hostname, url.port) == ("postgresql", "postgres", 5432)
        assert url.username == service and url.path == f"/{service}", env[variable]
        # the password the init script gives the role is the one the service connects with
        assert url.password == postgres_env[f"{service.upper()}_DB_PASSWORD"]
    init_script = POSTGRES_INIT.read_text()
    assert re.search(rf'^create_service_database {service}\s+"\$\{{{service.upper()}_DB_PASSWORD', init_script, re.M)


def test_postgres_runs_the_init_script_and_reports_health(compose):
    postgres = compose["services"]["postgres"]
    assert postgres["image"].startswith("postgres:16")
    mounts = [str(volume) for volume in postgres["volumes"]]
    assert any(str(POSTGRES_INIT) in mount and "/docker-entrypoint-initdb.d/" in mount for mount in mounts), mounts
    check = postgres["healthcheck"]["test"]
    # over TCP: during initialisation postgres answers on its socket before the roles exist
    assert "pg_isready" in check and "127.0.0.1" in check, check


def test_kafka_runs_in_kraft_mode_without_zookeeper(compose):
    containers = compose["services"]
    assert not [name for name, spec in containers.items()
                if "zookeeper" in name.lower() or "zookeeper" in spec.get("image", "").lower()]
    kafka = environment(containers["kafka"])
    assert set(kafka["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert kafka["KAFKA_CONTROLLER_QUORUM_VOTERS"]
    assert not [name for name in kafka if "ZOOKEEPER" in name]
    assert "/opt/kafka/bin/" in " ".join(containers["kafka"]["healthcheck"]["test"])
    advertised = {listener.split("://", 1)[1] for listener in kafka["KAFKA_ADVERTISED_LISTENERS"].split(",")}
    for service in SERVICES:
        env = environment(containers[f"{service}-api"])
        assert set(env["KAFKA_BOOTSTRAP_SERVERS"].split(",")) <= advertised
        assert env["KAFKA_TOPIC_PARTITIONS"] == "6"


@pytest.mark.parametrize("service", SERVICES)
def test_services_accept_their_compose_environment_and_serve_on_the_ports_compose_uses(compose, service):
    containers = compose["services"]
    for process in ("api", "worker"):
        # the services' own configuration loader: a short secret or a malformed URL fails here
        settings = load_service_settings(service, environment(containers[f"{service}-{process}"]))
        assert settings.http_port == DEFAULT_PORTS[service]
        assert settings.worker_metrics_port == DEFAULT_PORTS[service] + 1100
    api = containers[f"{service}-api"]
    assert [int(port["target"]) for port in api["ports"]] == [settings.http_port]
    assert f"127.0.0.1:{settings.http_port}/healthz" in " ".join(api["healthcheck"]["test"])
    worker = containers[f"{service}-worker"]
    assert f"127.0.0.1:{settings.worker_metrics_port}/metrics" in " ".join(worker["healthcheck"]["test"])


def test_prometheus_scrapes_every_api_and_worker_in_compose(compose, prometheus):
    containers = compose["services"]
    expected = set()
    for service in SERVICES:
        prefix = service.upper()
        for process, variable in (("api", f"{prefix}_PORT"), ("worker", f"{prefix}_WORKER_METRICS_PORT")):
            name = f"{service}-{process}"
            expected.add((name, int(environment(containers[name])[variable]), service))
    assert expected <= scrape_targets(prometheus)
    mounts = [str(volume) for volume in containers["prometheus"]["volumes"]]
    assert any(str(PROMETHEUS_FILE) in mount and mount.endswith("/etc/prometheus/prometheus.yml:ro")
               for mount in mounts), mounts


def test_service_dockerfiles_differ_only_in_the_service_name_and_ports():
    normalized = {}
    for service, port in DEFAULT_PORTS.items():
        text = (REPO / "services" / service / "Dockerfile").read_text()
        assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
        assert re.search(rf"pip install --no-cache-dir -c constraints\.txt \./shared \./services/{service}$", text, re.M)
        assert re.search(rf"^EXPOSE {port} {port + 1100}$", text, re.M)
        assert f'CMD ["mentoring", "api", "{service}", "--host", "0.0.0.0"]' in text
        user = re.findall(r"^USER (\S+)", text, re.M)
        assert user and user[-1].split(":")[0] not in {"root", "0"}, "the image must not run as root"
        normalized[service] = (text.replace(service.upper(), "<SERVICE>").replace(service, "<service>")
                               .replace(str(port + 1100), "<worker-port>").replace(str(port), "<port>"))
    assert len(set(normalized.values())) == 1, "the service Dockerfiles have drifted apart"


def test_build_context_leaves_out_local_state():
    ignored = set((REPO / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var", "**/__pycache__", "**/*.egg-info", ".env"} <= ignored
