"""The rule every consumer applies to order-sensitive events: ignore one older than the copy held."""

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert
from sqlalchemy.orm import Session

from mentoring_shared.event_order import held_version, is_stale


def test_an_event_older_than_the_copy_held_is_stale():
    assert is_stale(event_version=2, held_version=3)


def test_an_event_as_new_as_the_copy_is_not_stale_since_a_snapshot_and_a_change_share_a_version():
    assert not is_stale(event_version=3, held_version=3)
    assert not is_stale(event_version=4, held_version=3)


def test_an_event_without_a_version_or_about_an_aggregate_not_held_applies_as_before():
    assert not is_stale(event_version=None, held_version=3)
    assert not is_stale(event_version=2, held_version=None)


def test_the_version_held_is_read_by_the_copys_key():
    copies = Table("copies", MetaData(), Column("tenant_id", String, primary_key=True),
                   Column("copy_id", String, primary_key=True), Column("version", Integer))
    engine = create_engine("sqlite://")
    copies.metadata.create_all(engine)
    with Session(engine) as session:
        session.execute(insert(copies), [{"tenant_id": "acme", "copy_id": "a", "version": 4},
                                         {"tenant_id": "other", "copy_id": "a", "version": 9}])
        assert held_version(session, copies, tenant_id="acme", copy_id="a") == 4
        assert held_version(session, copies, tenant_id="acme", copy_id="b") is None
