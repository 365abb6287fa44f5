"""bench/RESULTS.md: one section per benchmark, each rewritten by its own run."""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = "# Benchmark results\n\nRecorded by `make bench` on the project's standard machine (2 cores, 24 GiB).\n"


def machine() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, " \
           f"{platform.machine()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"


def record(name: str, body: str) -> None:
    """Replace (or add) the section `name` of RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    section = f"<!-- {name}:start -->\n{body.rstrip()}\n<!-- {name}:end -->"
    pattern = re.compile(rf"<!-- {re.escape(name)}:start -->.*?<!-- {re.escape(name)}:end -->", re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def run_in_workdir_and_record(name: str, run, report) -> None:
    """`report(run(workdir))` in a scratch directory, printed and recorded as section `name`."""
    import tempfile

    with tempfile.TemporaryDirectory() as workdir:
        text = report(run(Path(workdir)))
    print(text)
    record(name, text)
