"""Both outside SCIM 2.0 conformance suites, run over real HTTP against a live profiles API
(gunicorn, PostgreSQL): scim2-tester (Python SCIM tooling) and scim-sanity's probe. Neither may
report a failure, an error or a deviation; what each skipped is printed and must be a resource type
this server does not serve, so a skip is never silent."""

from __future__ import annotations

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server
from scim_sanity.probe.runner import run_probe_api

from tests.contract.live_profiles_api import live_profiles_scim

CONFORMING = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}
# scim-sanity also probes the AI-agent resource types of an Internet-Draft; this server serves
# Users and Groups only (its /ResourceTypes says so), so those checks are skipped by the probe.
NOT_SERVED = ("Agent", "AgenticApplication")


@pytest.fixture(scope="module")
def live_scim(postgres_server, tmp_path_factory):
    with live_profiles_scim(postgres_server, tmp_path_factory.mktemp("scim-conformance")) as scim:
        yield scim


def test_scim2_tester_finds_nothing_wrong(live_scim):
    with httpx2.Client(base_url=live_scim.base_url, timeout=10,
                       headers={"Authorization": f"Bearer {live_scim.token}"}) as http:
        results = check_server(SyncSCIMClient(http))
    wrong = [f"{result.status.name} {result.title} [{result.resource_type}]: {result.reason}"
             for result in results if result.status not in CONFORMING]
    print(f"scim2-tester: {len(results) - len(wrong)} of {len(results)} checks conform", *wrong, sep="\n")
    assert results and not wrong, f"{len(wrong)} of {len(results)} checks did not conform:\n" + "\n".join(wrong)


def test_scim_sanity_probe_finds_nothing_wrong(live_scim):
    report = run_probe_api(live_scim.base_url, token=live_scim.token, strict=True, timeout=10)
    print(f"scim-sanity: {report['summary']}")
    for result in report["results"]:
        if result["status"] != "pass":
            print(f"{result['status'].upper()}: {result['name']}: {result.get('message', '')}")
    wrong = [f"{result['status'].upper()} {result['name']}: {result.get('message', '')} {result.get('details') or ''}"
             for result in report["results"]
             if result["status"] in ("fail", "error", "warn")
             or (result["status"] == "skip" and not result["name"].startswith(NOT_SERVED))]
    assert report["summary"]["passed"] and not wrong, f"{report['summary']}:\n" + "\n".join(wrong)
