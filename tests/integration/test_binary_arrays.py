"""Columns packed by binary_arrays reach PostgreSQL exactly as psycopg's own adaptation of the
same lists does: the server casts both to the statement's type and they must compare equal,
nulls, limits and non-ASCII text included. Values a packer does not take go to psycopg."""

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
    ("TEXT", []),
])
def test_values_a_packer_does_not_take_are_left_to_psycopg(compiled, values):
    assert packer_for(compiled)(values) is None


def test_types_without_a_packer_are_left_to_psycopg():
    assert packer_for("NUMERIC(10, 2)") is None
    assert packer_for("DATE") is None
