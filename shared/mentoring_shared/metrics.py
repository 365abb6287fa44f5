"""The platform's Prometheus metrics. Labels never carry ids or personal data.

Defined once per process at import, as prometheus-client expects: under gunicorn each worker
writes to PROMETHEUS_MULTIPROC_DIR and `/metrics` aggregates them (see web/observability.py)."""

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUEST_DURATION = Histogram(
    "http_request_duration_seconds", "HTTP request duration by route template and status.",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
EVENTS_PUBLISHED = Counter(
    "events_published_total", "Events the outbox relay handed to the broker, by outcome.",
    ["service", "type", "outcome"],
)
EVENTS_CONSUMED = Counter(
    "events_consumed_total", "Events a consumer group read, by outcome.",
    ["service", "type", "outcome"],
)
DEAD_LETTERS = Counter(
    "dead_letters_total", "Events moved to a dead-letter topic.", ["service", "topic"],
)
OUTBOX_BACKLOG = Gauge(
    "outbox_backlog_events", "Events written to the outbox and not yet acknowledged by the broker.",
    ["service"], multiprocess_mode="livemax",
)
OUTBOX_OLDEST_AGE = Gauge(
    "outbox_oldest_unsent_age_seconds", "Age of the oldest event not yet acknowledged by the broker.",
    ["service"], multiprocess_mode="livemax",
)
OUTBOX_PARKED = Gauge(
    "outbox_parked_events", "Events the broker refused repeatedly (too large, say): set aside for an operator.",
    ["service"], multiprocess_mode="livemax",
)
CONSUMER_LAG = Gauge(
    "consumer_lag_events", "Events on a partition not yet processed by this service's group.",
    ["service", "topic", "partition"], multiprocess_mode="livemax",
)
