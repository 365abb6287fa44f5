"""The read path against a minimal Flask app: GET /v1/people/<id> and a page of 50 people, served by
the real profiles API (`mentoring api profiles`: bearer token, tenant from the token, problem+json,
metrics, request log at INFO) and by bench/read_path_baseline.py (no authentication; once with
SQLAlchemy's defaults, once in autocommit), all under gunicorn with the same settings (our gunicorn
config file, 2 sync workers), on the same PostgreSQL database and rows, loaded by the same client
(keep-alive connections on threads). Rounds interleave the sides, and the ratios reported are the
medians of per-round ratios. CPU per request is the gunicorn workers' user + system time
(/proc/<pid>/stat) over the requests of the round.

Target (issue 15, part 2): GET by id >= 80% of the baseline's throughput; a page of 50 >= 70%."""

from __future__ import annotations

import http.client
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mentoring_shared.db.engine import normalize_url
from mentoring_testing.fixtures import migrated_databases, platform_environment, token
from mentoring_testing.servers import PostgresServer, free_port, wait_for_port

PEOPLE = 1000
CLIENT_THREADS = 8
# Many short rounds: other work on the machine comes and goes; the median of per-round ratios
# taken seconds apart sees the same conditions on both sides.
ROUNDS = int(os.environ.get("BENCH_READ_ROUNDS", "9"))
ROUND_SECONDS = float(os.environ.get("BENCH_READ_SECONDS", "3"))
WORKERS = "2"
TICKS = os.sysconf("SC_CLK_TCK")


class Gunicorn:
    """A gunicorn master started by `argv`; the CPU seconds its workers have used so far."""

    def __init__(self, argv: list[str], env: dict[str, str], port: int, log: Path):
        self.port = port
        self._log = open(log, "wb")
        self.process = subprocess.Popen(argv, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        wait_for_port("127.0.0.1", port, timeout_s=30)

    def worker_cpu_seconds(self) -> float:
        total = 0
        for pid in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()


def seed(port: int, tenant: str, count: int) -> list[str]:
    """Register people through the API, with the attributes a real directory holds; their ids."""
    headers = {"Authorization": f"Bearer {token(tenant, 'org_admin')}", "Content-Type": "application/json"}
    local = threading.local()

    def register(number: int) -> str:
        import json

        connection = getattr(local, "connection", None) or http.client.HTTPConnection("127.0.0.1", port)
        local.connection = connection
        connection.request("POST", "/v1/people", headers=headers, body=json.dumps({
            "name": f"Person {number}", "email": f"p{number}@{tenant}.example", "time_zone": "Europe/Paris",
            "employee_id": f"E{number}", "title": "Engineer", "department": f"Dept {number % 7}",
            "location": "Paris", "languages": ["en", "fr"], "seniority_band": 1 + number % 5,
            "skills": [{"name": "python", "level": "advanced"}, {"name": "sql", "level": "intermediate"}],
            "interests": ["architecture"], "goals": ["leadership"], "roles_offered": ["mentor"],
            "roles_wanted": ["mentee"], "mentor_capacity": 2}))
        response = connection.getresponse()
        body = response.read()
        if response.status != 201:
            raise RuntimeError(f"{response.status}: {body[:300]!r}")
        return json.loads(body)["id"]

    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        return sorted(pool.map(register, range(count)))


def load(port: int, paths, headers: dict[str, str], seconds: float) -> int:
    """GET random paths from `paths()` on CLIENT_THREADS keep-alive connections for `seconds`;
    the number of requests answered (any other status than 200 stops the bench)."""
    deadline = time.perf_counter() + seconds

    def client(seed_value: int) -> int:
        choose, done = random.Random(seed_value), 0
        connection = http.client.HTTPConnection("127.0.0.1", port)
        while time.perf_counter() < deadline:
            connection.request("GET", paths(choose), headers=headers)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"{response.status}: {body[:300]!r}")
            done += 1
        connection.close()
        return done

    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        return sum(pool.map(client, range(CLIENT_THREADS)))


def measure(server: Gunicorn, paths, headers: dict[str, str]) -> dict:
    cpu_before, started = server.worker_cpu_seconds(), time.perf_counter()
    requests = load(server.port, paths, headers, ROUND_SECONDS)
    elapsed, cpu = time.perf_counter() - started, server.worker_cpu_seconds() - cpu_before
    return {"per_s": requests / elapsed, "cpu_ms": 1000 * cpu / requests}


# The baselines: SQLAlchemy's defaults (a transaction around the SELECT), and the same app in
# autocommit (the SELECT alone, as ours reads), so neither side keeps a saving the other lacks.
BASELINES = {"baseline": "SQLAlchemy defaults", "baseline_autocommit": "autocommit"}


