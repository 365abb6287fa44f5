import pytest

from mentoring_shared.config import ConfigError, load_service_settings

VALID = {
    "PROFILES_DATABASE_URL": "postgresql://postgres@127.0.0.1/profiles",
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092",
    "AUTH_JWT_SECRET": "x" * 32,
}


def with_env(**changes):
    env = dict(VALID)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def test_valid_environment_loads_with_defaults():
    settings = load_service_settings("profiles", VALID)
    assert settings.http_port == 8001
    assert settings.worker_metrics_port == 9101
    assert settings.kafka.bootstrap_servers == ["127.0.0.1:9092"]
    assert settings.auth.algorithm == "HS256"


@pytest.mark.parametrize("variable", ["PROFILES_DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "AUTH_JWT_SECRET"])
def test_missing_required_setting_names_the_variable(variable):
    with pytest.raises(ConfigError) as raised:
        load_service_settings("profiles", with_env(**{variable: None}))
    assert variable in str(raised.value)
    assert raised.value.code == 2


@pytest.mark.parametrize("variable,value", [
    ("PROFILES_PORT", "eighty"),
    ("PROFILES_PORT", "70000"),
    ("KAFKA_BOOTSTRAP_SERVERS", "no-port-here"),
    ("PROFILES_DATABASE_URL", "mysql://db/x"),
    ("AUTH_JWT_SECRET", "short"),
    ("LOG_LEVEL", "LOUD"),
    ("AUTH_JWKS_URL", "ftp://keys"),
    ("KAFKA_FETCH_MIN_BYTES", "0"),
    ("KAFKA_FETCH_MAX_WAIT_MS", "soon"),
])
def test_malformed_setting_names_the_variable(variable, value):
    with pytest.raises(ConfigError) as raised:
        load_service_settings("profiles", with_env(**{variable: value}))
    assert variable in str(raised.value)


def test_jwks_url_switches_to_rs256_without_a_secret():
    settings = load_service_settings("profiles", with_env(AUTH_JWT_SECRET=None, AUTH_JWKS_URL="https://idp/jwks"))
    assert settings.auth.algorithm == "RS256"
    assert settings.auth.jwt_secret is None


def test_retention_defaults_keep_the_inbox_longer_than_the_outbox():
    settings = load_service_settings("profiles", VALID)
    assert (settings.outbox_retention_days, settings.inbox_retention_days) == (7, 8)


@pytest.mark.parametrize("outbox,inbox", [("7", "7"), ("10", "8"), (None, "5")])
def test_an_inbox_retention_not_longer_than_the_outbox_retention_is_refused(outbox, inbox):
    with pytest.raises(ConfigError) as raised:
        load_service_settings("profiles", with_env(OUTBOX_RETENTION_DAYS=outbox, INBOX_RETENTION_DAYS=inbox))
    assert raised.value.variable == "INBOX_RETENTION_DAYS"
    assert "OUTBOX_RETENTION_DAYS" in str(raised.value)


def test_retentions_are_read_from_the_environment():
    settings = load_service_settings("profiles", with_env(OUTBOX_RETENTION_DAYS="14", INBOX_RETENTION_DAYS="15"))
    assert (settings.outbox_retention_days, settings.inbox_retention_days) == (14, 15)


@pytest.mark.parametrize("variable", ["OUTBOX_RETENTION_DAYS", "INBOX_RETENTION_DAYS"])
def test_a_malformed_retention_names_its_variable(variable):
    with pytest.raises(ConfigError) as raised:
        load_service_settings("profiles", with_env(**{variable: "a week"}))
    assert raised.value.variable == variable


def test_the_worker_metrics_port_follows_the_api_port():
    assert load_service_settings("profiles", with_env(PROFILES_PORT="18001")).worker_metrics_port == 19101
    assert load_service_settings("profiles", with_env(PROFILES_PORT="18001",
                                                      PROFILES_WORKER_METRICS_PORT="0")).worker_metrics_port == 0


def test_an_api_port_too_high_for_the_default_worker_port_names_the_setting_to_choose():
    with pytest.raises(ConfigError) as error:
        load_service_settings("profiles", with_env(PROFILES_PORT="65000"))
    assert error.value.variable == "PROFILES_WORKER_METRICS_PORT"


def test_consumer_fetches_return_at_once_unless_told_to_wait_for_more():
    assert (load_service_settings("profiles", VALID).kafka.fetch_min_bytes,
            load_service_settings("profiles", VALID).kafka.fetch_max_wait_ms) == (1, 100)
    tuned = load_service_settings("profiles", with_env(KAFKA_FETCH_MIN_BYTES="65536", KAFKA_FETCH_MAX_WAIT_MS="50"))
    assert (tuned.kafka.fetch_min_bytes, tuned.kafka.fetch_max_wait_ms) == (65536, 50)
