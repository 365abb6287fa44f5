"""Snapshots applied out of order or twice leave the newest version (SQLite in memory: no server)."""

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.orm import Session

from mentoring_shared.db.replica import NewerSnapshotUpsert

metadata = MetaData()
copies = Table("copies", metadata, Column("id", String, primary_key=True), Column("name", String),
               Column("version", Integer))


def test_only_a_newer_version_replaces_the_copy():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    upsert = NewerSnapshotUpsert(copies, ["id"])
    with Session(engine) as session:
        assert upsert.apply(session, {"id": "a", "version": 2, "name": "second"})
        assert not upsert.apply(session, {"id": "a", "version": 1, "name": "first"})
        assert not upsert.apply(session, {"id": "a", "version": 2, "name": "second again"})
        assert upsert.apply(session, {"id": "a", "version": 3, "name": "third"})
        assert session.execute(select(copies.c.name, copies.c.version)).one() == ("third", 3)


def test_many_snapshots_in_one_call_end_as_if_applied_one_by_one():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    upsert = NewerSnapshotUpsert(copies, ["id"])
    with Session(engine) as session:
        upsert.apply_many(session, [{"id": "a", "version": 2, "name": "second"}, {"id": "b", "version": 1, "name": "b"},
                                    {"id": "a", "version": 1, "name": "first"}, {"id": "a", "version": 3, "name": "third"},
                                    {"id": "a", "version": 3, "name": "third again"}])
        upsert.apply_many(session, [])
        assert dict(session.execute(select(copies.c.id, copies.c.name)).all()) == {"a": "third", "b": "b"}