def run(workdir: Path) -> dict:
    server = PostgresServer.start()
    servers: dict[str, Gunicorn] = {}
    try:
        url = migrated_databases(server, ("profiles",))["profiles"]
        tenant = f"bench-read-{uuid.uuid4().hex[:6]}"
        metrics_dir = workdir / "metrics"
        metrics_dir.mkdir()
        common = {**os.environ, "WEB_CONCURRENCY": WORKERS, "VAR_DIR": str(workdir),
                  "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
        port = free_port()
        # Ours as deployed: LOG_LEVEL at its default (INFO), so the request log is part of the cost.
        env = {**common, **platform_environment({"profiles": url}, "127.0.0.1:1", PROFILES_PORT=str(port))}
        env.pop("LOG_LEVEL")
        bin_dir = Path(sys.executable).parent
        servers["ours"] = Gunicorn([str(bin_dir / "mentoring"), "api", "profiles"], env, port, workdir / "ours.log")
        ids = seed(port, tenant, PEOPLE)
        # Another tenant's people in the same table, as in production: scoping is not free.
        seed(port, f"{tenant}-other", PEOPLE // 4)

        for side in BASELINES:
            port = free_port()
            baseline_env = {**common, "BASELINE_DATABASE_URL": normalize_url(url), "BASELINE_TENANT": tenant,
                            "BASELINE_AUTOCOMMIT": "1" if side == "baseline_autocommit" else "",
                            "PYTHONPATH": str(Path.cwd())}
            servers[side] = Gunicorn([str(bin_dir / "gunicorn"), "-c", "python:mentoring_shared.web.gunicorn_hooks",
                                      "--bind", f"127.0.0.1:{port}", "--workers", WORKERS, "--name", side,
                                      "bench.read_path_baseline:create_app()"], baseline_env, port,
                                     workdir / f"{side}.log")

        auth = {"Authorization": f"Bearer {token(tenant, 'org_admin')}"}
        cursors = ids[:PEOPLE - 60]
        by_id = (lambda r: f"/people/{r.choice(ids)}", {})
        page = (lambda r: f"/people?limit=50&cursor={r.choice(cursors)}", {})
        cases = {
            "get by id": {"ours": (lambda r: f"/v1/people/{r.choice(ids)}", auth), **dict.fromkeys(BASELINES, by_id)},
            "list of 50": {"ours": (lambda r: f"/v1/people?limit=50&cursor={r.choice(cursors)}", auth),
                           **dict.fromkeys(BASELINES, page)},
        }
        for case in cases.values():  # warm every side: connections pooled, code paths imported
            for side, (paths, headers) in case.items():
                load(servers[side].port, paths, headers, 1.0)
        results = {name: {side: [] for side in servers} for name in cases}
        load_average = [os.getloadavg()[0]]
        for number in range(ROUNDS):
            for name, case in cases.items():
                # Ours between the two baselines, their order swapped every round.
                order = ("baseline", "ours", "baseline_autocommit")
                for side in order if number % 2 == 0 else reversed(order):
                    results[name][side].append(measure(servers[side], *case[side]))
            load_average.append(os.getloadavg()[0])
        return {"results": results, "load": load_average}
    finally:
        for process in servers.values():
            process.stop()
        server.drop_all()


def summarize(rounds: dict, baseline: str) -> dict:
    ours, base = rounds["ours"], rounds[baseline]
    return {"ours_per_s": statistics.median(r["per_s"] for r in ours),
            "baseline_per_s": statistics.median(r["per_s"] for r in base),
            "ratio": statistics.median(o["per_s"] / b["per_s"] for o, b in zip(ours, base)),
            "ours_cpu_ms": statistics.median(r["cpu_ms"] for r in ours),
            "baseline_cpu_ms": statistics.median(r["cpu_ms"] for r in base),
            "cpu_ratio": statistics.median(o["cpu_ms"] / b["cpu_ms"] for o, b in zip(ours, base)),
            "ratios": [o["per_s"] / b["per_s"] for o, b in zip(ours, base)]}


TARGETS = {"get by id": 0.80, "list of 50": 0.70}


def report(result: dict) -> str:
    from bench.results import machine

    rows = []
    for name, rounds in result["results"].items():
        for baseline, described in BASELINES.items():
            s = summarize(rounds, baseline)
            spread = ", ".join(f"{ratio:.2f}" for ratio in s["ratios"])
            rows.append(f"| {name} | {described} | {s['ours_per_s']:,.0f} req/s | {s['baseline_per_s']:,.0f} req/s | "
                        f"**{s['ratio']:.2f}x** ({spread}) | {TARGETS[name]:.2f}x | "
                        f"{s['ours_cpu_ms']:.2f} ms | {s['baseline_cpu_ms']:.2f} ms | {s['cpu_ratio']:.2f}x |")
    loads = " / ".join(f"{value:.1f}" for value in result["load"])
    return f"""## Read path against a minimal Flask app (issue 15, part 2)

{machine()}. Our API and the baseline under gunicorn (our config, {WORKERS} sync workers) on the same
PostgreSQL database ({PEOPLE:,} people in the tenant read, {PEOPLE // 4:,} in another), {CLIENT_THREADS} client
threads with keep-alive connections on the same 2 cores (gunicorn's sync workers close each
connection after its response, so every request connects anew, on every side); {ROUNDS} rounds of
{ROUND_SECONDS:.0f} s per side, ours between the two baselines, their order swapped every round. Ours is
`mentoring api profiles` with a bearer token (org_admin), at LOG_LEVEL INFO, reading with one
statement in autocommit. The baseline (bench/read_path_baseline.py) has no authentication and a
fixed tenant; it runs twice: with SQLAlchemy's defaults (BEGIN, the SELECT, ROLLBACK: three round
trips) and in autocommit (the SELECT alone). Throughput and CPU are medians over the rounds; the
ratio is the median of the per-round ratios (each round's in brackets). CPU is the gunicorn
workers' user + system time per request. Load average (1 min) at the start and after each round:
{loads}.

| request | baseline reads with | ours | baseline | ours / baseline | target | CPU/request ours | CPU/request baseline | CPU ratio |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
"""


def main() -> None:
    from bench.results import run_in_workdir_and_record

    run_in_workdir_and_record("read_path", run, report)


if __name__ == "__main__":
    main()
