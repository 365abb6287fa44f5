"""The newer-snapshot upsert on PostgreSQL (the unit test covers SQLite): out-of-order and repeated
snapshots leave the newest, and the result says whether each was applied."""

from datetime import UTC

from sqlalchemy import select

from mentoring_shared.db.replica import NewerSnapshotUpsert


def test_only_a_newer_snapshot_replaces_the_copy_on_postgresql(apps, tenant):
    runtime = apps["matching"].extensions["runtime"]
    people = runtime.outbox.metadata.tables["people"]
    upsert = NewerSnapshotUpsert(people, ["tenant_id", "person_id"])

    def snapshot(version: int, name: str) -> dict:
        from datetime import datetime
        return {"tenant_id": tenant, "person_id": "p-1", "version": version, "employee_id": None, "name": name,
                "email": "p@example.com", "time_zone": "UTC", "status": "active",
                "updated_at": datetime.now(UTC)}

    with runtime.sessions() as session, session.begin():
        assert upsert.apply(session, snapshot(2, "second"))
        assert not upsert.apply(session, snapshot(1, "first"))
        assert not upsert.apply(session, snapshot(2, "second again"))
        assert upsert.apply(session, snapshot(3, "third"))
    with runtime.sessions() as session:
        stored = session.execute(select(people.c.name, people.c.version).where(people.c.tenant_id == tenant)).one()
    assert tuple(stored) == ("third", 3)


def test_many_snapshots_in_one_executemany_end_as_if_applied_one_by_one_on_postgresql(apps, tenant):
    runtime = apps["matching"].extensions["runtime"]
    people = runtime.outbox.metadata.tables["people"]
    upsert = NewerSnapshotUpsert(people, ["tenant_id", "person_id"])

    def snapshot(person_id: str, version: int, name: str) -> dict:
        from datetime import datetime
        return {"tenant_id": tenant, "person_id": person_id, "version": version, "employee_id": None, "name": name,
                "email": "p@example.com", "time_zone": "UTC", "status": "active",
                "updated_at": datetime.now(UTC)}

    with runtime.sessions() as session, session.begin():
        upsert.apply_many(session, [snapshot("p-1", 2, "second"), snapshot("p-2", 1, "other"),
                                    snapshot("p-1", 1, "first"), snapshot("p-1", 3, "third"),
                                    snapshot("p-1", 3, "third again")])
    with runtime.sessions() as session:
        stored = session.execute(select(people.c.person_id, people.c.name, people.c.version)
                                 .where(people.c.tenant_id == tenant).order_by(people.c.person_id)).all()
    assert [tuple(row) for row in stored] == [("p-1", "third", 3), ("p-2", "other", 1)]


def test_one_statement_over_arrays_ends_as_one_by_one_with_json_nulls_and_older_stored_rows(apps, tenant):
    """The unnest path against `apply` row by row, into two tenants from the same start: JSON values
    (and a JSON null) arrive as SQLAlchemy sends them, and a stored newer version is kept."""
    import random
    from datetime import datetime

    runtime = apps["scheduling"].extensions["runtime"]
    schedules = runtime.outbox.metadata.tables["people"]  # scheduling's replica: working hours are JSON
    upsert = NewerSnapshotUpsert(schedules, ["tenant_id", "person_id"])
    one_by_one, batched = f"{tenant}-a", f"{tenant}-b"
    choose = random.Random(7)
    rows = [{"person_id": f"p-{choose.randrange(6)}", "version": choose.randrange(1, 5),
             "time_zone": choose.choice(["UTC", "Europe/Paris"]), "status": "active",
             "working_hours": choose.choice([None, {"start": "09:00", "end": f"1{choose.randrange(7, 9)}:00"}])}
            for _ in range(60)]
    held = {"person_id": "p-0", "version": 4, "time_zone": "Asia/Tokyo", "status": "active", "working_hours": None}
    now = datetime.now(UTC)

    def in_tenant(row: dict, tenant_id: str) -> dict:
        return {**row, "tenant_id": tenant_id, "name": "P", "email": "p@example.com", "updated_at": now}

    with runtime.sessions() as session, session.begin():
        for tenant_id in (one_by_one, batched):
            upsert.apply(session, in_tenant(held, tenant_id))
        for row in rows:
            upsert.apply(session, in_tenant(row, one_by_one))
        upsert.apply_many(session, [in_tenant(row, batched) for row in rows])

    def stored(tenant_id: str) -> list[tuple]:
        with runtime.sessions() as session:
            return [tuple(row) for row in session.execute(
                select(schedules.c.person_id, schedules.c.version, schedules.c.time_zone, schedules.c.working_hours,
                       schedules.c.working_hours.is_(None))  # SQL NULL or JSON null, as SQLAlchemy sends it
                .where(schedules.c.tenant_id == tenant_id).order_by(schedules.c.person_id)).all()]

    assert stored(batched) == stored(one_by_one)
    assert ("p-0", 4, "Asia/Tokyo", None, False) in stored(batched)
    assert len(stored(batched)) == 6
