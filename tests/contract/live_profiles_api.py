"""The profiles API as production runs it (`mentoring api profiles`, gunicorn) on a free port, over a
freshly migrated PostgreSQL database, with a SCIM token for a tenant of its own: what the SCIM
conformance suites talk to over real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from mentoring_shared.db.migrations import upgrade_to_head
from mentoring_shared.service_registry import migrations_dir
from mentoring_testing.fixtures import platform_environment, token
from mentoring_testing.polling import eventually
from mentoring_testing.servers import PostgresServer, free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LiveScim:
    base_url: str       # http://127.0.0.1:<port>/scim/v2
    token: str          # the tenant's SCIM bearer secret
    log: Path


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:  # not listening yet
        return False


@contextmanager
def live_profiles_scim(server: PostgresServer, log_dir: Path) -> Iterator[LiveScim]:
    url = server.create_database("mt_profiles_scim")
    upgrade_to_head(migrations_dir("profiles"), url)
    port = free_port()
    # The API never talks to the broker (the outbox does, from the worker), so none is started.
    env = {**os.environ, **platform_environment({"profiles": url}, "127.0.0.1:1"),
           "PROFILES_PORT": str(port), "WEB_CONCURRENCY": "2", "VAR_DIR": str(log_dir / "var"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    log = log_dir / "profiles-api.log"
    with open(log, "ab") as output:
        process = subprocess.Popen([str(Path(sys.executable).parent / "mentoring"), "api", "profiles"],
                                   cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        root = f"http://127.0.0.1:{port}"
        eventually(lambda: process.poll() is None and _answers(f"{root}/readyz"), timeout_s=30,
                   message=f"the profiles API did not start (see {log})")
        tenant = f"scim-conformance-{uuid.uuid4().hex[:8]}"
        created = requests.post(f"{root}/v1/scim-tokens", json={"label": "conformance"}, timeout=10,
                                headers={"Authorization": f"Bearer {token(tenant, 'org_admin')}"})
        assert created.status_code == 201, created.text
        yield LiveScim(f"{root}/scim/v2", created.json()["token"], log)
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(5)
