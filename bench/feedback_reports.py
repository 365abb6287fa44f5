"""Program reports on PostgreSQL (issue 6): a cohort of 20,000 pairs with 200,000 feedback rows
(plus their sessions, feedback requests and goals), beside as much data again in twenty cohorts
of another tenant, loaded with COPY into a scratch database migrated with feedback's Alembic
history. Then 50 cohort reports, warm, timed end to end (five queries and the figures).

Target (issue 6): p95 at most 1 s for the cohort report."""

from __future__ import annotations

import argparse
import random
import statistics
import textwrap
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, text

from feedback import orm
from feedback.reports.report import cohort_report, program_report, tenant_report
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.config import load_service_settings
from mentoring_shared.db.bulk import insert_many
from mentoring_shared.runtime import ServiceRuntime
from mentoring_testing.fixtures import migrated_databases, platform_environment
from mentoring_testing.servers import PostgresServer

PAIRS = 20_000
FEEDBACK_PER_PAIR = 10  # 200,000 feedback rows in the measured cohort
REQUESTS_PER_PAIR = 12  # ten answered, one closed unanswered, one still open
SESSIONS_PER_PAIR = 6
GOALS_PER_PAIR = 2
REPORTS = 50
TARGET_S = 1.0
SEED = 6
NOW = datetime(2026, 6, 1, tzinfo=UTC)
TENANT, PROGRAM, COHORT = "bench", "program-bench", "cohort-big"
NOISE_TENANT, NOISE_COHORTS = "noise", 20


def _rows(tenant: str, program: str, cohorts: list[str], pairs: int, prefix: str, rng: random.Random) -> dict:
    tables: dict[str, list[dict]] = {"pairs": [], "sessions": [], "feedback_requests": [], "feedback": [], "goals": []}
    start = NOW - timedelta(days=120)
    for number in range(pairs):
        match_id, cohort = f"{prefix}m{number}", cohorts[number % len(cohorts)]
        mentee, mentor = f"{prefix}e{number}", f"{prefix}r{number // 3}"
        common = {"tenant_id": tenant, "match_id": match_id, "cohort_id": cohort, "program_id": program}
        ended = number % 10 == 0
        tables["pairs"].append({**common, "mentee_id": mentee, "mentor_id": mentor,
                                "status": "ended" if ended else "active", "confirmed_at": start,
                                "ended_at": NOW if ended else None, "end_reason": "completed" if ended else None,
                                "health": rng.choice(("on_track", "on_track", "needs_check_in", "at_risk")),
                                "health_reasons": [], "health_evaluated_at": NOW})
        for index in range(SESSIONS_PER_PAIR):
            tables["sessions"].append({"session_id": f"{match_id}s{index}", **common,
                                       "starts_at": start + timedelta(days=14 * index), "minutes": 45,
                                       "status": rng.choice(("completed", "completed", "completed", "cancelled",
                                                             "no_show", "scheduled")), "version": 1})
        for index in range(REQUESTS_PER_PAIR):
            author, subject = (mentee, mentor) if index % 2 == 0 else (mentor, mentee)
            direction = "mentee_to_mentor" if index % 2 == 0 else "mentor_to_mentee"
            request_id = f"{match_id}q{index}"
            status = "answered" if index < FEEDBACK_PER_PAIR else ("closed" if index == FEEDBACK_PER_PAIR else "open")
            created = start + timedelta(days=9 * index)
            tables["feedback_requests"].append({
                "request_id": request_id, **common, "kind": "session" if index % 3 else "pulse",
                "session_id": None, "author_id": author, "subject_id": subject, "direction": direction,
                "status": status, "created_at": created,
                "due_at": created + timedelta(days=7) if status != "open" else NOW + timedelta(days=3)})
            if status == "answered":
                tables["feedback"].append({
                    "feedback_id": f"{match_id}f{index}", **common, "request_id": request_id,
                    "kind": "session" if index % 3 else "pulse", "session_id": None, "author_id": author,
                    "subject_id": subject, "direction": direction, "rating": rng.randint(1, 5),
                    "recommend": None if index % 3 else rng.randint(0, 10), "text": "Useful session.",
                    "goal_progress": {}, "submitted_at": created + timedelta(days=1),
                    "editable_until": created + timedelta(days=2), "version": 1, "anonymized": False})
        for index in range(GOALS_PER_PAIR):
            tables["goals"].append({"goal_id": f"{match_id}g{index}", **common, "title": "Grow", "description": None,
                                    "target_date": (NOW + timedelta(days=60)).date(),
                                    "status": rng.choice(("open", "achieved", "dropped")), "progress": 50,
                                    "created_at": start, "achieved_at": None, "version": 1})
    return tables


def _load(runtime: ServiceRuntime, pairs: int) -> dict:
    rng = random.Random(SEED)
    counts: dict[str, int] = {}
    started = time.perf_counter()
    for tenant, program, cohorts, prefix in ((TENANT, PROGRAM, [COHORT], "a"),
                                             (NOISE_TENANT, "program-noise",
                                              [f"cohort-{n}" for n in range(NOISE_COHORTS)], "b")):
        tables = _rows(tenant, program, cohorts, pairs, prefix, rng)
        with runtime.sessions() as session:
            insert_many(session, orm.programs, [{"tenant_id": tenant, "program_id": program, "version": 1,
                                                 "name": f"Program of {tenant}", "privacy_threshold": 5,
                                                 "pulse_first_after_days": 30, "pulse_every_days": 30}])
            for name, rows in tables.items():
                insert_many(session, orm.metadata.tables[name], rows)
                counts[name] = counts.get(name, 0) + len(rows)
            session.commit()
    with runtime.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    counts["load_s"] = time.perf_counter() - started
    return counts


