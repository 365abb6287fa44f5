"""Chores an administrator runs from a shell against the profiles database (`mentoring ...`)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TextIO

from mentoring_shared.errors import ApplicationError
from mentoring_shared.runtime import ServiceRuntime

from profiles import SERVICE, orm
from profiles.handlers.hr_import import import_people
from profiles.hr_import import PRESETS, ColumnMapping, InvalidColumnMapping

ERRORS_SHOWN = 50


class ProgressBar:
    """One line, redrawn at most ten times a second: `[#####.....]  52% 52,000/100,000 people`."""

    def __init__(self, out: TextIO, width: int = 30):
        self._out, self._width, self._drawn_at = out, width, 0.0

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._drawn_at < 0.1:
            return
        self._drawn_at = now
        filled = self._width * done // max(total, 1)
        self._out.write(f"\r[{'#' * filled}{'.' * (self._width - filled)}] {100 * done // max(total, 1):3d}% "
                        f"{done:,}/{total:,} people")
        if done >= total:
            self._out.write("\n")
        self._out.flush()


def import_people_file(path: str, tenant_id: str, preset: str | None, mapping_file: str | None, dry_run: bool,
                       out: TextIO = sys.stdout) -> int:
    """Import an HR file; prints the summary and every row error. Exit status 0 when applied (or a
    clean dry run), 1 when the file has errors (nothing imported)."""
    if (preset is None) == (mapping_file is None):
        raise ValueError("give either --preset or --mapping")
    try:
        mapping = PRESETS[preset] if preset else ColumnMapping.from_dict(json.loads(Path(mapping_file).read_text()))
    except (InvalidColumnMapping, ValueError) as error:
        raise ValueError(f"the column mapping cannot be used: {error}") from None
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, serves_http=False)
    try:
        report = import_people(tenant_id, Path(path).read_bytes(), mapping, dry_run, runtime.unit_of_work(),
                               progress=ProgressBar(sys.stderr).update)
    except ApplicationError as error:
        raise ValueError(error.detail + "".join(f"\n  {e['field']}: {e['message']}"
                                                for e in error.extensions.get("errors", []))) from None
    finally:
        runtime.engine.dispose()
    summary = ", ".join(f"{count:,} {name}" for name, count in report.summary.items())
    verdict = "dry run, nothing written" if dry_run else ("imported" if report.applied else "NOTHING imported")
    out.write(f"{verdict}: {summary}\n")
    for error in report.errors[:ERRORS_SHOWN]:
        out.write(f"  line {error.line}: {error.field or 'row'}: {error.message}\n")
    if len(report.errors) > ERRORS_SHOWN:
        out.write(f"  ... and {len(report.errors) - ERRORS_SHOWN:,} more\n")
    return 1 if report.errors else 0
