"""The production-shaped stack hangs together: docker-compose accepts docker-compose.yml with no .env
file, every service runs a migration job, an API and a worker wired to its own database and role,
Kafka runs in KRaft mode, the nginx gateway routes each service's prefix to its API, Prometheus
scrapes every API and worker and sends alerts to Alertmanager, Grafana provisions its data sources
and dashboards, and the four service images are built the same way. Needs the `docker-compose`
command and `nginx` (scripts/install-system-packages), no engine: a real nginx checks the gateway's
configuration and forwards requests to stand-in APIs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import yaml

from mentoring_shared.config import DEFAULT_PORTS, load_service_settings
from mentoring_shared.testing.polling import eventually
from mentoring_shared.testing.servers import free_port
from tests.deploy import dashboards

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
PROMETHEUS_FILE = REPO / "deploy" / "prometheus" / "prometheus.yml"
POSTGRES_INIT = REPO / "deploy" / "postgres" / "init-service-databases.sh"
PROMETHEUS_RULES = REPO / "deploy" / "prometheus" / "rules"
ALERTMANAGER_FILE = REPO / "deploy" / "alertmanager" / "alertmanager.yml"
NGINX_FILE = REPO / "deploy" / "nginx" / "nginx.conf"
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


# --- the gateway (deploy/nginx/nginx.conf) -------------------------------------------------------------


def nginx_config_text() -> str:
    """nginx.conf without its comments."""
    return re.sub(r"#[^\n]*", "", NGINX_FILE.read_text())


def nginx_command() -> str:
    path = shutil.which("nginx")
    if path is None:
        pytest.fail("nginx is not installed, so the gateway's configuration cannot be checked: run "
                    "scripts/install-system-packages as root (Debian: apt-get install nginx)", pytrace=False)
    return path


def runnable_nginx_config(directory: Path, listen_port: int, upstreams: dict[str, str]) -> Path:
    """deploy/nginx/nginx.conf as it can run outside Docker, changed only where it must be: each
    API's compose address replaced by a local one (there is no Docker DNS here), the port, and
    nginx's scratch directories moved to `directory` (Debian's defaults need root)."""
    text = NGINX_FILE.read_text()
    for address, local in upstreams.items():
        text = text.replace(f" {address};", f" {local};")
    text, listens = re.subn(r"\blisten\s+8080\s*;", f"listen 127.0.0.1:{listen_port};", text)
    assert listens == 1, "the gateway listens on port 8080"
    scratch = "".join(f"    {kind}_temp_path {directory / kind};\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    text = re.sub(r"^http\s*\{\n", lambda match: match.group(0) + scratch, text, count=1, flags=re.M)
    path = directory / "nginx.conf"
    path.write_text(text)
    return path


def compose_api_addresses(compose: dict) -> dict[str, str]:
    """service -> `<service>-api:<port>`, the address the gateway must send that service's paths to."""
    return {service: f"{service}-api:{environment(compose['services'][f'{service}-api'])[f'{service.upper()}_PORT']}"
            for service in SERVICES}


