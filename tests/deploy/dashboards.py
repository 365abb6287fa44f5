"""The provisioned Grafana dashboards (deploy/grafana/) as data a test can check: every panel's
PromQL with Grafana's variables replaced by values plain Prometheus accepts, and the metrics the code
defines. Used by the static checks (test_dashboards.py) and by live tests that run each query
against a Prometheus scraping the running platform."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GRAFANA_DIR = REPO / "deploy" / "grafana"
DASHBOARD_DIR = GRAFANA_DIR / "dashboards"
DATASOURCES_FILE = GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml"
PROVIDERS_FILE = GRAFANA_DIR / "provisioning" / "dashboards" / "dashboards.yml"

# Grafana's built-in interval variables, as a live test over a freshly started platform wants them:
# a rate window holding several scrapes, and a range no longer than the platform has been running.
BUILTIN_VALUES = {"__rate_interval": "1m", "__interval": "1m", "__range": "1h"}
# A multi-value or "All" template variable is only ever used inside a regex matcher (=~"$name"),
# so "any value" stands in for it.
ANY_VALUE = ".+"

_VARIABLE = re.compile(r"\$(?:\{(\w+)(?::\w+)?\}|(\w+))")
_LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)\s*$", re.S)


def dashboard_files() -> list[Path]:
    return sorted(DASHBOARD_DIR.glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def dashboards() -> list[dict]:
    return [load(path) for path in dashboard_files()]


def panels(dashboard: dict) -> Iterator[dict]:
    """Every panel that shows data; rows are only containers (a collapsed row holds its panels)."""
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            yield from panel.get("panels", [])
        else:
            yield panel


def template_variables(dashboard: dict) -> dict[str, dict]:
    return {variable["name"]: variable for variable in dashboard.get("templating", {}).get("list", [])}


def substitute(expr: str, variables: dict[str, dict]) -> str:
    """The expression with every Grafana variable replaced; an unknown variable is an error, so a
    query never reaches Prometheus with a `$` left in it."""
    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        if name in BUILTIN_VALUES:
            return BUILTIN_VALUES[name]
        if name in variables:
            return variables[name].get("allValue") or ANY_VALUE
        raise ValueError(f"unknown Grafana variable ${name} in {expr!r}")
    return _VARIABLE.sub(value, expr)


def raw_panel_queries() -> list[tuple[str, str, str]]:
    """(dashboard title, panel title, expr as written in the dashboard) for every panel target."""
    return [(dashboard["title"], panel.get("title", ""), target.get("expr", ""))
            for dashboard in dashboards() for panel in panels(dashboard) for target in panel.get("targets", [])]


def panel_queries() -> list[tuple[str, str, str]]:
    """(dashboard title, panel title, expr) for every panel target, ready for plain Prometheus."""
    queries = []
    for dashboard in dashboards():
        variables = template_variables(dashboard)
        for panel in panels(dashboard):
            for target in panel.get("targets", []):
                queries.append((dashboard["title"], panel.get("title", ""), substitute(target["expr"], variables)))
    return queries


def variable_query(variable: dict) -> str:
    """A query variable's Grafana query (object or string form)."""
    query = variable.get("query")
    return query.get("query", "") if isinstance(query, dict) else (query or "")


def label_values(variable: dict) -> tuple[str, str]:
    """(selector, label) of a `label_values(selector, label)` variable query."""
    match = _LABEL_VALUES.match(variable_query(variable))
    if match is None:
        raise ValueError(f"variable {variable.get('name')} is not label_values(selector, label)")
    return match.group(1), match.group(2)


def variable_queries() -> list[tuple[str, str, str]]:
    """(dashboard title, variable name, expr) for every query variable: `label_values(selector, label)`
    as the PromQL `count by (label) (selector)`, which has data exactly when the variable has values."""
    queries = []
    for dashboard in dashboards():
        variables = template_variables(dashboard)
        for name, variable in variables.items():
            if variable.get("type") != "query":
                continue
            selector, label = label_values(variable)
            queries.append((dashboard["title"], name, f"count by ({label}) ({substitute(selector, variables)})"))
    return queries


