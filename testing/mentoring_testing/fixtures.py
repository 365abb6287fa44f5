"""pytest fixtures for the platform: real PostgreSQL databases (one per service, migrated, dropped
after the run), a real broker, the four apps, their workers, tenants and tokens.

Enable with `pytest_plugins = ["mentoring_testing.fixtures"]`. The services are found through the
entry points they register (mentoring_shared/service_registry.py)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from mentoring_shared.db.migrations import upgrade_to_head
from mentoring_shared.service_registry import SERVICES, app_factory, migrations_dir, worker_builder
from mentoring_shared.web.auth import issue_dev_token
from mentoring_testing.servers import Broker, PostgresServer, ServerUnavailable

TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"


Server = TypeVar("Server")


def started_or_exit(start: Callable[[], Server]) -> Server:
    """The server `start` brings up; if it cannot, the whole run stops as FAILED with its reason
    (a test run never skips for want of a server)."""
    try:
        return start()
    except ServerUnavailable as error:
        pytest.exit(f"FAILED: {error}", returncode=3)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = started_or_exit(PostgresServer.start)
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    started = started_or_exit(Broker.start)
    yield started
    started.stop()


def migrated_databases(server: PostgresServer, services=SERVICES) -> dict[str, str]:
    """A new database for each service, at its latest migration."""
    urls = {}
    for service in services:
        url = server.create_database(f"mt_{service}")
        upgrade_to_head(migrations_dir(service), url)
        urls[service] = url
    return urls


def platform_environment(database_urls: dict[str, str], bootstrap: str, **overrides: str) -> dict[str, str]:
    """The environment a service process reads, pointing at the given databases and broker."""
    env = {f"{service.upper()}_DATABASE_URL": url for service, url in database_urls.items()}
    env.update({
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "KAFKA_SESSION_TIMEOUT_MS": "2000",  # a group's first join takes half of it
        "AUTH_JWT_SECRET": TEST_JWT_SECRET,
        "LOG_LEVEL": "WARNING",
        "CONSUMER_MAX_ATTEMPTS": "3",
        # Calendar URLs and CalDAV accounts in tests live on local servers (a thread, Radicale).
        "SCHEDULING_CALENDAR_ALLOWED_HOSTS": "127.0.0.1",
        "SCHEDULING_CALENDAR_ALLOW_HTTP": "1",
    })
    env.update({f"{service.upper()}_WORKER_METRICS_PORT": "0" for service in SERVICES})
    env.update(overrides)
    return env


@pytest.fixture(scope="session")
def service_databases(postgres_server) -> dict[str, str]:
    return migrated_databases(postgres_server)


@pytest.fixture(scope="session")
def platform_env(service_databases, broker) -> dict[str, str]:
    return platform_environment(service_databases, broker.bootstrap)


@pytest.fixture(scope="session")
def apps(platform_env) -> dict[str, Any]:
    return {service: app_factory(service)(platform_env) for service in SERVICES}


@pytest.fixture(scope="session")
def running_workers(platform_env) -> Iterator[dict[str, Any]]:
    """Every service's worker (relay and consumers) on threads in this process, for the session."""
    stop = threading.Event()
    workers = {service: worker_builder(service)(platform_env) for service in SERVICES}
    for worker in workers.values():
        worker.start(stop)
    yield workers
    stop.set()
    for worker in workers.values():
        worker.join()


@pytest.fixture
def consumer_group_name() -> str:
    """A consumer group of its own, reading every topic from the start."""
    return f"test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def tenant() -> str:
    return f"tenant-{uuid.uuid4().hex[:12]}"


def token(tenant_id: str, *roles: str, subject: str = "tester") -> str:
    return issue_dev_token(TEST_JWT_SECRET, tenant_id, list(roles) or ["org_admin"], subject)


class ApiClient:
    """A Flask test client that sends a bearer token for one tenant and set of roles."""

    def __init__(self, app, tenant_id: str, roles: tuple[str, ...], subject: str = "tester"):
        self.app = app
        self._client = app.test_client()
        self._headers = {"Authorization": f"Bearer {token(tenant_id, *roles, subject=subject)}"}

    def request(self, method: str, path: str, **kwargs):
        headers = {**self._headers, **kwargs.pop("headers", {})}
        return self._client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)


@pytest.fixture
def api(apps, tenant):
    """`api("profiles")` is a client of that service acting as an org_admin of this test's tenant."""
    def client(service: str, roles: tuple[str, ...] = ("org_admin",), tenant_id: str | None = None,
               subject: str = "tester") -> ApiClient:
        return ApiClient(apps[service], tenant_id or tenant, roles, subject)
    return client