class StandInApi(BaseHTTPRequestHandler):
    """Answers every request with what it received, so a test sees what the gateway forwarded."""

    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        payload = json.dumps({"service": self.server.service, "path": self.path, "body": body,
                              "headers": {name.lower(): value for name, value in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args) -> None:
        pass


def start_gateway(directory: Path, upstreams: dict[str, str]) -> tuple[subprocess.Popen, str]:
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = runnable_nginx_config(directory, port, upstreams)
    log = open(directory / "nginx.log", "wb")
    process = subprocess.Popen([nginx_command(), "-p", str(directory), "-e", "stderr", "-c", str(config),
                                "-g", f"daemon off; pid {directory / 'nginx.pid'};"],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert process.poll() is None, (directory / "nginx.log").read_text()
        try:
            return requests.get(f"{url}/healthz", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    eventually(answers, message="the gateway did not start")
    return process, url


def stop_gateway(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def gateway(compose, tmp_path_factory) -> str:
    """The gateway's real configuration in a real nginx, in front of a stand-in for each API."""
    servers = {}
    for service in SERVICES:
        server = ThreadingHTTPServer(("127.0.0.1", 0), StandInApi)
        server.service = service
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[service] = server
    addresses = compose_api_addresses(compose)
    upstreams = {addresses[service]: f"127.0.0.1:{server.server_address[1]}" for service, server in servers.items()}
    process, url = start_gateway(tmp_path_factory.mktemp("gateway"), upstreams)
    yield url
    stop_gateway(process)
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("service", SERVICES)
def test_gateway_sends_each_service_to_the_address_of_its_compose_api(compose, service):
    address = compose_api_addresses(compose)[service]
    locations = dict(re.findall(r"location\s+(/\w+/)\s*\{(.*?)\}", nginx_config_text(), re.S))
    assert f"/{service}/" in locations, f"the gateway has no location /{service}/"
    assert re.search(rf"\s{re.escape(address)};", locations[f"/{service}/"]), \
        f"location /{service}/ does not send requests to {address}"


def test_gateway_configuration_is_valid_nginx(tmp_path):
    config = runnable_nginx_config(tmp_path, 8080, {})
    result = subprocess.run([nginx_command(), "-t", "-p", str(tmp_path), "-e", "stderr", "-c", str(config)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("service", SERVICES)
def test_gateway_sends_each_prefix_to_its_api_without_the_prefix(gateway, service):
    response = requests.get(f"{gateway}/{service}/v1/people?page_size=2&q=a%20b", timeout=10)
    assert response.status_code == 200, response.text
    forwarded = response.json()
    assert forwarded["service"] == service
    assert forwarded["path"] == "/v1/people?page_size=2&q=a%20b"
    body = '{"name": "Ada"}'
    posted = requests.post(f"{gateway}/{service}/v1/people", data=body, timeout=10,
                           headers={"Content-Type": "application/json", "Authorization": "Bearer t0ken"}).json()
    assert (posted["service"], posted["path"], posted["body"]) == (service, "/v1/people", body)
    assert posted["headers"]["authorization"] == "Bearer t0ken"


@pytest.mark.parametrize("service", SERVICES)
def test_gateway_tells_the_api_where_the_request_came_from_and_its_ids(gateway, service):
    sent = {"X-Request-ID": "req-123", "X-Correlation-ID": "corr-456"}
    forwarded = requests.get(f"{gateway}/{service}/v1/things", headers=sent, timeout=10).json()["headers"]
    assert forwarded.get("x-forwarded-prefix") == f"/{service}"
    assert forwarded.get("x-forwarded-proto") == "http"
    assert forwarded.get("x-forwarded-for") == "127.0.0.1"
    assert forwarded.get("x-forwarded-host") == "127.0.0.1"
    assert (forwarded["x-request-id"], forwarded["x-correlation-id"]) == ("req-123", "corr-456")
    # no request id from the caller: the gateway makes one, which then appears in its log too
    generated = requests.get(f"{gateway}/{service}/v1/things", timeout=10).json()["headers"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated["x-request-id"]), generated


@pytest.mark.parametrize("service", SERVICES)
def test_gateway_keeps_the_apis_metrics_internal(gateway, service):
    response = requests.get(f"{gateway}/{service}/metrics", timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


def test_gateway_answers_unknown_paths_and_down_apis_in_problem_json(compose, tmp_path):
    closed = f"127.0.0.1:{free_port()}"  # nothing listens there
    process, url = start_gateway(tmp_path, {address: closed for address in compose_api_addresses(compose).values()})
    try:
        down = requests.get(f"{url}/matching/v1/matches", timeout=10)
        assert down.status_code == 503 and down.headers["Content-Type"] == "application/problem+json"
        assert down.json()["status"] == 503
        unknown = requests.get(f"{url}/billing/v1/invoices", timeout=10)
        assert unknown.status_code == 404 and unknown.json()["status"] == 404
        # a bare prefix gets its slash, relative to whatever host and port the client used
        bare = requests.get(f"{url}/profiles", timeout=10, allow_redirects=False)
        assert (bare.status_code, bare.headers["Location"]) == (301, "/profiles/")
    finally:
        stop_gateway(process)


def test_gateway_finds_api_replicas_through_docker_dns_at_request_time():
    text = nginx_config_text()
    # Docker's embedded DNS, re-asked after `valid`: replicas started later get traffic too
    assert re.search(r"^\s*resolver\s+127\.0\.0\.11\b[^;]*\bvalid=\d+s", text, re.M), "no Docker DNS resolver"
    proxy_passes = re.findall(r"^\s*proxy_pass\s+([^;]+);", text, re.M)
    assert len(proxy_passes) == len(SERVICES)
    # a name in a variable is resolved per request (balanced over all its addresses); a literal
    # name would be resolved once, at start, and fail the start while an API is down
    assert all("$" in target for target in proxy_passes), proxy_passes


def test_gateway_container_runs_this_configuration_on_its_published_port(compose):
    containers = compose["services"]
    gateway = containers["gateway"]
    assert bind_mounts(gateway)["/etc/nginx/nginx.conf"] == (NGINX_FILE, True)
    listen = int(re.search(r"^\s*listen\s+(\d+)\s*;", nginx_config_text(), re.M).group(1))
    assert listen in published_ports(gateway)
    assert f"127.0.0.1:{listen}/healthz" in " ".join(gateway["healthcheck"]["test"])
    assert set(depends_on(gateway)) == {f"{service}-api" for service in SERVICES}


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
