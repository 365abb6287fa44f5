"""Matching's domain figures for dashboards: pairs made and ended, and how long runs take.
Counted after the transaction commits, so a rolled-back change is never counted."""

from prometheus_client import Counter, Histogram

MATCHES_CONFIRMED = Counter("matching_matches_confirmed_total", "Pairs confirmed, by how they came about.",
                            ["origin"])
MATCHES_ENDED = Counter("matching_matches_ended_total", "Pairs ended, by reason.", ["reason"])
RUN_DURATION = Histogram("matching_run_duration_seconds", "Scoring plus the proven-optimal solve of a cohort.",
                         buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30))
