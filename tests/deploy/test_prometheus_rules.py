"""Prometheus rules and Alertmanager routing: promtool accepts prometheus.yml with the rules it loads
and runs the rule unit tests in deploy/prometheus/tests; every alert is labelled, documented, and
unit-tested both firing and quiet; sample alerts reach the right Alertmanager receiver. Needs the
`promtool` command (scripts/install-system-packages); runs `amtool` as well where it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = REPO / "deploy" / "prometheus"
PROMETHEUS_FILE = PROMETHEUS_DIR / "prometheus.yml"
RULES_DIR = PROMETHEUS_DIR / "rules"
RULE_FILES = sorted(RULES_DIR.glob("*.yml"))
UNIT_TEST_FILES = sorted((PROMETHEUS_DIR / "tests").glob("*.yml"))
ALERTMANAGER_FILE = REPO / "deploy" / "alertmanager" / "alertmanager.yml"
CONTAINER_RULES = "/etc/prometheus/rules/*.yml"  # where docker-compose.yml mounts RULES_DIR

SEVERITIES = {"critical", "warning"}
TEAMS = {"platform", "programs"}


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool is not installed, so the Prometheus rules cannot be checked: "
                    "run scripts/install-system-packages as root (Debian: apt-get install prometheus)",
                    pytrace=False)
    return path


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def rules_of(path: Path) -> list[dict]:
    return [rule for group in load(path)["groups"] for rule in group["rules"]]


ALERTS = {rule["alert"]: (rule, path) for path in RULE_FILES for rule in rules_of(path) if "alert" in rule}
RECORDINGS = {rule["record"]: rule for path in RULE_FILES for rule in rules_of(path) if "record" in rule}


def loaded_rule_files(test_file: Path) -> set[Path]:
    """The rules files a unit-test file loads; promtool resolves them from the test file's folder."""
    found = set()
    for pattern in load(test_file).get("rule_files", []):
        found |= {path.resolve() for path in test_file.parent.glob(pattern)}
    return found


def alert_rule_tests(alertname: str) -> list[dict]:
    """Every alert_rule_test of the alert, in unit-test files that load the rules file defining it."""
    defined_in = ALERTS[alertname][1].resolve()
    return [case for test_file in UNIT_TEST_FILES if defined_in in loaded_rule_files(test_file)
            for group in load(test_file)["tests"] for case in group.get("alert_rule_test", [])
            if case["alertname"] == alertname]


# --- promtool -------------------------------------------------------------------------------------

def test_prometheus_config_is_valid_and_loads_every_rules_file(tmp_path):
    config = load(PROMETHEUS_FILE)
    assert config["rule_files"] == [CONTAINER_RULES]
    assert config["alerting"]["alertmanagers"] == [{"static_configs": [{"targets": ["alertmanager:9093"]}]}]
    # The container path does not exist here: check a copy that loads the rules from the repository.
    config["rule_files"] = [str(RULES_DIR / "*.yml")]
    local = tmp_path / "prometheus.yml"
    local.write_text(yaml.safe_dump(config))
    result = run(promtool(), "check", "config", str(local))
    assert result.returncode == 0, f"promtool check config failed:\n{result.stdout}{result.stderr}"
    assert f"SUCCESS: {len(RULE_FILES)} rule files found" in result.stdout, result.stdout


@pytest.mark.parametrize("rules_file", RULE_FILES, ids=lambda path: path.name)
def test_rules_file_passes_promtool_check(rules_file):
    result = run(promtool(), "check", "rules", str(rules_file))
    assert result.returncode == 0, f"promtool check rules failed:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("test_file", UNIT_TEST_FILES, ids=lambda path: path.name)
def test_rule_unit_tests_pass(test_file):
    result = run(promtool(), "test", "rules", test_file.name, cwd=test_file.parent)
    assert result.returncode == 0, f"promtool test rules {test_file.name} failed:\n{result.stdout}{result.stderr}"


def test_there_are_rules_and_unit_tests_to_run():
    assert RULE_FILES and UNIT_TEST_FILES and ALERTS and RECORDINGS


