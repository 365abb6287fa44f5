"""The newer-snapshot upsert on PostgreSQL (the unit test covers SQLite): out-of-order and repeated
snapshots leave the newest, and the result says whether each was applied."""

from sqlalchemy import select

from mentoring_shared.db.replica import NewerSnapshotUpsert


def test_only_a_newer_snapshot_replaces_the_copy_on_postgresql(apps, tenant):
    runtime = apps["matching"].extensions["runtime"]
    people = runtime.outbox.metadata.tables["people"]
    upsert = NewerSnapshotUpsert(people, ["tenant_id", "person_id"])

    def snapshot(version: int, name: str) -> dict:
        from datetime import datetime, timezone
        return {"tenant_id": tenant, "person_id": "p-1", "version": version, "employee_id": None, "name": name,
                "email": "p@example.com", "time_zone": "UTC", "status": "active",
                "updated_at": datetime.now(timezone.utc)}

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
        from datetime import datetime, timezone
        return {"tenant_id": tenant, "person_id": person_id, "version": version, "employee_id": None, "name": name,
                "email": "p@example.com", "time_zone": "UTC", "status": "active",
                "updated_at": datetime.now(timezone.utc)}

    with runtime.sessions() as session, session.begin():
        upsert.apply_many(session, [snapshot("p-1", 2, "second"), snapshot("p-2", 1, "other"),
                                    snapshot("p-1", 1, "first"), snapshot("p-1", 3, "third"),
                                    snapshot("p-1", 3, "third again")])
    with runtime.sessions() as session:
        stored = session.execute(select(people.c.person_id, people.c.name, people.c.version)
                                 .where(people.c.tenant_id == tenant).order_by(people.c.person_id)).all()
    assert [tuple(row) for row in stored] == [("p-1", "third", 3), ("p-2", "other", 1)]