# --- the metrics the code defines -------------------------------------------------------------------

METRIC_KINDS = {"Counter", "Gauge", "Histogram", "Summary"}
# Labels Prometheus adds to every series it scrapes (deploy/prometheus/prometheus.yml): the job, the
# target and the `service` each job sets. A metric's own `service` label is kept as exported_service.
TARGET_LABELS = frozenset({"job", "instance", "service"})


def _exposed_names(kind: str, name: str) -> list[str]:
    """The series names prometheus-client exposes for a metric of this kind."""
    if kind == "Counter":
        return [name if name.endswith("_total") else f"{name}_total"]
    if kind == "Histogram":
        return [f"{name}_bucket", f"{name}_sum", f"{name}_count"]
    if kind == "Summary":
        return [name, f"{name}_sum", f"{name}_count"]
    return [name]


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _metric_definition(call: ast.Call) -> tuple[str, str, frozenset[str]] | None:
    func = call.func
    kind = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if kind not in METRIC_KINDS:
        return None
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    name = _string(call.args[0] if call.args else keywords.get("name"))
    if name is None:
        return None
    name = "_".join(part for part in (_string(keywords.get("namespace")), _string(keywords.get("subsystem")), name)
                    if part)
    labels_node = call.args[2] if len(call.args) > 2 else keywords.get("labelnames")
    labels = frozenset(_string(element) for element in getattr(labels_node, "elts", []) if _string(element))
    return kind, name, labels


def _source_files() -> Iterator[Path]:
    for root in (REPO / "shared", REPO / "services"):
        for path in root.rglob("*.py"):
            if not {"tests", "migrations", "__pycache__"} & set(path.parts):
                yield path


@lru_cache(maxsize=1)
def defined_metrics() -> dict[str, frozenset[str]]:
    """Every series name the services expose -> the label names a query may use on it (the metric's
    own, the scrape's target labels, and `le` on histogram buckets). Includes Prometheus's `up`."""
    metrics: dict[str, frozenset[str]] = {"up": TARGET_LABELS}
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            definition = isinstance(node, ast.Call) and _metric_definition(node)
            if not definition:
                continue
            kind, name, labels = definition
            own = labels | ({"exported_service"} if "service" in labels else set())
            for exposed in _exposed_names(kind, name):
                metrics[exposed] = frozenset(own | TARGET_LABELS | ({"le"} if exposed.endswith("_bucket") else set()))
    return metrics


# --- what a PromQL expression uses, without a full parser ---------------------------------------------

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_SELECTOR = re.compile(r"(?<![\w:.])([A-Za-z_:][\w:]*)\s*\{([^}]*)\}")
_MATCHER = re.compile(r"([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)\s*\"")
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
_IDENTIFIER = re.compile(r"(?<![\w:.])([A-Za-z_:][\w:]*)(?![\w:])(?!\s*\()")
_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or",
             "unless", "atan2", "inf", "nan", "Inf", "NaN"}


def metrics_used(expr: str) -> set[str]:
    """Names of the metrics an expression selects (identifiers that are not functions, keywords,
    label names, durations or strings)."""
    text = _STRING.sub('""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = _GROUPING.sub(" ", text)
    return {name for name in _IDENTIFIER.findall(text) if name not in _KEYWORDS}


def labels_used(expr: str) -> dict[str, set[str]]:
    """Label names per metric in its matchers, and under "" those named in by/on/... clauses."""
    blanked = _STRING.sub('""', expr)
    used: dict[str, set[str]] = {"": set()}
    for metric, matchers in _SELECTOR.findall(blanked):
        used.setdefault(metric, set()).update(_MATCHER.findall(matchers))
    for _, names in _GROUPING.findall(blanked):
        used[""].update(name.strip() for name in names.split(",") if name.strip())
    return used


def exact_values(expr: str, label: str) -> set[str]:
    """The values an expression matches `label` against exactly (`label="value"`)."""
    return set(re.findall(rf'\b{label}\s*=\s*"([^"]*)"', expr))
