"""Feedback's domain figures for dashboards: pairs by health, and how many became at risk. Set by
the worker's pair-health chore after its transaction commits, so a rolled-back round counts nothing."""

from prometheus_client import Counter, Gauge

PAIRS_BY_HEALTH = Gauge("feedback_pairs_by_health", "Active pairs in each health status, at the last evaluation.",
                        ["health"], multiprocess_mode="livemax")
PAIRS_BECAME_AT_RISK = Counter("feedback_pairs_became_at_risk_total",
                               "Pairs that crossed into at risk (each crossing once).")
PULSE_SURVEYS_SENT = Counter("feedback_pulse_surveys_sent_total", "Pulse survey requests created (two per pair).")
