"""The nginx gateway (deploy/nginx/nginx.conf) in front of the four APIs: each service's prefix goes to
its compose API without the prefix, with forwarded and request-id headers; metrics stay internal;
unknown paths and down APIs answer problem+json; replicas are found through Docker's DNS. A real
nginx (scripts/install-system-packages) checks the configuration and forwards to stand-in APIs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from mentoring_testing.polling import eventually
from mentoring_testing.servers import free_port
from tests.deploy.compose import REPO, SERVICES, bind_mounts, depends_on, environment, published_ports

NGINX_FILE = REPO / "deploy" / "nginx" / "nginx.conf"



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
