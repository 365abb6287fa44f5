"""page_query: keyset pages of a tenant's rows, with optional equality filters and a pair member."""

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert

from mentoring_shared.db.records import page_query

metadata = MetaData()
pairs = Table("pairs", metadata, Column("pair_id", String, primary_key=True), Column("tenant_id", String),
              Column("cohort_id", String), Column("status", String), Column("mentee_id", String),
              Column("mentor_id", String))

ROWS = [
    ("p1", "acme", "c1", "active", "ann", "bob"),
    ("p2", "acme", "c1", "ended", "cat", "ann"),
    ("p3", "acme", "c2", "active", "dan", "eve"),
    ("p4", "other", "c1", "active", "ann", "bob"),
]


@pytest.fixture
def connection():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(pairs), [dict(zip(pairs.c.keys(), row, strict=True)) for row in ROWS])
        yield connection


def ids(connection, **arguments) -> list[str]:
    return [row.pair_id for row in connection.execute(page_query(pairs, "pair_id", "acme", **arguments))]


def test_a_page_holds_only_the_tenants_rows_in_key_order_after_the_cursor(connection):
    assert ids(connection, limit=10) == ["p1", "p2", "p3"]
    assert ids(connection, limit=2) == ["p1", "p2"]
    assert ids(connection, limit=2, after="p2") == ["p3"]


def test_empty_filters_filter_nothing_and_given_ones_all_apply(connection):
    assert ids(connection, limit=10, cohort_id=None, status="") == ["p1", "p2", "p3"]
    assert ids(connection, limit=10, cohort_id="c1") == ["p1", "p2"]
    assert ids(connection, limit=10, cohort_id="c1", status="active") == ["p1"]


def test_involving_finds_the_person_as_mentee_or_mentor(connection):
    assert ids(connection, limit=10, involving="ann") == ["p1", "p2"]
    assert ids(connection, limit=10, involving="ann", status="ended") == ["p2"]
