"""The production-shaped stack hangs together: docker-compose accepts docker-compose.yml with no .env
file, every service runs a migration job, an API and a worker wired to its own database and role,
Kafka runs in KRaft mode, Prometheus scrapes every API and worker and sends alerts to Alertmanager,
Grafana provisions its data sources and dashboards, and the four service images are built the same
way. The gateway has its own tests (test_gateway.py). Needs the `docker-compose` command, no engine."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from mentoring_shared.config import DEFAULT_PORTS, load_service_settings
from tests.deploy import dashboards
from tests.deploy.compose import (
    COMPOSE_FILE,
    REPO,
    SERVICES,
    bind_mounts,
    depends_on,
    environment,
    published_ports,
    run_compose,
)

PROMETHEUS_FILE = REPO / "deploy" / "prometheus" / "prometheus.yml"
POSTGRES_INIT = REPO / "deploy" / "postgres" / "init-service-databases.sh"
PROMETHEUS_RULES = REPO / "deploy" / "prometheus" / "rules"
ALERTMANAGER_FILE = REPO / "deploy" / "alertmanager" / "alertmanager.yml"


@pytest.fixture(scope="module")
def prometheus() -> dict:
    return yaml.safe_load(PROMETHEUS_FILE.read_text())


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
        f"{service}-worker": ["mentoring", "worker", service, "--host", "0.0.0.0"],  # scraped from outside
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
    # reached through the gateway: no fixed host port, so `--scale <service>-api=N` can start N
    assert "ports" not in api, f"{service}-api publishes a host port: scaling it would clash"
    assert [int(port) for port in api["expose"]] == [settings.http_port]
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


def test_every_image_from_a_registry_is_pinned_to_a_version(compose):
    for name, container in compose["services"].items():
        if "build" in container:
            continue  # built here from the repository
        image = container["image"]
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag and tag not in {"", "latest"}, f"{name}: {image} is not pinned"


def test_every_long_running_container_reports_its_health(compose):
    for name, container in compose["services"].items():
        if container.get("restart") == "no":
            continue  # one-shot jobs: their exit code is their health
        assert container.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


# --- Prometheus, Alertmanager, Grafana -----------------------------------------------------------------


def test_prometheus_loads_the_rules_and_sends_alerts_to_alertmanager(compose, prometheus):
    containers = compose["services"]
    mounts = bind_mounts(containers["prometheus"])
    assert mounts["/etc/prometheus/rules"] == (PROMETHEUS_RULES, True)
    assert mounts["/etc/prometheus/prometheus.yml"] == (PROMETHEUS_FILE, True)
    rule_files = prometheus.get("rule_files", [])
    assert rule_files, "prometheus.yml loads no rules"
    for pattern in rule_files:
        assert pattern.startswith("/etc/prometheus/rules/"), pattern
        assert list(PROMETHEUS_RULES.glob(pattern.removeprefix("/etc/prometheus/rules/"))), \
            f"{pattern} matches no file in {PROMETHEUS_RULES}"
    targets = {target for manager in prometheus["alerting"]["alertmanagers"]
               for static in manager.get("static_configs", []) for target in static["targets"]}
    assert "alertmanager:9093" in targets, targets
    assert "alertmanager" in depends_on(containers["prometheus"])


def test_alertmanager_runs_the_configuration_from_deploy(compose):
    alertmanager = compose["services"]["alertmanager"]
    assert bind_mounts(alertmanager)["/etc/alertmanager/alertmanager.yml"] == (ALERTMANAGER_FILE, True)
    assert ALERTMANAGER_FILE.is_file(), f"{ALERTMANAGER_FILE} is missing"
    assert "--config.file=/etc/alertmanager/alertmanager.yml" in alertmanager["command"]
    assert 9093 in published_ports(alertmanager)


def test_monitoring_without_a_login_is_published_on_this_host_only(compose):
    for name in ("prometheus", "alertmanager"):
        addresses = {address for address, _ in published_ports(compose["services"][name]).values()}
        assert addresses == {"127.0.0.1"}, f"{name} is reachable from other hosts: {addresses}"


def test_grafana_provisions_prometheus_and_the_dashboards_in_deploy(compose):
    containers = compose["services"]
    grafana = containers["grafana"]
    mounts = bind_mounts(grafana)
    assert mounts["/etc/grafana/provisioning"] == (dashboards.GRAFANA_DIR / "provisioning", True)
    providers = yaml.safe_load(dashboards.PROVIDERS_FILE.read_text())["providers"]
    assert len(providers) == 1
    folder = providers[0]["options"]["path"]
    # the provider's folder is where compose mounts the directory holding the dashboards' JSON
    assert mounts[folder] == (dashboards.DASHBOARD_DIR, True)
    assert dashboards.dashboard_files()
    home = environment(grafana)["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert Path(home).parent == Path(folder) and (dashboards.DASHBOARD_DIR / Path(home).name).is_file()
    sources = yaml.safe_load(dashboards.DATASOURCES_FILE.read_text())["datasources"]
    for source in sources:
        url = urlsplit(source["url"])
        assert url.hostname in containers, f"{source['name']} points at {url.hostname}, not a compose service"
    prometheus_url = urlsplit(next(source["url"] for source in sources if source["type"] == "prometheus"))
    assert (prometheus_url.hostname, prometheus_url.port) == ("prometheus", 9090)
    assert depends_on(grafana) == {"prometheus": "service_healthy"}


def test_grafana_admin_password_comes_from_the_environment_with_a_local_default(compose):
    raw = yaml.safe_load(COMPOSE_FILE.read_text())
    assert re.fullmatch(r"\$\{GRAFANA_ADMIN_PASSWORD:-[^}]+\}",
                        raw["services"]["grafana"]["environment"]["GF_SECURITY_ADMIN_PASSWORD"])
    assert environment(compose["services"]["grafana"])["GF_SECURITY_ADMIN_PASSWORD"]
