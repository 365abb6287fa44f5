"""`mentoring admin import-people`: an HR file uploaded to profiles with a bar, then profiles' own
side of the import as it reports it (GET /v1/hr-imports/progress/{id}), then the summary."""

from __future__ import annotations

import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mentoring_shared.progress import ProgressBar, counted, is_terminal, waiting
from mentoring_tools.admin.output import as_json, size

if TYPE_CHECKING:
    from mentoring_tools.admin.client import PlatformClient

IMPORT_WAIT = "profiles is checking the file and applying it"
IMPORT_PHASES = {"checking": "profiles is checking the file", "writing": "profiles is writing people",
                 "committing": "profiles is committing the import"}


@contextmanager
def watching_import(client: PlatformClient, progress_id: str, every_s: float = 0.5,
                    out: TextIO | None = None) -> Iterator[None]:
    """The wait for profiles' answer to an import: a line when it starts (off a terminal) and one when
    it ends; between them, what profiles says it is doing, read from GET
    /v1/hr-imports/progress/{id} on a thread of its own: a spinner (a line off a terminal) per phase,
    and a bar of people written while it writes. A quick import may end before the first look."""
    from mentoring_tools.admin.client import AdminError  # as the other commands: loaded when run

    out = out or sys.stderr
    stop, started = threading.Event(), time.monotonic()

    def watch() -> None:
        phase, bar, stage = None, None, ExitStack()
        with stage:
            while not stop.wait(every_s):
                try:
                    now = client.get("profiles", f"/v1/hr-imports/progress/{progress_id}")
                except AdminError:
                    continue  # not there yet (or an older profiles): wait for the answer alone
                if now["phase"] == phase == "writing" and bar is not None:
                    bar.update(now["done"], now["total"])
                elif now["phase"] != phase and now["phase"] in IMPORT_PHASES:
                    if bar is not None:
                        bar.update(now["total"], now["total"])  # every chunk is written: the bar ends
                    stage.close()
                    phase, bar = now["phase"], None
                    if phase == "writing" and now["total"]:
                        bar = ProgressBar(out, counted("people written"))
                        bar.update(now["done"], now["total"])
                    else:
                        stage.enter_context(waiting(IMPORT_PHASES[phase], out))

    if not is_terminal(out):
        out.write(f"{IMPORT_WAIT}...\n")
        out.flush()
    watcher = threading.Thread(target=watch, name="import-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join(every_s * 4 + 5)
        out.write(f"{IMPORT_WAIT}: done in {time.monotonic() - started:.1f} s\n")
        out.flush()


def import_people(client: PlatformClient, args) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
        mapping = Path(args.mapping).read_text() if args.mapping else None
    except OSError as error:
        raise ValueError(f"cannot read {error.filename}: {error.strerror}") from None
    progress_id = uuid.uuid4().hex
    form: dict[str, Any] = {"file": (path.name, data, "text/csv"), "dry_run": "true" if args.dry_run else "false",
                            "progress_id": progress_id}
    form.update({"preset": args.preset} if args.preset else {"mapping": mapping})
    bar = ProgressBar(sys.stderr, lambda sent, total: f"{size(sent)} of {size(total)} sent")

    with ExitStack() as server_side:  # the watch of profiles' side ends with the request
        def progress(sent: int, total: int) -> None:
            bar.update(sent, total)
            if sent >= total and not uploaded:  # the whole file is sent: profiles now checks and applies it
                uploaded.append(True)
                server_side.enter_context(watching_import(client.another(), progress_id))

        uploaded: list[bool] = []

        report = client.upload("profiles", "/v1/hr-imports", form, progress)
    if args.json:
        print(as_json(report))
    else:
        counts = report["summary"]
        summary = ", ".join(f"{counts[name]:,} {name}" for name in sorted(counts, key=_summary_order))
        verdict = ("dry run, nothing written" if report["dry_run"]
                   else "imported" if report["applied"] else "NOTHING imported")
        print(f"{verdict}: {summary}")
        for row_error in report["errors"]:
            print(f"  line {row_error['line']}: {row_error['field'] or 'row'}: {row_error['message']}")
    return 1 if report["errors"] else 0


def _summary_order(name: str) -> tuple[int, str]:
    """The order `mentoring import-people` prints; JSON objects arrive with their keys sorted."""
    known = ("creates", "updates", "moves", "deactivations", "unchanged", "errors")
    return (known.index(name) if name in known else len(known), name)