# --- every alert: labelled, documented, tested -----------------------------------------------------

@pytest.mark.parametrize("alertname", sorted(ALERTS))
def test_alert_has_severity_team_a_for_duration_and_annotations(alertname):
    rule, _ = ALERTS[alertname]
    assert rule["labels"].get("severity") in SEVERITIES
    assert rule["labels"].get("team") in TEAMS
    assert rule.get("for", "0m") not in ("0s", "0m"), "a `for:` keeps one bad scrape from notifying"
    annotations = rule["annotations"]
    assert annotations.get("summary") and annotations.get("description")
    assert "$labels.service" in annotations["summary"] + annotations["description"], \
        "say which service the alert is about"
    assert annotations.get("runbook_url") == f"README.md#{alertname.lower()}"
    runbook_headings = re.findall(r"^#+ (\w+)$", (REPO / "README.md").read_text(), re.M)
    assert alertname in runbook_headings, f"README.md has no runbook heading `#### {alertname}`"


@pytest.mark.parametrize("alertname", sorted(ALERTS))
def test_alert_has_unit_tests_where_it_fires_and_where_it_stays_quiet(alertname):
    cases = alert_rule_tests(alertname)
    firing = [expected for case in cases for expected in case.get("exp_alerts") or []]
    assert firing, f"no alert_rule_test in deploy/prometheus/tests expects {alertname} to fire"
    assert any(not case.get("exp_alerts") for case in cases), \
        f"no alert_rule_test in deploy/prometheus/tests expects {alertname} to stay quiet"
    for expected in firing:
        # Alertmanager groups and inhibits by service, and every annotation is pinned.
        assert expected["exp_labels"].get("service"), f"{alertname} fires without a service label"
        assert set(expected["exp_annotations"]) == set(ALERTS[alertname][0]["annotations"])


def test_every_recording_rule_is_unit_tested_directly_or_through_a_rule_built_on_it():
    queried = " ".join(case["expr"] for test_file in UNIT_TEST_FILES for group in load(test_file)["tests"]
                       for case in group.get("promql_expr_test", []))
    tested = {name for name in RECORDINGS if re.search(rf"{re.escape(name)}\b", queried)}
    grown = True
    while grown:
        below = {name for name in RECORDINGS if any(name in RECORDINGS[user]["expr"] for user in tested)}
        grown = not below <= tested
        tested |= below
    assert set(RECORDINGS) - tested == set(), "add a promql_expr_test for these recording rules"


def test_rules_read_recorded_series_only_from_earlier_in_their_own_group():
    """Groups run concurrently but a group's rules run in order: a rule reading a series recorded in
    another group would see it one interval late, in production and (at random) in unit tests."""
    for path in RULE_FILES:
        for group in load(path)["groups"]:
            recorded_above = set()
            for rule in group["rules"]:
                read = {name for name in RECORDINGS if re.search(rf"{re.escape(name)}\b", rule["expr"])}
                assert read <= recorded_above, \
                    f"{path.name} {rule.get('alert') or rule['record']}: record {read - recorded_above} above it"
                recorded_above.add(rule.get("record"))


def test_absent_targets_are_watched_for_every_scrape_job_and_down_ones_for_every_process():
    jobs = {job["job_name"] for job in load(PROMETHEUS_FILE)["scrape_configs"]} - {"prometheus"}
    assert set(re.findall(r'absent\(up\{job="([^"]+)"\}\)', ALERTS["ServiceTargetMissing"][0]["expr"])) == jobs
    selector = re.search(r'up\{job=~"([^"]+)"\}', ALERTS["ServiceDown"][0]["expr"]).group(1)
    assert {job for job in jobs if re.fullmatch(selector, job)} == jobs
    assert not re.fullmatch(selector, "prometheus")


# --- Alertmanager ---------------------------------------------------------------------------------

MATCHER = re.compile(r'^\s*(\w+)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$')


