"""Each service's migrations build exactly the tables its code declares: a column added to a model
without a migration (or the reverse) fails here, not in production."""

import importlib

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from mentoring_shared.db.engine import normalize_url
from mentoring_shared.service_registry import SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_migrated_database_matches_the_models(service_databases, service):
    metadata = importlib.import_module(f"{service}.orm").metadata
    engine = sa.create_engine(normalize_url(service_databases[service]))
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
    finally:
        engine.dispose()
    assert differences == []
