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
BROKER_LOG_LOSSES = Counter(
    "broker_log_losses_total",
    "Times the relay found that the broker lost events it had acknowledged on a topic (recreated topic, "
    "log ending below what was acknowledged); each is repaired by a republish from the outbox.",
    ["service", "topic"],
)
OUTBOX_REPUBLISHED = Counter(
    "outbox_republished_events_total", "Sent events the relay sent again (after a broker lost its log, or on request).",
    ["service"],
)
OUTBOX_REPUBLISH_REMAINING = Gauge(
    "outbox_republish_remaining_events", "Events a republish in progress has still to send again.",
    ["service"], multiprocess_mode="livemax",
)
CONSUMER_LOG_RESETS = Counter(
    "consumer_log_resets_total",
    "Times a consumer found its position on a log the broker no longer has (topic recreated, offset beyond "
    "the log end) and went back to the new log's beginning.",
    ["service", "topic"],
)
CONSUMER_RETRIES = Counter(
    "consumer_retries_total",
    "Times a consumer held a partition back and retried its events later, by reason: the database "
    "away (database_unavailable), the database refusing one try such as a deadlock or lock timeout "
    "(database_transient), or dead letters unpublishable (dead_letter_publish). Never dead-lettered.",
    ["service", "reason"],
)
INBOX_PRUNED = Counter(
    "inbox_pruned_events_total", "Inbox rows deleted after INBOX_RETENTION_DAYS.", ["service"],
)
