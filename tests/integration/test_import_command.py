"""`mentoring import-people`: an administrator imports an HR file from a shell, with progress."""

import os
import subprocess
import sys
from pathlib import Path

from tests.integration.helpers import count_rows
from tests.integration.test_hr_import_api import GOOD, workday_file

MENTORING = str(Path(sys.executable).with_name("mentoring"))


def run_import(platform_env, tmp_path, data: bytes, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "workers.csv"
    path.write_bytes(data)
    return subprocess.run([MENTORING, "import-people", str(path), *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **platform_env})


def test_the_command_dry_runs_then_imports_with_a_progress_bar(platform_env, apps, tenant, tmp_path):
    dry = run_import(platform_env, tmp_path, GOOD, "--tenant", tenant, "--preset", "workday", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run, nothing written: 2 creates" in dry.stdout
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0

    done = run_import(platform_env, tmp_path, GOOD, "--tenant", tenant, "--preset", "workday")
    assert done.returncode == 0, done.stderr
    assert "imported: 2 creates" in done.stdout
    assert "100% 2/2 people" in done.stderr
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 2


def test_a_file_with_errors_prints_each_line_and_exits_1(platform_env, apps, tenant, tmp_path):
    bad = workday_file("E1,Ada,ada@acme.example,,,,,Mars/Base,,,,Active")
    result = run_import(platform_env, tmp_path, bad, "--tenant", tenant, "--preset", "workday")
    assert result.returncode == 1
    assert "NOTHING imported" in result.stdout and "line 2: time_zone" in result.stdout
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0


def test_a_bad_mapping_is_a_clear_error(platform_env, tenant, tmp_path):
    (tmp_path / "mapping.json").write_text('{"employee_id": "id"}')
    result = run_import(platform_env, tmp_path, GOOD, "--tenant", tenant, "--mapping", str(tmp_path / "mapping.json"))
    assert result.returncode == 2 and "column mapping cannot be used" in result.stderr
