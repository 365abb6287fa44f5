"""The provisioned Grafana dashboards (deploy/grafana/) load and show real data: every dashboard is
valid JSON with its own uid and title, every panel reads the provisioned Prometheus data source, every
query is PromQL that Prometheus parses (checked by the real `promtool`), and every metric, label and
event type a query names is one the code defines, so renaming a metric breaks this test rather than
a dashboard. Needs `promtool` (scripts/install-system-packages); no Prometheus server."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter

import pytest
import yaml

from mentoring_shared.contracts.catalog import platform_events
from tests.deploy import dashboards

DATASOURCE_UID = "prometheus"


@pytest.fixture(scope="module")
def all_dashboards() -> list[tuple[str, dict]]:
    files = dashboards.dashboard_files()
    assert files, f"no dashboards in {dashboards.DASHBOARD_DIR}"
    return [(path.name, dashboards.load(path)) for path in files]


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool is not installed, so the dashboards' PromQL cannot be checked: run "
                    "scripts/install-system-packages as root (Debian: apt-get install prometheus)", pytrace=False)
    return path


def test_provisioned_prometheus_data_source_has_the_uid_panels_use():
    config = yaml.safe_load(dashboards.DATASOURCES_FILE.read_text())
    sources = {source["name"]: source for source in config["datasources"]}
    prometheus = [source for source in sources.values() if source["type"] == "prometheus"]
    assert len(prometheus) == 1, sources
    assert prometheus[0]["uid"] == DATASOURCE_UID
    assert prometheus[0]["url"] == "http://prometheus:9090"
    assert prometheus[0]["isDefault"] is True
    assert len({source["uid"] for source in sources.values()}) == len(sources)


def test_every_dashboard_is_json_with_its_own_uid_and_title(all_dashboards):
    uids = Counter(board.get("uid") for _, board in all_dashboards)
    titles = Counter(board.get("title") for _, board in all_dashboards)
    for name, board in all_dashboards:
        assert board.get("uid") and len(board["uid"]) <= 40, f"{name}: a uid of at most 40 characters"
        assert board.get("title"), name
        assert board.get("id") is None, f"{name}: provisioned dashboards carry no database id"
    assert not [uid for uid, count in uids.items() if count > 1], uids
    assert not [title for title, count in titles.items() if count > 1], titles


def test_every_panel_reads_the_provisioned_data_source_and_has_a_query(all_dashboards):
    for name, board in all_dashboards:
        panels = list(dashboards.panels(board))
        assert panels, f"{name} has no panels"
        ids = Counter(panel.get("id") for panel in board["panels"])
        assert not [i for i, count in ids.items() if count > 1 or i is None], f"{name}: panel ids {ids}"
        for panel in panels:
            where = f"{name}: panel {panel.get('title')!r}"
            assert panel.get("title"), where
            assert panel.get("datasource", {}).get("uid") == DATASOURCE_UID, where
            targets = panel.get("targets", [])
            assert targets, f"{where} has no query"
            for target in targets:
                assert target.get("datasource", {}).get("uid", DATASOURCE_UID) == DATASOURCE_UID, where
                assert target.get("expr", "").strip(), f"{where}: an empty query"
            assert len({target["refId"] for target in targets}) == len(targets), f"{where}: refIds repeat"


def test_template_variables_query_a_real_label_and_are_used_only_as_regexes(all_dashboards):
    metrics = dashboards.defined_metrics()
    for name, board in all_dashboards:
        variables = dashboards.template_variables(board)
        exprs = [target["expr"] for panel in dashboards.panels(board) for target in panel["targets"]]
        for variable_name, variable in variables.items():
            assert variable["type"] == "query", f"{name}: {variable_name}"
            assert variable["datasource"]["uid"] == DATASOURCE_UID, f"{name}: {variable_name}"
            selector, label = dashboards.label_values(variable)
            for metric in dashboards.metrics_used(selector):
                assert metric in metrics, f"{name}: variable {variable_name} reads unknown metric {metric}"
                assert label in metrics[metric], f"{name}: variable {variable_name}: {metric} has no label {label}"
            # multi-value and "All" expand to a regex: only =~ matches it
            references = [expr for expr in exprs if re.search(rf"\${{?{variable_name}\b", expr)]
            assert references, f"{name}: variable {variable_name} is used by no panel"
            for expr in references:
                plain = len(re.findall(rf"\${{?{variable_name}\b", expr))
                in_regex = len(re.findall(rf'=~\s*"\${{?{variable_name}}}?"', expr))
                assert plain == in_regex, f"{name}: ${variable_name} outside a =~ matcher in {expr}"
    assert dashboards.variable_queries(), "no dashboard has a variable"


def test_substituted_queries_leave_no_grafana_variable():
    queries = dashboards.panel_queries() + dashboards.variable_queries()
    assert queries
    leftovers = [query for query in queries if "$" in query[2]]
    assert not leftovers, leftovers


def test_every_query_is_promql_that_prometheus_parses(tmp_path):
    """Each query as a recording rule: `promtool check rules` parses every expression."""
    queries = dashboards.panel_queries() + dashboards.variable_queries()
    names = {f"dashboard_query_{index}": query for index, query in enumerate(queries)}
    rules = {"groups": [{"name": "dashboards", "rules": [{"record": record, "expr": query[2]}
                                                        for record, query in names.items()]}]}
    rules_file = tmp_path / "dashboard-queries.yml"
    rules_file.write_text(yaml.safe_dump(rules, sort_keys=False, width=1000))
    result = subprocess.run([promtool(), "check", "rules", str(rules_file)], capture_output=True, text=True,
                            timeout=60)
    output = result.stdout + result.stderr
    failing = [f"{names[record][0]} / {names[record][1]}: {names[record][2]}"
               for record in re.findall(r'"(dashboard_query_\d+)"', output)]
    assert result.returncode == 0, "queries Prometheus cannot parse:\n" + "\n".join(failing or [output])
    assert f"SUCCESS: {len(queries)} rules found" in output, output


def test_every_metric_and_label_a_query_uses_is_defined_in_the_code():
    metrics = dashboards.defined_metrics()
    problems = []
    for dashboard, panel, expr in dashboards.panel_queries():
        used = dashboards.metrics_used(expr)
        if not used:
            problems.append(f"{dashboard} / {panel}: reads no metric: {expr}")
        for metric in sorted(used - set(metrics)):
            problems.append(f"{dashboard} / {panel}: no metric {metric} is defined in shared/ or services/")
        known = set().union(*(metrics.get(metric, set()) for metric in used))
        for metric, labels in dashboards.labels_used(expr).items():
            allowed = known if metric == "" else metrics.get(metric, set())
            for label in sorted(labels - allowed):
                problems.append(f"{dashboard} / {panel}: {metric or 'grouping'} has no label {label}: {expr}")
    assert not problems, "\n".join(problems)


def test_event_types_in_queries_are_published_event_types():
    known = set(platform_events().types())
    for dashboard, panel, expr in dashboards.panel_queries():
        unknown = dashboards.exact_values(expr, "type") - known
        assert not unknown, f"{dashboard} / {panel}: no event type {unknown}"


def test_consumed_outcomes_in_queries_are_ones_the_consumer_records():
    source = (dashboards.REPO / "shared" / "mentoring_shared" / "messaging" / "consumer.py").read_text()
    for dashboard, panel, expr in dashboards.panel_queries():
        if "events_consumed_total" in expr:
            for outcome in dashboards.exact_values(expr, "outcome"):
                assert f'"{outcome}"' in source, f"{dashboard} / {panel}: the consumer never records {outcome}"
        if "events_published_total" in expr:
            assert dashboards.exact_values(expr, "outcome") <= {"sent", "failed"}, f"{dashboard} / {panel}"


# What each dashboard is for, as the metrics it must show.
REQUIRED_METRICS = {
    "mentoring-overview": {"up", "http_request_duration_seconds_count", "http_request_duration_seconds_bucket",
                           "events_published_total", "events_consumed_total", "dead_letters_total",
                           "outbox_oldest_unsent_age_seconds"},
    "mentoring-service": {"up", "http_request_duration_seconds_count", "http_request_duration_seconds_bucket"},
    "mentoring-event-pipeline": {"events_published_total", "events_consumed_total", "consumer_lag_events",
                                 "outbox_backlog_events", "outbox_oldest_unsent_age_seconds", "outbox_parked_events",
                                 "dead_letters_total"},
    "mentoring-program-health": {"events_published_total", "matching_matches_confirmed_total",
                                 "matching_matches_ended_total", "feedback_pairs_by_health",
                                 "feedback_pairs_became_at_risk_total", "matching_run_duration_seconds_bucket"},
}
REQUIRED_EVENT_TYPES = {"mentoring-program-health": {"matching.match.confirmed.v1", "scheduling.session.completed.v1",
                                                     "feedback.feedback.submitted.v1"}}


def test_each_dashboard_shows_what_it_is_for(all_dashboards):
    by_uid = {board["uid"]: board for _, board in all_dashboards}
    assert set(REQUIRED_METRICS) <= set(by_uid), sorted(by_uid)
    for uid, required in REQUIRED_METRICS.items():
        exprs = [target["expr"] for panel in dashboards.panels(by_uid[uid]) for target in panel["targets"]]
        shown = set().union(*(dashboards.metrics_used(expr) for expr in exprs))
        assert required <= shown, f"{uid} does not show {sorted(required - shown)}"
        types = set().union(*(dashboards.exact_values(expr, "type") for expr in exprs))
        assert REQUIRED_EVENT_TYPES.get(uid, set()) <= types, f"{uid} does not show {REQUIRED_EVENT_TYPES[uid] - types}"


def test_query_helpers_find_metrics_and_labels_as_prometheus_would():
    """The offline checks above rest on these: metrics, not functions, keywords, labels or durations."""
    expr = ('histogram_quantile(0.99, sum by (service, le) (rate(a_bucket{service=~"x", status!~"5.."}[5m] '
            'offset 1h))) or on(service) 0 * sum without (job) (b_total) / 1e3 > bool c')
    assert dashboards.metrics_used(expr) == {"a_bucket", "b_total", "c"}
    assert dashboards.labels_used(expr) == {"": {"service", "le", "job"}, "a_bucket": {"service", "status"}}
    variables = {"service": {"name": "service", "allValue": ".+"}}
    assert dashboards.substitute('rate(x{service=~"$service"}[$__rate_interval])', variables) == \
        'rate(x{service=~".+"}[1m])'
    with pytest.raises(ValueError):
        dashboards.substitute("x{a=~\"$nope\"}", variables)
