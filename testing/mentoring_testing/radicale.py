"""A real CalDAV server for tests: Radicale (PyPI `radicale`, a dependency of mentoring-testing) run as a child
process on a free 127.0.0.1 port, with its storage in a temporary folder and htpasswd (plain)
authentication for one test user. Nothing is downloaded; a server that does not start fails the
test run with its stderr.

Enable with `pytest_plugins = ["mentoring_testing.radicale"]`; the fixture is
`radicale_server` (session-scoped)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from mentoring_testing.servers import ServerUnavailable, free_port

TEST_USER = "mentor"
TEST_PASSWORD = "radicale-test-password"

_CONFIG = """\
[server]
hosts = 127.0.0.1:{port}

[auth]
type = htpasswd
htpasswd_filename = {htpasswd}
htpasswd_encryption = plain
# Radicale waits a second after a wrong password by default; tests make wrong ones on purpose.
delay = 0

[rights]
type = owner_only

[storage]
filesystem_folder = {storage}

[web]
type = none

[logging]
level = warning
"""


@dataclass
class RadicaleServer:
    """A running Radicale: `base_url` is the server root; the user's collections live under
    `home_url` (`<base_url>/<username>/`)."""

    base_url: str
    username: str
    password: str = field(repr=False)
    folder: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def home_url(self) -> str:
        return f"{self.base_url}/{self.username}/"

    @property
    def auth(self) -> tuple[str, str]:
        return self.username, self.password

    @classmethod
    def start(cls, timeout_s: float = 20.0) -> "RadicaleServer":
        if importlib.util.find_spec("radicale") is None:
            raise ServerUnavailable("Radicale is not installed: pip install -e testing (mentoring-testing)")
        folder = Path(tempfile.mkdtemp(prefix="radicale-test-"))
        (folder / "users").write_text(f"{TEST_USER}:{TEST_PASSWORD}\n")
        port = free_port()
        (folder / "config").write_text(_CONFIG.format(port=port, htpasswd=folder / "users",
                                                      storage=folder / "collections"))
        stderr = open(folder / "stderr.log", "wb")
        process = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(folder / "config")],
                                   stdout=subprocess.DEVNULL, stderr=stderr, stdin=subprocess.DEVNULL,
                                   cwd=folder)  # so `-m radicale` never finds this module's name in cwd
        stderr.close()
        server = cls(f"http://127.0.0.1:{port}", TEST_USER, TEST_PASSWORD, folder, process)
        try:
            server._wait_until_answering(timeout_s)
        except ServerUnavailable:
            server.stop()  # the error already carries its stderr
            raise
        return server

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def stderr(self) -> str:
        path = self.folder / "stderr.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _wait_until_answering(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        assert self.process is not None, "started before waiting"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerUnavailable(f"Radicale exited with status {self.process.returncode}; "
                                        f"its stderr:\n{self.stderr()}")
            try:
                # Any HTTP answer (401 without credentials) means it is serving.
                with requests.Session() as session:
                    session.trust_env = False  # straight to 127.0.0.1, whatever proxy is set
                    session.options(self.base_url + "/", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise ServerUnavailable(f"Radicale did not answer on {self.base_url} within {timeout_s:.0f}s; "
                                f"its stderr:\n{self.stderr()}")


@pytest.fixture(scope="session")
def radicale_server() -> Iterator[RadicaleServer]:
    try:
        server = RadicaleServer.start()
    except ServerUnavailable as error:
        pytest.fail(f"the Radicale CalDAV server could not be started: {error}", pytrace=False)
    yield server
    server.stop()
