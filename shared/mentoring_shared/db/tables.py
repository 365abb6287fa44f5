"""The outbox and inbox tables every service carries in its own database."""

from __future__ import annotations

from sqlalchemy import (BigInteger, Column, Index, Integer, MetaData, String, Table, Text,
                        text)

from mentoring_shared.db.types import UtcDateTime


def add_outbox_table(metadata: MetaData) -> Table:
    """Events written in the same transaction as the state change they describe; the relay sends
    them and stamps `sent_at` once the broker has acknowledged."""
    table = Table(
        "outbox", metadata,
        Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("tenant_id", String(64), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("message_key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("envelope", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("sent_at", UtcDateTime, nullable=True),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
    )
    # The relay only ever looks for unsent rows: a partial index keeps that cheap at any size.
    Index("ix_outbox_unsent", table.c.seq,
          postgresql_where=table.c.sent_at.is_(None), sqlite_where=table.c.sent_at.is_(None))
    return table


def add_inbox_table(metadata: MetaData) -> Table:
    """Events a consumer group has applied, recorded in the same transaction as their effects."""
    return Table(
        "inbox", metadata,
        Column("consumer_group", String(200), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("tenant_id", String(64), nullable=False),
        Column("processed_at", UtcDateTime, nullable=False),
    )
