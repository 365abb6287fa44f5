"""The newer-snapshot upsert on PostgreSQL (the unit test covers SQLite): out-of-order and repeated
snapshots leave the newest, and the result says whether each was applied; a batch's first versions
go in with a plain INSERT, and a key already there sends them through the upsert instead."""

from datetime import UTC

from sqlalchemy import event, select

from mentoring_shared.db.replica import PLAIN_INSERT_FROM, NewerSnapshotUpsert


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


class ReplicaInserts:
    """The replica INSERTs the engine sends and the savepoints it rolls back, in order."""

    def __init__(self, engine, table: str):
        self.engine, self.table, self.sent = engine, table, []
        event.listen(engine, "before_cursor_execute", self._seen)
        event.listen(engine, "rollback_savepoint", self._rolled_back)

    def _seen(self, connection, cursor, statement, parameters, context, executemany):
        if statement.startswith(f"INSERT INTO {self.table} "):
            self.sent.append("upsert" if "ON CONFLICT" in statement else "plain")

    def _rolled_back(self, connection, name, context):
        self.sent.append("rolled back")

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._seen)
        event.remove(self.engine, "rollback_savepoint", self._rolled_back)


def first_versions(tenant: str, count: int, start: int = 0) -> list[dict]:
    from datetime import datetime
    return [{"tenant_id": tenant, "person_id": f"p-{number}", "version": 1, "employee_id": None,
             "name": f"first {number}", "email": "p@example.com", "time_zone": "UTC", "status": "active",
             "updated_at": datetime.now(UTC)} for number in range(start, start + count)]


def stored_versions(runtime, people, tenant: str) -> dict:
    with runtime.sessions() as session:
        return dict(session.execute(select(people.c.person_id, people.c.version)
                                    .where(people.c.tenant_id == tenant)).all())


def test_a_batch_of_new_aggregates_is_inserted_plainly_and_the_rest_upserted(apps, tenant):
    runtime = apps["matching"].extensions["runtime"]
    people = runtime.outbox.metadata.tables["people"]
    upsert = NewerSnapshotUpsert(people, ["tenant_id", "person_id"])
    newer = {**first_versions(tenant, 1, start=999)[0], "version": 2}
    inserts = ReplicaInserts(runtime.engine, "people")
    try:
        with runtime.sessions() as session, session.begin():
            upsert.apply_many(session, first_versions(tenant, PLAIN_INSERT_FROM) + [newer])
    finally:
        inserts.close()

    assert inserts.sent == ["plain", "upsert"]
    assert stored_versions(runtime, people, tenant) == {f"p-{n}": 1 for n in range(PLAIN_INSERT_FROM)} | {"p-999": 2}


def test_a_first_version_whose_key_is_already_there_loses_the_bet_and_the_batch_ends_as_one_by_one(apps, tenant):
    """The plain INSERT's failure undoes only its savepoint: what the transaction wrote before stays,
    and the upsert keeps the newer row that was already there."""
    runtime = apps["matching"].extensions["runtime"]
    people = runtime.outbox.metadata.tables["people"]
    upsert = NewerSnapshotUpsert(people, ["tenant_id", "person_id"])
    rows = first_versions(tenant, PLAIN_INSERT_FROM + 1)
    inserts = ReplicaInserts(runtime.engine, "people")
    try:
        with runtime.sessions() as session, session.begin():
            assert upsert.apply(session, {**rows[5], "version": 3, "name": "already newer"})
            upsert.apply_many(session, rows)
    finally:
        inserts.close()

    assert inserts.sent == ["upsert", "plain", "rolled back", "upsert"]
    assert stored_versions(runtime, people, tenant) == {f"p-{n}": 3 if n == 5 else 1 for n in range(len(rows))}
