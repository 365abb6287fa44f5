"""Columns packed by binary_arrays reach PostgreSQL exactly as psycopg's own adaptation of the
same lists does: the server casts both to the statement's type and they must compare equal,
nulls, limits and non-ASCII text included. Values a packer does not take go to psycopg."""

import struct
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum

import psycopg
import pytest

from mentoring_shared.db.binary_arrays import PackedArray, packer_for
from mentoring_shared.db.engine import normalize_url

PARIS_WINTER = timezone(timedelta(hours=1))

COLUMNS = [
    ("TEXT", ["plain", "", "Zoë “quoted” \\ back\\slash, {braces}", "日本語 🎉", "NULL", "a\nb\tc"]),
    ("TEXT", ["first", None, "after a null", None]),
    ("VARCHAR(36)", ["0192f1c2-0000-7000-8000-000000000001", "x" * 36]),
    ("VARCHAR(200)", [None, "only the second"]),
    ("SMALLINT", [0, -32768, 32767, 5]),
    ("INTEGER", [0, 1, -1, 2**31 - 1, -(2**31)]),
    ("INTEGER", [None, 7, None]),
    ("BIGINT", [2**63 - 1, -(2**63), 0, 1_700_000_000_000]),
    ("BOOLEAN", [True, False, True]),
    ("BOOLEAN", [None, False]),
    ("TIMESTAMP WITH TIME ZONE", [datetime(2026, 12, 6, 7, 30, 1, 123456, tzinfo=UTC),
                                  datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
                                  datetime(2026, 1, 15, 9, 0, tzinfo=PARIS_WINTER),
                                  datetime(2026, 12, 6, 7, 30, 1, 123456, tzinfo=UTC), None]),
    ("TIMESTAMP WITH TIME ZONE", [None, None, *[datetime(2026, 12, 6, 8, 0, tzinfo=UTC)] * 3]),
]


@pytest.fixture(scope="module")
def connection(service_databases):
    url = normalize_url(service_databases["profiles"]).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as connection:
        yield connection


@pytest.mark.parametrize(("compiled", "values"), COLUMNS, ids=[f"{c}-{n}" for n, (c, _) in enumerate(COLUMNS)])
def test_a_packed_column_reads_back_as_psycopg_writes_it(connection, compiled, values):
    packed = packer_for(compiled)(values)
    assert isinstance(packed, PackedArray)
    assert struct.unpack("!ii", packed.data[:8]) == (1, None in values)  # one dimension; the has-nulls flag
    ours, theirs = connection.execute(f"SELECT %b::{compiled}[], %b::{compiled}[]", (packed, values)).fetchone()
    assert ours == theirs == values
    unnested = connection.execute(f"SELECT count(*) FROM unnest(%b::{compiled}[])", (packed,)).fetchone()[0]
    assert unnested == len(values)


class Colour(StrEnum):
    RED = "red"


@pytest.mark.parametrize(("compiled", "values"), [
    ("TEXT", [1, 2]),                    # not text: psycopg adapts (or refuses) it as before
    ("TEXT", ["red", Colour.RED]),       # psycopg writes an Enum by its name: left to it
    ("INTEGER", [1, True]),              # a bool is no integer here
    ("INTEGER", [1, 2**31]),             # out of range: psycopg's own error
    ("TIMESTAMP WITH TIME ZONE", [datetime(2026, 12, 6)]),  # naive: the column type refuses it
    ("TIMESTAMP WITH TIME ZONE", [*[datetime(2026, 12, 6, tzinfo=UTC)] * 2, datetime(2026, 12, 6)]),
    ("TEXT", []),
])
def test_values_a_packer_does_not_take_are_left_to_psycopg(compiled, values):
    assert packer_for(compiled)(values) is None


def test_types_without_a_packer_are_left_to_psycopg():
    assert packer_for("NUMERIC(10, 2)") is None
    assert packer_for("DATE") is None


def test_rows_written_as_arrays_read_back_as_written(service_databases):
    """insert_many on PostgreSQL: text, a JSON column, timestamps in two zones and nulls, packed or
    left to psycopg, all come back as the rows held them; a one-column table and no rows at all too."""
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from mentoring_shared.db.bulk import insert_many
    from mentoring_shared.db.types import UtcDateTime

    metadata = sa.MetaData()
    table = sa.Table("array_write_check", metadata, sa.Column("id", sa.String(36), primary_key=True),
                     sa.Column("name", sa.Text, nullable=True), sa.Column("score", sa.Integer, nullable=True),
                     sa.Column("extra", sa.JSON, nullable=True), sa.Column("at", UtcDateTime, nullable=True),
                     sa.Column("price", sa.Numeric(10, 2), nullable=True))
    single = sa.Table("array_write_single", metadata, sa.Column("id", sa.String(36), primary_key=True))
    rows = [{"id": "a", "name": "Zoë", "score": 3, "extra": {"k": [1, "ü"]}, "at": datetime(2026, 1, 15, 9, 0, tzinfo=PARIS_WINTER),
             "price": None},
            {"id": "b", "name": None, "score": None, "extra": None, "at": None, "price": 12},
            {"id": "c", "name": "", "score": -(2**31), "extra": [], "at": datetime(2026, 12, 6, 7, 0, 0, 5, tzinfo=UTC),
             "price": 1}]
    engine = sa.create_engine(normalize_url(service_databases["profiles"]))
    try:
        metadata.create_all(engine)
        with Session(engine) as session:
            insert_many(session, table, rows)
            insert_many(session, single, [{"id": "only"}])
            insert_many(session, single, [])
            session.commit()
            stored = [dict(row) for row in session.execute(sa.select(table).order_by(table.c.id)).mappings()]
            assert session.execute(sa.select(single.c.id)).scalars().all() == ["only"]
        assert stored == rows
    finally:
        metadata.drop_all(engine)
        engine.dispose()
