"""Pair health for a whole cohort (issue 6): a seeded cohort of 20,000 pairs matched over the last year,
with realistic facts: most pairs meet every week or two, some drift, a few have gone silent; cancellations
and no-shows, ratings skewed high (1-5, up to a dozen per pair, unhappier for drifting pairs), open
feedback requests; some pairs are still in their first weeks. Measured: building the columnar table
from per-pair facts, `evaluate` with the default rules, `transitions` against a previous evaluation, and the
process's peak RSS. Target: evaluation of 20,000 pairs in at most 5 s.

    python -m bench.feedback_health            # 20,000 pairs, recorded in bench/RESULTS.md
    python -m bench.feedback_health --quick    # 2,000 pairs, printed only (also BENCH_FEEDBACK_HEALTH_QUICK=1)"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import textwrap
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np

from feedback.health import HealthRules, PairFacts, PairFactsTable, Status, evaluate, transitions

PAIRS = 20_000
QUICK_PAIRS = 2_000
SEED = 6
REPEATS = 5
TARGET_S = 5.0
NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
# Engagement profiles: (share, mean days since the last session, mean cancellations, mean open requests,
# rating probabilities for 1..5)
PROFILES = {
    "engaged": (0.70, 9, 0.4, 0.2, [0.01, 0.03, 0.10, 0.36, 0.50]),
    "drifting": (0.20, 35, 1.6, 1.0, [0.05, 0.12, 0.28, 0.35, 0.20]),
    "silent": (0.10, 95, 2.5, 2.5, [0.15, 0.20, 0.30, 0.25, 0.10]),
}


def cohort(pairs: int, now: datetime = NOW, seed: int = SEED) -> list[PairFacts]:
    rng = np.random.default_rng(seed)
    names = list(PROFILES)
    profile = rng.choice(len(names), size=pairs, p=[PROFILES[name][0] for name in names])
    matched_days_ago = rng.uniform(0, 365, size=pairs)
    rows = []
    for n in range(pairs):
        _, mean_gap, mean_cancellations, mean_open, rating_p = PROFILES[names[profile[n]]]
        age = matched_days_ago[n]
        confirmed_at = now - timedelta(days=float(age))
        # The first session comes a week or two after the match; pairs younger than that have none yet.
        first_session_after = rng.uniform(5, 20)
        last_session = None
        if age > first_session_after:
            gap = min(rng.exponential(mean_gap), age - first_session_after)
            last_session = now - timedelta(days=float(gap))
        sessions_so_far = 0 if last_session is None else max(1, int((age - first_session_after) / 14))
        ratings = rng.choice(np.arange(1, 6), size=min(12, rng.binomial(sessions_so_far, 0.6)), p=rating_p)
        rows.append(PairFacts(
            match_id=f"match-{n:05d}",
            confirmed_at=confirmed_at,
            last_completed_session_at=last_session,
            cancellations_in_window=int(rng.poisson(mean_cancellations)) if age > 7 else 0,
            recent_ratings=[int(rating) for rating in ratings],
            unanswered_feedback_requests=int(rng.poisson(mean_open)) if sessions_so_far else 0,
        ))
    return rows


def _timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def run(pairs: int) -> dict:
    rules = HealthRules()
    rows, generate_s = _timed(lambda: cohort(pairs))
    table, table_s = _timed(lambda: PairFactsTable.from_rows(rows))
    # The previous evaluation: the same match ids with other facts (the cohort drawn with the next seed),
    # so that a realistic number of pairs change status.
    previous_table = PairFactsTable.from_rows(cohort(pairs, seed=SEED + 1))
    previous = {pair.match_id: pair.status for pair in evaluate(previous_table, rules, NOW)}
    evaluate_runs = []
    for _ in range(REPEATS):
        health, seconds = _timed(lambda: evaluate(table, rules, NOW))
        evaluate_runs.append(seconds)
    (became_at_risk, recovered), transitions_s = _timed(lambda: transitions(previous, health))
    mean_rules = HealthRules(rating_basis="mean")
    mean_health, mean_s = _timed(lambda: evaluate(table, mean_rules, NOW))
    return {
        "pairs": pairs, "generate_s": generate_s, "table_s": table_s, "evaluate_runs": evaluate_runs,
        "transitions_s": transitions_s, "mean_basis_s": mean_s,
        "statuses": Counter(pair.status for pair in health),
        "mean_basis_statuses": Counter(pair.status for pair in mean_health),
        "reasons": Counter(reason.code for pair in health for reason in pair.reasons),
        "became_at_risk": len(became_at_risk), "recovered": len(recovered),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "example": next((pair for pair in health if len(pair.reasons) >= 3), None),
    }


def report(result: dict) -> str:
    pairs = result["pairs"]
    runs = result["evaluate_runs"]
    median, worst = statistics.median(runs), max(runs)
    statuses = result["statuses"]
    share = ", ".join(f"{status.value} {statuses[status]:,} ({statuses[status] / pairs:.0%})" for status in Status)
    reasons = ", ".join(f"{code} {count:,}" for code, count in sorted(result["reasons"].items()))
    example = result["example"]
    example_text = "; ".join(reason.text for reason in example.reasons) if example else "-"
    within = "within" if worst <= TARGET_S else "OVER"
    return f"""## Pair health (issue 6)

{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}, \
{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. A seeded cohort of {pairs:,} pairs (70% engaged, 20% drifting,
10% silent; matched over the last year), default rules, one process.

| measure | value |
|---|---|
| `evaluate`, {pairs:,} pairs, median / worst of {len(runs)} | {median * 1000:.0f} ms / {worst * 1000:.0f} ms (target {TARGET_S:.0f} s: {within}) |
| `evaluate` with the mean-of-last-3 rating basis | {result['mean_basis_s'] * 1000:.0f} ms |
| `PairFactsTable.from_rows` (per-pair facts to columns) | {result['table_s'] * 1000:.0f} ms |
| `transitions` against a previous evaluation | {result['transitions_s'] * 1000:.1f} ms ({result['became_at_risk']:,} became at risk, {result['recovered']:,} recovered) |
| peak RSS of the process (cohort objects included) | {result['peak_rss_mib']:.0f} MiB |
| statuses | {share} |
| failed rules | {reasons} |

Example reasons: "{example_text}".

{textwrap.fill(
    "Reading: the rules run over whole columns (NumPy), so only the pairs that fail a rule cost Python "
    "work, to write their reasons; building the per-pair result objects is most of the time. The "
    "service's cost is gathering the facts (one aggregate query per fact over the cohort), not judging them.",
    110)}
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_FEEDBACK_HEALTH_QUICK")))
    args = parser.parse_args(argv)
    text = report(run(QUICK_PAIRS if args.quick else PAIRS))
    print(text)
    if not args.quick:
        from bench.results import record

        record("feedback_health", text)


if __name__ == "__main__":
    main()
