"""Configuration from the environment. A missing or malformed setting stops the process with a
message that names the variable, before anything else starts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


class ConfigError(SystemExit):
    """Raised for a missing or malformed setting. A SystemExit, so a process stops with the message
    (exit status 2) instead of a traceback."""

    def __init__(self, variable: str, problem: str):
        self.variable = variable
        super().__init__(f"configuration error: {variable} {problem}")
        self.code = 2

    def __str__(self) -> str:  # SystemExit prints its first arg
        return str(self.args[0])


class Environment:
    """Typed reads of environment variables; every error names its variable."""

    def __init__(self, environ: Mapping[str, str] | None = None):
        self._environ = os.environ if environ is None else environ

    def raw(self, name: str) -> str | None:
        value = self._environ.get(name)
        return value.strip() if value is not None and value.strip() else None

    def string(self, name: str, default: str | None = None) -> str:
        value = self.raw(name)
        if value is None:
            if default is None:
                raise ConfigError(name, "is required but not set")
            return default
        return value

    def integer(self, name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(name, f"must be a whole number, got {value!r}") from None
        if number < minimum or (maximum is not None and number > maximum):
            bounds = f">= {minimum}" + (f" and <= {maximum}" if maximum is not None else "")
            raise ConfigError(name, f"must be {bounds}, got {number}")
        return number

    def database_url(self, name: str) -> str:
        url = self.string(name)
        if not url.startswith(("postgresql", "sqlite")):
            raise ConfigError(name, f"must be a postgresql:// or sqlite:// URL, got {url.split(':', 1)[0]}://...")
        return url

    def bootstrap_servers(self, name: str) -> list[str]:
        servers = [s.strip() for s in self.string(name).split(",") if s.strip()]
        for server in servers:
            host, _, port = server.rpartition(":")
            if not host or not port.isdigit():
                raise ConfigError(name, f"must be a comma-separated list of host:port, got {server!r}")
        return servers


@dataclass(frozen=True)
class AuthSettings:
    """HS256 with a local secret (embedded default) or RS256 with keys from a JWKS URL (production)."""

    jwt_secret: str | None = None
    jwks_url: str | None = None
    issuer: str | None = None
    audience: str | None = None

    @property
    def algorithm(self) -> str:
        return "RS256" if self.jwks_url else "HS256"


# A consumer applies a poll's records in one transaction, so its fixed costs (the inbox claim, each
# table's statement, the commit) are paid once a poll. With polls of up to 2,000 instead of 500 the
# pipeline bench's bulk phase ran 3% faster (each consumer 2 to 3 µs an event cheaper), 4 to 5%
# with the relay's batches of 2,000 too; a raw kafka-python consumer was no faster for it
# (19,250 msg/s either way). A trickle still comes a few events a poll.
POLL_MAX_RECORDS = 2000


@dataclass(frozen=True)
class KafkaSettings:
    bootstrap_servers: list[str]
    session_timeout_ms: int = 6000
    topic_partitions: int = 3
    replication_factor: int = 1
    poll_max_records: int = POLL_MAX_RECORDS
    # A fetch waits for this many bytes or this long: under a trickle of events a consumer then
    # applies a few per transaction instead of one, at the cost of that wait in latency. Even
    # with one byte the wait shows in latency on tansu: 500 ms (Kafka's default) took one person
    # per request from commit to applied in 63 ms at the median and 119 at p99 to 163 and 308.
    # tansu (0.6) is never woken by a produce: it looks at every partition of the fetch, sleeps,
    # and looks again at the end of the wait (halfway, while 250 ms or more remain), so a record
    # waits up to the whole wait and each look costs broker CPU per partition. Apache Kafka
    # answers a waiting fetch as soon as a record arrives: there, a longer wait costs no latency.
    fetch_min_bytes: int = 1
    fetch_max_wait_ms: int = 100


@dataclass(frozen=True)
class ServiceSettings:
    service: str
    database_url: str
    kafka: KafkaSettings
    auth: AuthSettings | None  # None in a worker: it serves no requests
    http_port: int
    worker_metrics_port: int
    max_body_bytes: int = 1_048_576
    consumer_max_attempts: int = 5
    log_level: str = "INFO"
    outbox_retention_days: int = 7  # sent outbox rows are kept this long, to republish after a broker loses its log
    inbox_retention_days: int = 8   # longer: a republished event must still find its inbox row


DEFAULT_PORTS = {"profiles": 8001, "matching": 8002, "scheduling": 8003, "feedback": 8004}


def load_auth_settings(env: Environment) -> AuthSettings:
    secret, jwks_url = env.raw("AUTH_JWT_SECRET"), env.raw("AUTH_JWKS_URL")
    if not secret and not jwks_url:
        raise ConfigError("AUTH_JWT_SECRET", "is required but not set (or set AUTH_JWKS_URL for RS256)")
    if secret and len(secret) < 32:
        raise ConfigError("AUTH_JWT_SECRET", "must be at least 32 characters")
    if jwks_url and not jwks_url.startswith(("https://", "http://")):
        raise ConfigError("AUTH_JWKS_URL", f"must be an http(s) URL, got {jwks_url!r}")
    return AuthSettings(jwt_secret=None if jwks_url else secret, jwks_url=jwks_url,
                        issuer=env.raw("AUTH_ISSUER"), audience=env.raw("AUTH_AUDIENCE"))


def load_retention_days(env: Environment) -> tuple[int, int]:
    """(outbox, inbox) retention in days. The inbox must remember an event longer than the outbox
    keeps it: a republished event older than the inbox's memory would be applied twice."""
    outbox = env.integer("OUTBOX_RETENTION_DAYS", 7, minimum=1, maximum=3650)
    inbox = env.integer("INBOX_RETENTION_DAYS", 8, minimum=1, maximum=3650)
    if inbox <= outbox:
        raise ConfigError("INBOX_RETENTION_DAYS", f"must be greater than OUTBOX_RETENTION_DAYS ({outbox}), "
                          f"got {inbox}: a republished event older than the inbox remembers would apply twice")
    return outbox, inbox


