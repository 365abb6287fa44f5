"""The whole platform started the way `make run` starts it (scripts/run-embedded: migrations,
honcho, gunicorn, workers), over real HTTP: a person registered in profiles shows up in every
other service. Once on the embedded defaults (SQLite, the tansu broker the script starts), once
switched to PostgreSQL and an external broker by environment variables alone."""

import pytest
import requests

from mentoring_shared.service_registry import SERVICES
from mentoring_testing.fixtures import migrated_databases, token
from mentoring_testing.polling import eventually
from mentoring_testing.servers import free_port
from tests.e2e.platform import running_platform
from tests.integration.helpers import new_person


@pytest.fixture(params=["embedded", "embedded-in-var-dir", "postgresql"])
def platform(request, tmp_path, postgres_server, broker):
    if request.param.startswith("embedded"):
        env = {} if request.param == "embedded-in-var-dir" else \
            {f"{s.upper()}_DATABASE_URL": f"sqlite:///{tmp_path}/{s}.db" for s in SERVICES}
        listen = f"127.0.0.1:{free_port()}"
        env.update(BROKER_LISTEN=listen, KAFKA_BOOTSTRAP_SERVERS=listen)
    else:
        urls = migrated_databases(postgres_server)
        env = {f"{s.upper()}_DATABASE_URL": url for s, url in urls.items()}
        env.update(RUN_BROKER="0", KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap)
    with running_platform(tmp_path, **env) as (ports, metrics_ports):
        yield ports, metrics_ports
    if request.param == "embedded-in-var-dir":  # the defaults' databases live under VAR_DIR, not var/
        assert sorted(path.name for path in (tmp_path / "var").glob("*.db")) == \
            ["feedback.db", "matching.db", "profiles.db", "scheduling.db"]
    # The addresses are announced once every API answers, with the ports actually used.
    log = (tmp_path / "platform.log").read_text()
    assert "every API answers" in log and f"http://127.0.0.1:{ports['profiles']}/v1/people" in log


def test_a_person_registered_over_http_reaches_every_service(platform, tenant):
    ports, metrics_ports = platform
    headers = {"Authorization": f"Bearer {token(tenant)}"}
    base = f"http://127.0.0.1:{ports['profiles']}"
    created = requests.post(f"{base}/v1/people", json=new_person(name="Dorothy Vaughan"), headers=headers, timeout=10)
    assert created.status_code == 201, created.text
    person = created.json()

    for service in ("matching", "scheduling", "feedback"):
        url = f"http://127.0.0.1:{ports[service]}/v1/people/{person['id']}"
        copy = eventually(lambda: requests.get(url, headers=headers, timeout=5).status_code == 200 and
                          requests.get(url, headers=headers, timeout=5).json(),
                          message=f"{service} never showed the person")
        assert copy["name"] == "Dorothy Vaughan" and copy["version"] == 1

    # /metrics aggregates every gunicorn worker's samples (multiprocess mode): all GETs are counted.
    for _ in range(20):
        assert requests.get(f"{base}/v1/people/{person['id']}", headers=headers, timeout=5).status_code == 200
    exposition = requests.get(f"{base}/metrics", timeout=5).text
    line = next(sample for sample in exposition.splitlines()
                if sample.startswith("http_request_duration_seconds_count")
                and 'route="/v1/people/<id:person_id>"' in sample and 'method="GET"' in sample)
    assert float(line.rsplit(" ", 1)[1]) == 20.0
    assert person["id"] not in exposition, "an id leaked into metric labels"

    worker_metrics = requests.get(f"http://127.0.0.1:{metrics_ports['matching']}/metrics", timeout=5).text
    assert 'events_consumed_total{outcome="applied",service="matching",type="profiles.person.upserted.v1"}' \
        in worker_metrics
    assert "consumer_lag_events" in worker_metrics
    profiles_worker = f"http://127.0.0.1:{metrics_ports['profiles']}/metrics"
    eventually(lambda: 'outbox_backlog_events{service="profiles"} 0.0' in requests.get(profiles_worker, timeout=5).text,
               message="the profiles worker's backlog gauge never showed an empty outbox")
