"""Column types that behave the same on PostgreSQL and SQLite."""

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine


def indexable_json() -> TypeEngine:
    """JSON that PostgreSQL keeps as JSONB, so that a GIN index can answer what a list holds
    (`dialects.json_list_has`); plain JSON on SQLite."""
    return JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator):
    """Timestamps stored and returned as timezone-aware UTC. SQLite drops the zone; this puts it back."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: pass an aware (UTC) datetime")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value
