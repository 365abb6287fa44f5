"""Pooled connections the server has closed (a restart, pg_terminate_backend) are replaced before a
request uses them, without a ping on every checkout: reads and writes keep answering."""

import pytest
import sqlalchemy as sa

from mentoring_shared.db.engine import make_engine, normalize_url
from mentoring_testing.fixtures import ApiClient, migrated_databases, platform_environment
from tests.integration.helpers import new_person


def close_every_connection_to(admin_url: str, database_url: str) -> int:
    """What a database restart does to the pool: the server ends each session (waiting until each
    has ended, as a restart is over before requests reach the new server); their number."""
    database = sa.engine.make_url(normalize_url(database_url)).database
    admin = sa.create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"),
                {"d": database}).all())
    finally:
        admin.dispose()


@pytest.fixture
def own_profiles_database(postgres_server) -> str:
    return migrated_databases(postgres_server, ("profiles",))["profiles"]


def test_a_pool_replaces_connections_the_server_closed(postgres_server, own_profiles_database):
    engine = make_engine(own_profiles_database)
    try:
        with engine.connect() as first, engine.connect() as second:  # two pooled connections
            first.execute(sa.text("SELECT 1"))
            second.execute(sa.text("SELECT 1"))
        assert close_every_connection_to(postgres_server.admin_url, own_profiles_database) >= 2
        for _ in range(3):
            with engine.connect() as connection:
                assert connection.execute(sa.text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_the_api_answers_reads_and_writes_after_the_database_closed_its_connections(
        postgres_server, own_profiles_database, tenant):
    from profiles.app import create_app

    app = create_app(platform_environment({"profiles": own_profiles_database}, "127.0.0.1:1"))
    profiles = ApiClient(app, tenant, ("org_admin",))
    person = profiles.post("/v1/people", json=new_person()).get_json()
    assert profiles.get(f"/v1/people/{person['id']}").status_code == 200
    assert profiles.get("/v1/people").status_code == 200

    assert close_every_connection_to(postgres_server.admin_url, own_profiles_database) >= 1
    assert profiles.get(f"/v1/people/{person['id']}").get_json() == person
    assert profiles.get("/v1/people").get_json()["items"] == [person]
    assert profiles.post("/v1/people", json=new_person()).status_code == 201
    runtime = app.extensions["runtime"]
    runtime.engine.dispose()
    runtime.single_statement_reads.dispose()