def matches(matchers: list[str], labels: dict[str, str]) -> bool:
    """Alertmanager's label matchers (name="v", !=, =~, !~; regexes anchored) against one alert."""
    for matcher in matchers:
        name, op, value = MATCHER.match(matcher).groups()
        actual = labels.get(name, "")
        found = actual == value if op in ("=", "!=") else re.fullmatch(value, actual) is not None
        if found != (op in ("=", "=~")):
            return False
    return True


def receivers_for(route: dict, labels: dict[str, str]) -> list[str]:
    """Where Alertmanager sends an alert: depth-first, first matching child unless `continue`."""
    found = []
    for child in route.get("routes", []):
        if matches(child.get("matchers", []), labels):
            found += receivers_for(child, labels)
            if not child.get("continue", False):
                break
    return found or [route["receiver"]]


def inhibited(config: dict, source: dict[str, str], target: dict[str, str]) -> bool:
    return any(matches(rule.get("source_matchers", []), source) and matches(rule.get("target_matchers", []), target)
               and all(source.get(name, "") == target.get(name, "") for name in rule.get("equal", []))
               for rule in config.get("inhibit_rules", []))


def all_routes(route: dict):
    yield route
    for child in route.get("routes", []):
        yield from all_routes(child)


@pytest.fixture(scope="module")
def alertmanager() -> dict:
    return load(ALERTMANAGER_FILE)


def test_alertmanager_config_is_valid_and_every_route_has_a_receiver(alertmanager):
    receivers = [receiver["name"] for receiver in alertmanager["receivers"]]
    assert len(receivers) == len(set(receivers))
    root = alertmanager["route"]
    assert "matchers" not in root and root["receiver"] in receivers  # the root catches everything
    used = set()
    for route in all_routes(root):
        assert route["receiver"] in receivers, f"route to unknown receiver {route['receiver']}"
        assert all(MATCHER.match(matcher) for matcher in route.get("matchers", [])), route
        used.add(route["receiver"])
    assert used == set(receivers), "a receiver no route uses"
    for rule in alertmanager["inhibit_rules"]:
        assert all(MATCHER.match(m) for m in rule.get("source_matchers", []) + rule.get("target_matchers", []))
    amtool = shutil.which("amtool")  # prometheus-alertmanager; the stricter check where installed
    if amtool:
        result = run(amtool, "check-config", str(ALERTMANAGER_FILE))
        assert result.returncode == 0, f"amtool check-config failed:\n{result.stdout}{result.stderr}"


def expected_receiver(severity: str, team: str) -> str:
    return "program-managers" if team == "programs" else f"platform-{severity}"


@pytest.mark.parametrize("alertname", sorted(ALERTS))
def test_each_alert_reaches_the_receiver_for_its_team_and_severity(alertmanager, alertname):
    labels = {"alertname": alertname, "service": "matching", **ALERTS[alertname][0]["labels"]}
    expected = expected_receiver(labels["severity"], labels["team"])
    assert receivers_for(alertmanager["route"], labels) == [expected]
    amtool = shutil.which("amtool")
    if amtool:
        result = run(amtool, "config", "routes", "test", f"--config.file={ALERTMANAGER_FILE}",
                     *(f"{name}={value}" for name, value in labels.items()))
        assert result.stdout.split() == [expected], result.stdout + result.stderr


def test_notifications_are_grouped_by_alert_and_service(alertmanager):
    assert alertmanager["route"]["group_by"] == ["alertname", "service"]


def test_a_critical_alert_silences_the_warnings_of_its_own_service_only(alertmanager):
    down = {"alertname": "ServiceDown", "severity": "critical", "team": "platform", "service": "matching"}
    lag = {"alertname": "ConsumerLagHigh", "severity": "warning", "team": "platform", "service": "matching"}
    assert inhibited(alertmanager, down, lag)
    assert not inhibited(alertmanager, down, {**lag, "service": "feedback"})
    assert not inhibited(alertmanager, down, {**down, "alertname": "HttpErrorRatioHigh"})
    assert not inhibited(alertmanager, lag, down)
