"""`mentoring admin`: a program manager's chores over real HTTP against the four services (served
on threads), from an HR file to a cohort's report, and its errors: what the API refused and why,
a service that cannot be reached, a missing token, and --help on every command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from feedback.pair_health import PairHealthClock
from mentoring_shared.cli import main, mentoring
from mentoring_testing.fixtures import token
from mentoring_testing.polling import eventually
from mentoring_testing.servers import free_port
from tests.integration.helpers import count_rows
from tests.integration.matching_cohorts import Cohort, wait_for_matching
from tests.integration.test_hr_import_api import workday_file

MENTORING = str(Path(sys.executable).with_name("mentoring"))

# Linus reports to Ada, so she may not mentor him: he is the unmatched mentee, with the reason.
STAFF = workday_file(
    "M1,Ada Lovelace,ada@acme.example,Principal,Platform,,London,Europe/London,en,9,Python:expert,Active",
    "T1,Grace Hopper,grace@acme.example,Engineer,Research,,London,Europe/London,en,3,COBOL:beginner,Active",
    "T2,Linus Torvalds,linus@acme.example,Engineer,Platform,M1,London,Europe/London,en,3,,Active",
)


@dataclass
class Outcome:
    code: int
    out: str
    err: str


class QuietRequests(WSGIRequestHandler):
    def log_request(self, *args) -> None:  # the apps log their own requests
        pass


@pytest.fixture(scope="module")
def service_urls(apps):
    """Every service's app behind a real HTTP server on a thread, for the module."""
    servers = {service: make_server("127.0.0.1", free_port(), app, threaded=True, request_handler=QuietRequests)
               for service, app in apps.items()}
    for server in servers.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {service: f"http://127.0.0.1:{server.server_port}" for service, server in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture
def admin(service_urls, tenant, monkeypatch, capsys):
    """`admin("cohort", "show", id)` runs `mentoring admin ...` in this process as an org_admin of
    the test's tenant, pointed at the servers by environment variables."""
    monkeypatch.delenv("MENTORING_GATEWAY_URL", raising=False)
    for service, url in service_urls.items():
        monkeypatch.setenv(f"MENTORING_{service.upper()}_URL", url)
    monkeypatch.setenv("MENTORING_TOKEN", token(tenant, "org_admin", subject="pm@acme.example"))

    def run(*argv: str) -> Outcome:
        capsys.readouterr()
        code = main(["admin", *argv])
        out, err = capsys.readouterr()
        return Outcome(code, out, err)
    return run


def _people_by_employee_id(api) -> dict[str, dict]:
    return {person["employee_id"]: person for person in api("profiles").get("/v1/people").get_json()["items"]}


def test_a_cohort_goes_from_an_hr_file_to_its_report(admin, api, apps, tenant, tmp_path, running_workers):
    staff = tmp_path / "staff.csv"
    staff.write_bytes(STAFF)
    dry = admin("import-people", str(staff), "--preset", "workday", "--dry-run")
    assert dry.code == 0, dry.err
    assert "dry run, nothing written: 3 creates, 0 updates" in dry.out
    assert "100%" in dry.err and "sent" in dry.err
    # off a terminal, the wait for profiles' own work is a line when it starts and one when it ends
    assert re.search(r"^profiles is checking the file and applying it: done in \d+\.\d s$", dry.err, re.M)
    assert _people_by_employee_id(api) == {}

    imported = admin("import-people", str(staff), "--preset", "workday")
    assert imported.code == 0, imported.err
    assert "imported: 3 creates" in imported.out
    people = _people_by_employee_id(api)
    assert sorted(people) == ["M1", "T1", "T2"]
    ada, grace, linus = people["M1"], people["T1"], people["T2"]

    # Capacity is self-declared in the app, not in the HR file.
    profiles = api("profiles")
    assert profiles.request("PATCH", f"/v1/people/{ada['id']}", json={"mentor_capacity": 2}).status_code == 200
    program = profiles.post("/v1/programs", json={"name": "Rising leaders", "type": "classic"}).get_json()
    cohort = profiles.post("/v1/cohorts", json={"program_id": program["id"], "name": "Spring",
                                                "starts_on": "2027-03-01"}).get_json()

    wrong = admin("cohort", "activate", cohort["id"])
    assert wrong.code == 1
    assert "409 Conflict" in wrong.err and "it can become: enrolling, archived" in wrong.err
    opened = admin("cohort", "open", cohort["id"])
    assert opened.code == 0 and f"cohort {cohort['id']} (Spring) is now enrolling" in opened.out
    for person, role in ((ada, "mentor"), (grace, "mentee"), (linus, "mentee")):
        response = profiles.post(f"/v1/cohorts/{cohort['id']}/enrollments",
                                 json={"person_id": person["id"], "role": role, "goals": ["python"]})
        assert response.status_code == 201, response.get_json()
    assert admin("cohort", "start-matching", cohort["id"]).code == 0
    assert profiles.get(f"/v1/cohorts/{cohort['id']}").get_json()["status"] == "matching"
    wait_for_matching(apps, tenant, Cohort(cohort["id"], program["id"], mentors={"ada": ada},
                                           mentees={"grace": grace, "linus": linus}), "matching")

    proposal = admin("matching", "run", cohort["id"])
    assert proposal.code == 0, proposal.err
    run_id = re.search(r"^run:\s+(\S+)", proposal.out, re.M).group(1)
    assert re.search(rf"^{grace['id']}\s+{ada['id']}\s+\d\.\d+\s+no\b", proposal.out, re.M)
    assert re.search(rf"^{linus['id']}\s+1\s+no_eligible_mentor\b", proposal.out, re.M)
    assert f"mentoring admin matching approve {run_id}" in proposal.out
    # names beside the ids: the cohort's in the summary, the people's at the end of each row
    assert re.search(rf"^cohort:\s+{cohort['id']} \(Spring\)$", proposal.out, re.M)
    assert re.search(rf"^{grace['id']}\s+{ada['id']}\s.*\sGrace Hopper\s+Ada Lovelace$", proposal.out, re.M)
    assert re.search(rf"^{linus['id']}\s.*\sLinus Torvalds$", proposal.out, re.M)

    approved = admin("matching", "approve", run_id)
    assert approved.code == 0, approved.err
    assert f"run {run_id} approved: 1 pair(s) confirmed" in approved.out
    [match] = api("matching").get("/v1/matches", query_string={"cohort_id": cohort["id"]}).get_json()["items"]
    assert (match["mentee_id"], match["mentor_id"], match["status"]) == (grace["id"], ada["id"], "active")
    shown = json.loads(admin("matching", "show", run_id, "--json").out)
    assert shown["run"]["status"] == "approved" and len(shown["pairs"]) == 1

    # Seventy days without a session puts the pair at risk.
    eventually(lambda: count_rows(apps["feedback"], "pairs", tenant_id=tenant, match_id=match["id"]) == 1)
    PairHealthClock(apps["feedback"].extensions["runtime"]).tick(datetime.now(UTC) + timedelta(days=70))
    at_risk = admin("pairs", "health", cohort["id"], "--at-risk")
    assert at_risk.code == 0, at_risk.err
    assert re.search(rf"^{match['id']}\s+{grace['id']}\s+{ada['id']}\s+at risk\s+.*no session in", at_risk.out, re.M)
    assert "1 pair(s): 1 at risk" in at_risk.out
    assert re.search(rf"^{match['id']}\s.*\sGrace Hopper\s+Ada Lovelace$", at_risk.out, re.M)
    [pair] = json.loads(admin("pairs", "health", cohort["id"], "--json").out)
    assert pair["health"] == "at_risk" and pair["reasons"]

    report = admin("report", cohort["id"])
    assert report.code == 0, report.err
    assert re.search(r"^pairs\s+1 \(1 active, 0 ended\)$", report.out, re.M)
    assert re.search(r"^pairs at risk\s+1$", report.out, re.M)
    assert re.search(r"^NPS\s+withheld: fewer than \d+ pairs$", report.out, re.M)
    csv = admin("report", cohort["id"], "--csv")
    assert csv.code == 0 and csv.out.startswith("group,group_id,") and cohort["id"] in csv.out


def test_what_the_api_refuses_is_shown_with_its_status_detail_and_fields(admin, api, tmp_path):
    unknown = str(uuid.uuid4())
    missing = admin("cohort", "show", unknown)
    assert missing.code == 1
    assert "404 Not Found" in missing.err and f"no cohort {unknown} in this tenant" in missing.err
    assert f"/v1/cohorts/{unknown}" in missing.err
    as_json = admin("report", unknown, "--json")
    assert as_json.code == 1 and json.loads(as_json.out)["status"] == 404  # scripts get the problem itself

    invalid = admin("cohort", "move", unknown, "finished")
    assert invalid.code == 1 and "422" in invalid.err and "status: Must be one of" in invalid.err

    bad_file = tmp_path / "bad.csv"
    bad_file.write_bytes(workday_file("E1,Ada,ada@acme.example,,,,,Mars/Base,,,,Active"))
    refused = admin("import-people", str(bad_file), "--preset", "workday")
    assert refused.code == 1
    assert "nothing was imported" in refused.err and "line 2: time_zone:" in refused.err
    assert _people_by_employee_id(api) == {}


def test_a_service_that_cannot_be_reached_is_named_with_its_url(admin, monkeypatch):
    nowhere = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("MENTORING_MATCHING_URL", nowhere)
    result = admin("matching", "show", str(uuid.uuid4()))
    assert result.code == 3
    assert f"cannot reach matching at {nowhere}/v1/matching-runs/" in result.err

    through_gateway = admin("cohort", "list", "--gateway", nowhere)
    assert through_gateway.code == 3
    assert f"cannot reach profiles at {nowhere}/profiles/v1/cohorts" in through_gateway.err


def test_without_a_token_the_command_says_how_to_get_one(admin, monkeypatch):
    monkeypatch.delenv("MENTORING_TOKEN")
    missing = admin("cohort", "list")
    assert missing.code == 2
    assert "--token or set MENTORING_TOKEN" in missing.err and "mentoring token" in missing.err

    forged = admin("cohort", "list", "--token", "not-a-token")
    assert forged.code == 1
    assert "401 Unauthorized" in forged.err and "MENTORING_TOKEN" in forged.err


def _admin_commands(command: click.Command, path: tuple[str, ...] = ()):
    """Every command under `mentoring admin`, with the words that reach it."""
    if isinstance(command, click.Group):
        for name in command.list_commands(click.Context(command)):
            if path or name == "admin":
                child = command.get_command(click.Context(command), name)
                yield (*path, name), child
                yield from _admin_commands(child, (*path, name))


def test_every_admin_command_has_help(capsys):
    parsers = dict(_admin_commands(mentoring))
    assert {("admin", "import-people"), ("admin", "cohort", "move"), ("admin", "matching", "approve"),
            ("admin", "pairs", "health"), ("admin", "report")} <= set(parsers)
    helps = {}
    for words in parsers:
        with pytest.raises(SystemExit) as exit_:
            main([*words, "--help"])
        assert exit_.value.code == 0
        helps[words] = capsys.readouterr().out
        assert f"usage: mentoring {' '.join(words)}" in helps[words]
    # the operations commands that stay outside `admin` are named in its help
    assert "mentoring replay-dead-letters" in helps[("admin",)] and "mentoring token" in helps[("admin",)]


def test_the_installed_command_lists_cohorts_as_json(admin, service_urls, api, tenant):
    program = api("profiles").post("/v1/programs", json={"name": "Peers", "type": "peer"}).get_json()
    cohort = api("profiles").post("/v1/cohorts", json={"program_id": program["id"], "name": "Autumn"}).get_json()
    env = {**os.environ, "MENTORING_PROFILES_URL": service_urls["profiles"], "MENTORING_TOKEN": token(tenant)}
    result = subprocess.run([MENTORING, "admin", "cohort", "list", "--program", program["id"], "--json"],
                            capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 0, result.stderr
    assert [(c["id"], c["status"]) for c in json.loads(result.stdout)] == [(cohort["id"], "draft")]


def test_a_list_follows_every_page(admin, api, monkeypatch):
    monkeypatch.setattr("mentoring_tools.admin.client.MAX_PAGE_SIZE", 2)  # three cohorts: two pages
    program = api("profiles").post("/v1/programs", json={"name": "Circles", "type": "peer"}).get_json()
    created = [api("profiles").post("/v1/cohorts", json={"program_id": program["id"], "name": name}).get_json()["id"]
               for name in ("One", "Two", "Three")]
    listed = admin("cohort", "list", "--program", program["id"])
    assert listed.code == 0, listed.err
    assert [line.split()[0] for line in listed.out.splitlines()[1:]] == created
    assert listed.out.splitlines()[0].endswith("PROGRAM NAME")
    assert all(line.endswith("  Circles") for line in listed.out.splitlines()[1:])  # the program's name
