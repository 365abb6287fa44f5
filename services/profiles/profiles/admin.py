"""Chores an administrator runs from a shell against the profiles database (`mentoring ...`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from mentoring_shared.errors import ApplicationError
from mentoring_shared.progress import ProgressBar
from mentoring_shared.runtime import ServiceRuntime
from profiles import SERVICE, orm
from profiles.handlers.hr_import import import_people
from profiles.hr_import import PRESETS, ColumnMapping, InvalidColumnMapping
from profiles.unit_of_work import ProfilesUnitOfWork

ERRORS_SHOWN = 50


def import_people_file(path: str, tenant_id: str, preset: str | None, mapping_file: str | None, dry_run: bool,
                       out: TextIO = sys.stdout) -> int:
    """Import an HR file; prints the summary and every row error. Exit status 0 when applied (or a
    clean dry run), 1 when the file has errors (nothing imported)."""
    if (preset is None) == (mapping_file is None):
        raise ValueError("give either --preset or --mapping")
    try:
        if preset:
            mapping = PRESETS[preset]
        else:
            assert mapping_file is not None  # exactly one of the two was given, checked above
            mapping = ColumnMapping.from_dict(json.loads(Path(mapping_file).read_text()))
    except (InvalidColumnMapping, ValueError) as error:
        raise ValueError(f"the column mapping cannot be used: {error}") from None
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, serves_http=False,
                                              unit_of_work_class=ProfilesUnitOfWork)
    try:
        progress = ProgressBar(sys.stderr, lambda done, total: f"{done:,}/{total:,} people")
        report = import_people(tenant_id, Path(path).read_bytes(), mapping, dry_run, runtime.unit_of_work(),
                               progress=progress.update)
    except ApplicationError as error:
        raise ValueError(error.detail + "".join(f"\n  {e['field']}: {e['message']}"
                                                for e in error.extensions.get("errors", []))) from None
    finally:
        runtime.engine.dispose()
    summary = ", ".join(f"{count:,} {name}" for name, count in report.summary.items())
    verdict = "dry run, nothing written" if dry_run else ("imported" if report.applied else "NOTHING imported")
    out.write(f"{verdict}: {summary}\n")
    for row_error in report.errors[:ERRORS_SHOWN]:
        out.write(f"  line {row_error.line}: {row_error.field or 'row'}: {row_error.message}\n")
    if len(report.errors) > ERRORS_SHOWN:
        out.write(f"  ... and {len(report.errors) - ERRORS_SHOWN:,} more\n")
    return 1 if report.errors else 0
