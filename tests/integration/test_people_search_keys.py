"""People are searched by skill and offered role through JSON lists in their own row (GIN-indexed
on PostgreSQL, read with json_each on SQLite). Migration 0010 moves the facet tables' contents into
those lists, and its downgrade brings the tables back, on both databases."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from mentoring_shared.db.engine import normalize_url
from mentoring_shared.db.migrations import alembic_config
from mentoring_shared.service_registry import migrations_dir
from profiles.repositories.people import PeopleFilter, PeopleRepository

BEFORE_THE_MOVE = "0009"


@pytest.fixture(params=["postgresql", "sqlite"])
def profiles_url(request, postgres_server, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/profiles.db"
    return postgres_server.create_database("mt_profiles_keys")


def migrate(url: str, revision: str, down: bool = False) -> None:
    (command.downgrade if down else command.upgrade)(alembic_config(migrations_dir("profiles"), url), revision)


def person_row(tenant: str, person_id: str, roles: str = "[]") -> dict:
    now = datetime.now(UTC)
    return {"tenant_id": tenant, "id": person_id, "employee_id": person_id, "name": person_id.title(),
            "email": f"{person_id}@acme.example", "time_zone": "UTC", "status": "active", "version": 1,
            "created_at": now, "updated_at": now, "roles_offered": roles,
            "skills": '[{"name": "Rust", "level": "expert"}, {"name": "SQL", "level": "beginner"}]'}


def found(engine: sa.Engine, tenant: str, **where) -> list[str]:
    with engine.connect() as connection:
        return [person.id for person in PeopleRepository(connection).list(tenant, 50, None, PeopleFilter(**where))]


def test_the_facet_tables_move_into_the_person_row_and_back(profiles_url):
    migrate(profiles_url, BEFORE_THE_MOVE)
    engine = sa.create_engine(normalize_url(profiles_url))
    columns = ", ".join(person_row("t", "x"))
    try:
        with engine.begin() as connection:
            for tenant, person_id, roles in (("acme", "ada", '["mentor"]'), ("acme", "bob", "[]"),
                                             ("globex", "cy", '["mentor"]')):
                connection.execute(sa.text(f"INSERT INTO people ({columns}) VALUES "
                                           f"({', '.join(':' + name for name in person_row(tenant, person_id))})"),
                                   person_row(tenant, person_id, roles))
            connection.execute(sa.text("INSERT INTO person_skills VALUES ('acme', 'rust', 'ada'), "
                                       "('acme', 'sql', 'ada'), ('globex', 'rust', 'cy')"))
            connection.execute(sa.text("INSERT INTO person_roles_offered VALUES ('acme', 'mentor', 'ada'), "
                                       "('globex', 'mentor', 'cy')"))

        migrate(profiles_url, "head")
        assert found(engine, "acme", skill="Rust ") == ["ada"]
        assert found(engine, "acme", skill="sql", role="mentor") == ["ada"]
        assert found(engine, "globex", skill="rust") == ["cy"]  # each tenant sees only its own
        assert found(engine, "acme", skill="go") == [] and found(engine, "acme", role="mentee") == []
        with engine.connect() as connection:
            assert sorted(connection.execute(sa.text(
                "SELECT id FROM people WHERE skill_keys = '[]'" if "sqlite" in profiles_url
                else "SELECT id FROM people WHERE skill_keys = '[]'::jsonb")).scalars()) == ["bob"]

        migrate(profiles_url, BEFORE_THE_MOVE, down=True)
        with engine.connect() as connection:
            assert sorted(map(tuple, connection.execute(sa.text(
                "SELECT tenant_id, skill, person_id FROM person_skills")))) == [
                ("acme", "rust", "ada"), ("acme", "sql", "ada"), ("globex", "rust", "cy")]
            assert sorted(map(tuple, connection.execute(sa.text(
                "SELECT tenant_id, role, person_id FROM person_roles_offered")))) == [
                ("acme", "mentor", "ada"), ("globex", "mentor", "cy")]
    finally:
        engine.dispose()


def test_people_are_searched_by_skill_and_role_on_sqlite(tmp_path):
    from mentoring_shared.db.migrations import upgrade_to_head
    from profiles.domain.people import change_person, register_person

    url = f"sqlite:///{tmp_path}/profiles.db"
    upgrade_to_head(migrations_dir("profiles"), url)
    engine = sa.create_engine(normalize_url(url))
    try:
        with sa.orm.Session(engine) as session, session.begin():
            people = PeopleRepository(session)
            for name, skills, roles in (("Ada", [("Rust", "expert"), ("Go", "beginner")], ("mentor",)),
                                        ("Bob", [("Rusty", "expert")], ("mentee",))):
                person, _ = register_person(person_id=name.lower(), tenant_id="acme", now=datetime.now(UTC), name=name,
                                            employee_id=name.upper(), email=f"{name.lower()}@acme.example",
                                            time_zone="UTC",
                                            skills=skills, roles_offered=roles)
                people.add(person)
        assert found(engine, "acme", skill="RUST") == ["ada"]  # a whole name, in any case
        assert found(engine, "acme", skill="go", role="mentor") == ["ada"]
        assert found(engine, "acme", role="mentee") == ["bob"]
        assert found(engine, "other", skill="rust") == []

        with sa.orm.Session(engine) as session, session.begin():  # a change replaces the keys
            people = PeopleRepository(session)
            ada = people.get("acme", "ada")
            assert ada is not None
            people.save(change_person(ada, {"skills": [("Python", "expert")], "roles_offered": ["mentee"]},
                                      datetime.now(UTC))[0])
        assert found(engine, "acme", skill="python") == ["ada"] and found(engine, "acme", skill="rust") == []
        assert found(engine, "acme", role="mentee") == ["ada", "bob"] and found(engine, "acme", role="mentor") == []
    finally:
        engine.dispose()
