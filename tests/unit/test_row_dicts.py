"""Rows as dicts whose keys are plain strings (not SQLAlchemy's quoted_name), fit for building a
dataclass by keyword."""

import sqlalchemy as sa

from mentoring_shared.db.row_dicts import first_row_dict, row_dicts


def test_rows_become_dicts_with_plain_string_keys():
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        query = sa.text("SELECT 1 AS id, 'Ada' AS name UNION ALL SELECT 2, 'Grace' ORDER BY id")
        rows = row_dicts(connection.execute(query))
        assert rows == [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Grace"}]
        assert all(type(key) is str for row in rows for key in row)
        assert first_row_dict(connection.execute(query)) == {"id": 1, "name": "Ada"}
        assert first_row_dict(connection.execute(sa.text("SELECT 1 AS id WHERE 1 = 0"))) is None
