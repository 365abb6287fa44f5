"""A missing or malformed setting stops the process with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

MENTORING = str(Path(sys.executable).with_name("mentoring"))
COMPLETE = {
    "PROFILES_DATABASE_URL": "sqlite:///unused.db",
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
    "AUTH_JWT_SECRET": "s" * 40,
}


def run(command: list[str], **env_changes) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if not key.endswith("_DATABASE_URL") and not key.startswith(("KAFKA_", "AUTH_"))}
    env.update(COMPLETE)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([MENTORING, *command], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("command,variable", [
    (["api", "profiles"], "PROFILES_DATABASE_URL"),
    (["api", "profiles"], "KAFKA_BOOTSTRAP_SERVERS"),
    (["api", "profiles"], "AUTH_JWT_SECRET"),
    (["worker", "profiles"], "PROFILES_DATABASE_URL"),   # a worker serves no requests: it needs no AUTH_*
    (["worker", "profiles"], "KAFKA_BOOTSTRAP_SERVERS"),
])
def test_a_missing_setting_stops_the_process_naming_it(command, variable):
    result = run(command, **{variable: None})
    assert result.returncode == 2
    assert f"configuration error: {variable} is required" in result.stderr


def test_a_malformed_setting_stops_the_process_naming_it():
    result = run(["api", "profiles"], PROFILES_PORT="http")
    assert result.returncode == 2
    assert "PROFILES_PORT must be a whole number" in result.stderr


def test_migrate_names_the_missing_database_url():
    result = run(["migrate", "matching"])
    assert result.returncode == 2
    assert "MATCHING_DATABASE_URL is required" in result.stderr


def test_a_worker_whose_metrics_port_is_taken_says_which_setting_to_change(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(["worker", "profiles"], PROFILES_DATABASE_URL=f"sqlite:///{tmp_path}/p.db",
                     PROFILES_WORKER_METRICS_PORT=str(port))
    assert result.returncode != 0
    assert f"cannot serve /metrics on 127.0.0.1:{port}" in result.stderr
    assert "set PROFILES_WORKER_METRICS_PORT to a free port, or 0 for none" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_cannot_be_opened_is_named_not_a_traceback(tmp_path):
    result = run(["migrate", "profiles"], PROFILES_DATABASE_URL=f"sqlite:///{tmp_path}/no/such/dir/profiles.db")
    assert result.returncode == 2
    assert "configuration error: PROFILES_DATABASE_URL names a database that cannot be opened" in result.stderr
    assert "Traceback" not in result.stderr
