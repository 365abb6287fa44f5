"""`make run` and `make demo` as a newcomer runs them from a fresh copy of the repository, with
every port moved off its default and VAR_DIR elsewhere: the demo finds the platform it started on
those ports, drives that one (never 8001-8004), keeps every file under VAR_DIR, and ends with the
program's report."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from mentoring_shared.service_registry import SERVICES
from mentoring_testing.fixtures import TEST_JWT_SECRET
from mentoring_testing.servers import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


def fresh_copy(destination: Path) -> Path:
    """The files git tracks, as they are in the working tree (a clone of what would be committed),
    with their times kept, and the installed .venv beside them, as `make` left it."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        source, target = REPO_ROOT / name, destination / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (destination / ".venv").symlink_to(Path(sys.executable).parents[1])
    return destination


def test_make_demo_on_other_ports_and_var_dir_from_a_fresh_copy(tmp_path):
    repository = fresh_copy(tmp_path / "repository")
    var_dir = tmp_path / "elsewhere"
    listen = f"127.0.0.1:{free_port()}"
    env = {**os.environ, "VAR_DIR": str(var_dir), "BROKER_LISTEN": listen, "KAFKA_BOOTSTRAP_SERVERS": listen,
           "AUTH_JWT_SECRET": TEST_JWT_SECRET, "WEB_CONCURRENCY": "1", "KAFKA_SESSION_TIMEOUT_MS": "2000"}
    for service in SERVICES:
        env[f"{service.upper()}_PORT"] = str(free_port())
        env[f"{service.upper()}_WORKER_METRICS_PORT"] = str(free_port())
        env.pop(f"{service.upper()}_DATABASE_URL", None)
        env.pop(f"MENTORING_{service.upper()}_URL", None)
    env.pop("MENTORING_GATEWAY_URL", None)

    result = subprocess.run(["make", "-s", "demo"], cwd=repository, env=env,
                            capture_output=True, text=True, timeout=400)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "Starting the platform for the demo" in output
    for service in SERVICES:  # the journey drove the platform on the ports it was given
        assert f"http://127.0.0.1:{env[f'{service.upper()}_PORT']}" in output, output[:2000]
    assert "report" in output.lower()
    # Every run-time file went under VAR_DIR, none into the copy's var/.
    assert sorted(path.name for path in (var_dir / "demo").glob("*.db")) == \
        ["feedback.db", "matching.db", "profiles.db", "scheduling.db"]
    assert not (repository / "var").exists()
