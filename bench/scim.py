"""SCIM under a concurrent load on loopback: the profiles API under gunicorn (2 sync workers) on
PostgreSQL, 16 client threads provisioning users (POST /scim/v2/Users) as Okta does, then changing
them (PATCH, Entra's form). Latency is measured per request at the client.

Target (issue 3): report create and PATCH p50/p99."""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench.platform_processes import Platform
from mentoring_testing.fixtures import migrated_databases, platform_environment, token
from mentoring_testing.servers import PostgresServer, free_port

USERS = 2000
CLIENT_THREADS = 16
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def timed_requests(calls: list, threads: int = CLIENT_THREADS) -> tuple[list[float], float]:
    local = threading.local()

    def run(call) -> float:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        started = time.perf_counter()
        response = call(session)
        elapsed = time.perf_counter() - started
        if response.status_code >= 300:
            raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
        return elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        latencies = list(pool.map(run, calls))
    return latencies, time.perf_counter() - started


def percentiles(latencies: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000


def run(workdir: Path) -> dict:
    server = PostgresServer.start()
    platform = None
    try:
        env = platform_environment(migrated_databases(server, ("profiles",)), "127.0.0.1:1",
                                   PROFILES_PORT=str(free_port()))
        platform = Platform(env, workdir)
        platform.start_api()
        base = f"http://127.0.0.1:{platform.port}"
        tenant = f"bench-scim-{uuid.uuid4().hex[:6]}"
        secret = requests.post(f"{base}/v1/scim-tokens", json={"label": "bench"}, timeout=10,
                               headers={"Authorization": f"Bearer {token(tenant, 'org_admin')}"}).json()["token"]
        headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/scim+json"}
        ids: list[str] = []

        def create(number: int):
            def call(session):
                response = session.post(f"{base}/scim/v2/Users", headers=headers, timeout=30, json={
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
                    "userName": f"user{number}@acme.example", "externalId": f"E{number}",
                    "name": {"givenName": "User", "familyName": str(number)}, "active": True,
                    "title": "Engineer", ENTERPRISE: {"employeeNumber": f"E{number}", "department": "Sales"}})
                if response.status_code == 201:
                    ids.append(response.json()["id"])
                return response
            return call

        def patch(user_id: str):
            return lambda session: session.patch(f"{base}/scim/v2/Users/{user_id}", headers=headers, timeout=30, json={
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "Replace", "path": "title", "value": "Senior Engineer"}]})

        create_latencies, create_seconds = timed_requests([create(n) for n in range(USERS)])
        patch_latencies, patch_seconds = timed_requests([patch(user_id) for user_id in list(ids)])
        return {"create": (*percentiles(create_latencies), USERS / create_seconds),
                "patch": (*percentiles(patch_latencies), len(patch_latencies) / patch_seconds)}
    finally:
        if platform is not None:
            platform.stop()
        server.drop_all()


def report(result: dict) -> str:
    from bench.results import machine

    (c50, c99, crate), (p50, p99, prate) = result["create"], result["patch"]
    return f"""## SCIM under load (issue 3)

{machine()}. The profiles API under gunicorn (2 sync workers) on PostgreSQL, {CLIENT_THREADS} client
threads on the same 2 cores; {USERS:,} users created, then each PATCHed once.

| request | p50 | p99 | throughput |
|---|---|---|---|
| POST /scim/v2/Users (with the enterprise extension) | {c50:,.0f} ms | {c99:,.0f} ms | {crate:,.0f} req/s |
| PATCH /scim/v2/Users/<id> (Entra's Replace) | {p50:,.0f} ms | {p99:,.0f} ms | {prate:,.0f} req/s |
"""


def main() -> None:
    from bench.results import run_in_workdir_and_record

    run_in_workdir_and_record("scim", run, report)


if __name__ == "__main__":
    main()
