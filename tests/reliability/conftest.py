import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from mentoring_testing.fixtures import migrated_databases, platform_environment

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def isolated_databases(postgres_server):
    """Fresh profiles and matching databases, so no session-wide worker touches their outbox."""
    return migrated_databases(postgres_server, ("profiles", "matching"))


@pytest.fixture
def isolated_env(isolated_databases, broker):
    return platform_environment(isolated_databases, broker.bootstrap)


@pytest.fixture
def consumer_group() -> str:
    return f"reliability-{uuid.uuid4().hex[:10]}"


def start_process(command: str, env: dict[str, str], **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.processes", command],
                            cwd=REPO_ROOT, env={**os.environ, **env}, **popen)
