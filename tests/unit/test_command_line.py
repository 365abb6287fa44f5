"""The `mentoring` command itself: --version names every installed mentoring package, click's shell
completion works for the kit's and the tools' commands, and what it prints adapts to where it goes:
rich tables and live bars on a terminal, plain columns and plain progress lines anywhere else."""

import io
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mentoring_shared.cli import main
from mentoring_shared.progress import Progress, ProgressBar, counted, waiting
from mentoring_tools.admin.output import Document, Named, show, table

MENTORING = str(Path(sys.executable).with_name("mentoring"))
GRACE, ADA = "0190a1b2-0000-7000-8000-000000000001", "0190a1b2-0000-7000-8000-000000000002"


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([MENTORING, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})


# --- --version and completion ---------------------------------------------------------------------

def test_version_names_the_command_and_every_mentoring_package(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert re.match(r"mentoring \d+\.\d+\.\d+\n", out)
    for package in ("mentoring-shared", "mentoring-tools", "mentoring-profiles", "mentoring-feedback"):
        assert re.search(rf"^  {package} \d+\.\d+\.\d+$", out, re.M), out


def test_the_installed_command_prints_its_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("mentoring ")


def test_bash_completion_script_is_printed_for_the_installed_command():
    result = run(_MENTORING_COMPLETE="bash_source")
    assert result.returncode == 0
    assert "_mentoring_completion()" in result.stdout and "_MENTORING_COMPLETE=bash_complete" in result.stdout


@pytest.mark.parametrize("words,expected", [
    ("mentoring ad", {"admin"}),                             # a tools command, loaded from its entry point
    ("mentoring ou", {"outbox"}),                            # one of the kit's own
    ("mentoring worker ma", {"matching"}),                   # the services installed here
    ("mentoring admin cohort st", {"start-matching"}),
])
def test_completion_offers_commands_and_services(words, expected):
    result = run(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1), _MENTORING_COMPLETE="bash_complete")
    assert result.returncode == 0, result.stderr
    offered = {line.split(",", 1)[1] for line in result.stdout.splitlines() if "," in line}
    assert offered == expected


def test_an_unknown_service_is_a_usage_error_naming_the_installed_ones(capsys):
    assert main(["migrate", "billing"]) == 2
    err = capsys.readouterr().err
    assert "usage: mentoring migrate" in err
    assert "unknown service(s) billing; services are profiles, matching, scheduling, feedback" in err


# --- tables -----------------------------------------------------------------------------------------

def pairs_table():
    return table(("mentee", "mentor", "score", "pinned"),
                 [(Named(GRACE, "Grace Hopper"), Named(ADA, "Ada Lovelace"), 0.8125, False),
                  (Named(ADA, None), Named(GRACE, "Grace Hopper"), 0.5, True)])


def test_off_a_terminal_a_table_is_plain_columns_ids_first_and_names_last():
    out = io.StringIO()
    show(Document(["Pairs", pairs_table()]), out, terminal=False)
    assert out.getvalue().splitlines() == [
        "Pairs",
        f"{'MENTEE':<36}  {'MENTOR':<36}  SCORE  PINNED  MENTEE NAME   MENTOR NAME",
        f"{GRACE}  {ADA}  0.81   no      Grace Hopper  Ada Lovelace",
        f"{ADA}  {GRACE}  0.50   yes     -             Grace Hopper",
    ]


def test_an_empty_table_says_none():
    out = io.StringIO()
    show(table(("mentee", "reason"), []), out, terminal=False)
    assert out.getvalue() == "(none)\n"


def test_on_a_terminal_a_table_shows_names_with_their_ids_beneath(monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")  # a terminal wide enough for both ids on one line
    out = io.StringIO()
    show(Document(["Pairs", pairs_table()]), out, terminal=True)
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())  # without its colours
    lines = text.splitlines()
    grace = next(index for index, line in enumerate(lines) if "Grace Hopper" in line and "Ada Lovelace" in line)
    assert GRACE in lines[grace + 1] and ADA in lines[grace + 1]  # the ids under the names
    assert "\x1b[" in out.getvalue()  # styled: bold names, dim ids


