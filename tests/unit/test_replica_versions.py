"""Snapshots applied out of order or twice leave the newest version (SQLite in memory: no server)."""

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.orm import Session

from mentoring_shared.db.replica import upsert_if_newer

metadata = MetaData()
copies = Table("copies", metadata, Column("id", String, primary_key=True), Column("name", String),
               Column("version", Integer))


def test_only_a_newer_version_replaces_the_copy():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with Session(engine) as session:
        assert upsert_if_newer(session, copies, {"id": "a"}, 2, {"name": "second"})
        assert not upsert_if_newer(session, copies, {"id": "a"}, 1, {"name": "first"})
        assert not upsert_if_newer(session, copies, {"id": "a"}, 2, {"name": "second again"})
        assert upsert_if_newer(session, copies, {"id": "a"}, 3, {"name": "third"})
        assert session.execute(select(copies.c.name, copies.c.version)).one() == ("third", 3)