def _time(call, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return timings


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _feedback_plan(runtime: ServiceRuntime, session) -> str:
    """EXPLAIN ANALYZE of the cohort report's feedback query, exactly as it is sent."""
    sent: list = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM feedback " in statement and not sent:
            sent.append((statement, parameters))
    event.listen(runtime.engine, "before_cursor_execute", capture)
    try:
        cohort_report(session, TENANT, COHORT, NOW)
    finally:
        event.remove(runtime.engine, "before_cursor_execute", capture)
    statement, parameters = sent[0]
    return "\n".join(row[0] for row in session.connection().exec_driver_sql(
        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters))


def _time_health_rounds(runtime: ServiceRuntime) -> dict:
    """The worker's pair-health chore over every active pair of both tenants, as it runs in production:
    facts gathered in SQL, rules evaluated, changed verdicts stored, crossings published to the outbox.
    The first round changes most verdicts (the loaded ones are random); the second is the steady state."""
    from feedback.pair_health import PairHealthClock

    clock = PairHealthClock(runtime)
    rounds = []
    for _ in range(2):
        started = time.perf_counter()
        counts = clock.tick(NOW)
        rounds.append(time.perf_counter() - started)
    return {"first_s": rounds[0], "steady_s": rounds[1], "pairs": sum(counts.values()), "counts": counts}


def run(pairs: int) -> dict:
    server = PostgresServer.start()
    try:
        urls = migrated_databases(server, ("feedback",))
        runtime = ServiceRuntime.build(load_service_settings("feedback", platform_environment(urls, "127.0.0.1:1"),
                                                            serves_http=False), orm.metadata,
                                       unit_of_work_class=FeedbackUnitOfWork)
        loaded = _load(runtime, pairs)
        with runtime.sessions() as session:
            report = cohort_report(session, TENANT, COHORT, NOW)
            _time(lambda: cohort_report(session, TENANT, COHORT, NOW), 3)  # warm
            cohort = _time(lambda: cohort_report(session, TENANT, COHORT, NOW), REPORTS)
            program = _time(lambda: program_report(session, TENANT, PROGRAM, NOW), 10)
            tenant = _time(lambda: tenant_report(session, NOISE_TENANT, NOW), 10)
            plan = _feedback_plan(runtime, session)
            version = session.execute(text("SHOW server_version")).scalar_one()
        health = _time_health_rounds(runtime)
        runtime.engine.dispose()
        return {"pairs": pairs, "loaded": loaded, "cohort": cohort, "program": program, "tenant": tenant,
                "group": report["groups"][0], "plan": plan, "server": version, "health": health}
    finally:
        server.drop_all()


def report(result: dict) -> str:
    from bench.results import machine

    loaded, cohort, group = result["loaded"], result["cohort"], result["group"]
    p50, p95 = statistics.median(cohort), _percentile(cohort, 0.95)
    verdict = "within" if p95 <= TARGET_S else "OVER"
    intro = textwrap.fill(
        f"{machine()}. PostgreSQL {result['server']} at 127.0.0.1, a scratch database migrated with feedback's "
        f"Alembic history, loaded with COPY ({loaded['load_s']:.0f} s): one cohort of {result['pairs']:,} pairs "
        f"with {loaded['feedback'] // 2:,} feedback rows, {loaded['feedback_requests'] // 2:,} feedback requests, "
        f"{loaded['sessions'] // 2:,} sessions and {loaded['goals'] // 2:,} goals, and as much again for another "
        f"tenant in {NOISE_COHORTS} cohorts. `cohort_report` in-process (five aggregate queries, one per figure "
        f"family, plus the cohort's program and its settings), {REPORTS} runs after 3 warm-up runs.", 110)
    return f"""## Program reports (issue 6)

{intro}

| measure | value |
|---|---|
| **cohort report, {result['pairs']:,} pairs / {loaded['feedback'] // 2:,} feedback** | **p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms** (target {TARGET_S:.0f} s: {verdict}) |
| program report (per cohort + program total, 10 runs) | p50 {statistics.median(result['program']) * 1000:.0f} ms |
| tenant report of the other tenant (per program + total, {NOISE_COHORTS} cohorts, 10 runs) | p50 {statistics.median(result['tenant']) * 1000:.0f} ms |
| pair-health chore on PostgreSQL, {result['health']['pairs']:,} active pairs of both tenants | first round {result['health']['first_s']:.2f} s (verdicts stored, crossings published), steady round {result['health']['steady_s']:.2f} s (target 5 s) |
| figures (sanity) | completion {group['sessions']['completion_rate']}, {group['mentoring_hours']:,} h, response rate {group['response_rate']['value']}, rating {group['average_rating']['value']}, NPS {group['nps']['value']} ({group['nps']['respondents']:,} respondents), {group['pairs_at_risk']:,} pairs at risk |

The heaviest family is feedback: ratings, NPS and the distinct people behind them, over 200,000 rows, per\nauthor first (one hash aggregate) and then per group; its plan:

```
{result['plan']}
```
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=PAIRS, help="pairs in the measured cohort (records only at 20,000)")
    args = parser.parse_args(argv)
    text_ = report(run(args.pairs))
    print(text_)
    if args.pairs == PAIRS:
        from bench.results import record

        record("feedback_reports", text_)


if __name__ == "__main__":
    main()
