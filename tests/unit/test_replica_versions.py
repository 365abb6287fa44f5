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