def test_a_cell_with_brackets_is_text_not_markup():
    out = io.StringIO()
    show(table(("reason",), [("[bold]no session in 70 days[/bold]",)]), out, terminal=True)
    assert "[bold]no session in 70 days[/bold]" in re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())


# --- progress ---------------------------------------------------------------------------------------

def test_off_a_terminal_progress_is_a_line_per_tenth_and_the_end():
    out = io.StringIO()
    bar = ProgressBar(out, counted("people"), terminal=False)
    for done in range(0, 1001, 50):
        bar.update(done, 1000)
    lines = out.getvalue().splitlines()
    assert lines[0] == "  5% 50/1,000 people"
    assert lines[-1] == "100% 1,000/1,000 people"
    assert len(lines) == 11 and "\r" not in out.getvalue()


def test_several_counts_are_named_in_their_lines():
    out = io.StringIO()
    with Progress(out, terminal=False) as progress:
        progress.add("profiles", 3, counted("events"))
        progress.add("matching", 0, counted("events"))
        progress.update("profiles", 3)
        progress.update("matching", 0)
    assert out.getvalue().splitlines() == ["profiles: 100% 3/3 events", "matching: 100% 0/0 events"]


def test_on_a_terminal_progress_is_a_live_bar():
    out = io.StringIO()
    bar = ProgressBar(out, counted("people"), terminal=True)
    bar.update(1, 2)
    bar.update(2, 2)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    assert "2/2 people" in text and "━" in text  # rich's bar


def test_waiting_off_a_terminal_says_when_it_starts_and_ends():
    out = io.StringIO()
    with waiting("profiles is checking the file", out, terminal=False):
        pass
    start, end = out.getvalue().splitlines()
    assert start == "profiles is checking the file..."
    assert re.fullmatch(r"profiles is checking the file: done in \d+\.\d s", end)


def test_waiting_that_fails_does_not_say_done():
    out = io.StringIO()
    with pytest.raises(RuntimeError), waiting("profiles is checking the file", out, terminal=False):
        raise RuntimeError("refused")
    assert "done" not in out.getvalue()


class ImportOnTheServer:
    """What GET /v1/hr-imports/progress/{id} answers, one state per look: missing at first (404),
    then each phase of a long import."""

    def __init__(self, states: list[dict | None]):
        self.states, self.looks, self.seen_all = states, 0, threading.Event()

    def get(self, service: str, path: str):
        from mentoring_tools.admin.client import ServiceUnreachable

        assert (service, path) == ("profiles", "/v1/hr-imports/progress/p-1")
        state = self.states[min(self.looks, len(self.states) - 1)]
        self.looks += 1
        if self.looks >= len(self.states):
            self.seen_all.set()
        if state is None:
            raise ServiceUnreachable("profiles", path, "not yet")  # any AdminError: keep waiting
        return state


def test_off_a_terminal_an_import_shows_profiles_phases_and_people_written():
    from mentoring_tools.admin.hr_import import watching_import

    server = ImportOnTheServer([None, {"phase": "checking", "done": 0, "total": 0},
                                {"phase": "writing", "done": 1000, "total": 5000},
                                {"phase": "writing", "done": 3000, "total": 5000},
                                {"phase": "committing", "done": 5000, "total": 5000}])
    out = io.StringIO()
    with watching_import(server, "p-1", every_s=0.01, out=out):
        assert server.seen_all.wait(10)
    lines = out.getvalue().splitlines()
    assert lines[0] == "profiles is checking the file and applying it..."
    assert lines[1] == "profiles is checking the file..."
    assert re.match(r"profiles is checking the file: done in \d+\.\d s$", lines[2])
    assert "1,000/5,000 people written" in out.getvalue() and "5,000/5,000 people written" in out.getvalue()
    assert "profiles is committing the import..." in lines
    assert re.match(r"profiles is checking the file and applying it: done in \d+\.\d s$", lines[-1])