def _worker_metrics_port(env: Environment, prefix: str, http_port: int) -> int:
    """The worker's /metrics port: its own setting, else the API's port + 1100 (0: none)."""
    name = f"{prefix}_WORKER_METRICS_PORT"
    if env.raw(name) is None and http_port + 1100 > 65535:
        raise ConfigError(name, f"is required when {prefix}_PORT + 1100 is beyond 65535 ({prefix}_PORT is {http_port})")
    return env.integer(name, http_port + 1100, minimum=0, maximum=65535)


def load_service_settings(service: str, environ: Mapping[str, str] | None = None,
                          serves_http: bool = True) -> ServiceSettings:
    """Read a service's settings; variables specific to one service carry its name as a prefix.
    A worker (`serves_http=False`) needs no authentication settings."""
    env = Environment(environ)
    prefix = service.upper()
    default_port = DEFAULT_PORTS.get(service, 8000)
    log_level = env.string("LOG_LEVEL", "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError("LOG_LEVEL", f"must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")
    outbox_retention_days, inbox_retention_days = load_retention_days(env)
    http_port = env.integer(f"{prefix}_PORT", default_port, minimum=1, maximum=65535)
    return ServiceSettings(
        service=service,
        database_url=env.database_url(f"{prefix}_DATABASE_URL"),
        kafka=KafkaSettings(
            bootstrap_servers=env.bootstrap_servers("KAFKA_BOOTSTRAP_SERVERS"),
            session_timeout_ms=env.integer("KAFKA_SESSION_TIMEOUT_MS", 6000, minimum=1000),
            topic_partitions=env.integer("KAFKA_TOPIC_PARTITIONS", 3, minimum=1),
            replication_factor=env.integer("KAFKA_REPLICATION_FACTOR", 1, minimum=1),
            poll_max_records=env.integer("KAFKA_POLL_MAX_RECORDS", POLL_MAX_RECORDS, minimum=1, maximum=10_000),
            fetch_min_bytes=env.integer("KAFKA_FETCH_MIN_BYTES", 1, minimum=1),
            fetch_max_wait_ms=env.integer("KAFKA_FETCH_MAX_WAIT_MS", 100, minimum=0, maximum=10_000),
        ),
        auth=load_auth_settings(env) if serves_http else None,
        http_port=http_port,
        worker_metrics_port=_worker_metrics_port(env, prefix, http_port),
        max_body_bytes=env.integer("HTTP_MAX_BODY_BYTES", 1_048_576, minimum=1024),
        consumer_max_attempts=env.integer("CONSUMER_MAX_ATTEMPTS", 5, minimum=1, maximum=100),
        log_level=log_level,
        outbox_retention_days=outbox_retention_days,
        inbox_retention_days=inbox_retention_days,
    )
