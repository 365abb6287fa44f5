"""Matching's profiles and scheduling's working hours moved from tables beside the people replica
into its rows (matching 0009, scheduling 0008): what the tables held is in the rows afterwards, on
PostgreSQL and SQLite, and a downgrade gives the tables back as they were."""

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from mentoring_shared.db.engine import normalize_url
from mentoring_shared.db.migrations import alembic_config
from mentoring_shared.service_registry import migrations_dir

PROFILE = {"skills": [{"name": "Go", "level": "expert"}], "goals": ["python"]}
MOVES = {
    "matching": ("0008", "person_profiles",
                 {"employee_id": "E1", "manager_employee_id": "M1", "department": "R&D", "status": "active",
                  "profile": json.dumps(PROFILE)},
                 {"manager_employee_id": "M1", "department": "R&D", "profile": PROFILE}),
    "scheduling": ("0007", "person_schedules",
                   {"time_zone": "Asia/Tokyo", "status": "active", "working_hours": '{"start": "08:00"}'},
                   {"working_hours": {"start": "08:00"}}),
}


def as_read(stored, expected):
    """A JSON column's value as Python: text as stored on SQLite when read without its model."""
    return json.loads(stored) if isinstance(expected, dict) and isinstance(stored, str) else stored


@pytest.fixture(params=["postgresql", "sqlite"])
def database(request, postgres_server, tmp_path):
    def url_for(service: str) -> str:
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path}/{service}.db"
        return postgres_server.create_database(f"mt_{service}_moves")
    return url_for


@pytest.mark.parametrize("service", sorted(MOVES))
def test_a_table_beside_the_replica_moves_into_its_rows_and_back(database, service):
    before, beside, beside_values, moved = MOVES[service]
    url = database(service)
    config = alembic_config(migrations_dir(service), url)
    command.upgrade(config, before)
    engine = sa.create_engine(normalize_url(url))
    person = {"tenant_id": "acme", "person_id": "p-1", "employee_id": "E1", "name": "Ann", "email": "ann@acme.example",
              "time_zone": "Asia/Tokyo", "status": "active", "version": 3, "updated_at": datetime.now(UTC)}
    alone = {**person, "person_id": "p-2", "employee_id": "E2", "email": "bo@acme.example"}  # nothing beside

    def insert(connection, table: str, row: dict) -> None:
        connection.execute(sa.text(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})"),
                           row)
    try:
        with engine.begin() as connection:
            insert(connection, "people", person)
            insert(connection, "people", alone)
            insert(connection, beside, {"tenant_id": "acme", "person_id": "p-1", "version": 3, **beside_values})

        command.upgrade(config, "head")
        with engine.connect() as connection:
            assert beside not in sa.inspect(connection).get_table_names()
            people = sa.Table("people", sa.MetaData(), autoload_with=connection)
            rows = {row["person_id"]: row for row in connection.execute(
                sa.select(people).where(people.c.tenant_id == "acme")).mappings()}
        assert {name: as_read(rows["p-1"][name], value) for name, value in moved.items()} == moved
        assert rows["p-2"]["version"] == 3 and rows["p-2"]["name"] == alone["name"]

        command.downgrade(config, before)
        with engine.connect() as connection:
            back = connection.execute(sa.text(f"SELECT * FROM {beside}")).mappings().all()
            assert "p-1" in {row["person_id"] for row in back}
            [again] = [row for row in back if row["person_id"] == "p-1"]
            assert {name: as_read(again[name], value) for name, value in moved.items()} == moved
            assert set(moved) & {column["name"] for column in sa.inspect(connection).get_columns("people")} == set()
    finally:
        engine.dispose()
