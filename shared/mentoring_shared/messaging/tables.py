"""The outbox and inbox tables every service carries in its own database."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, MetaData, String, Table, Text, text

from mentoring_shared.db.types import UtcDateTime


def add_outbox_table(metadata: MetaData) -> Table:
    """Events written in the same transaction as the state change they describe; the relay sends
    them and stamps `sent_at` once the broker has acknowledged."""
    table = Table(
        "outbox", metadata,
        Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False),  # a new UUIDv7: unique without a check
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
    # Rows the broker refused hold back their aggregate's later events: found through this small index.
    refused = text("sent_at IS NULL AND attempts > 0")
    Index("ix_outbox_refused", table.c.topic, table.c.message_key, table.c.seq,
          postgresql_where=refused, sqlite_where=refused)
    return table


def add_relay_tables(metadata: MetaData) -> tuple[Table, Table]:
    """What the relay remembers of the broker, and the republishes it owes.

    `broker_log_marks`: per topic, the broker's topic id and the log end the relay's acknowledged
    sends reached. A topic whose id changed or whose log ends below the mark lost events the broker
    had acknowledged.
    `outbox_republishes`: sent rows to send again (after such a loss, or on an operator's request),
    worked through in outbox order with a cursor that commits with each batch."""
    marks = Table(
        "broker_log_marks", metadata,
        Column("topic", String(200), primary_key=True),
        Column("topic_id", String(64), nullable=True),
        Column("cluster_id", String(200), nullable=True),
        Column("partitions", Integer, nullable=False),
        Column("end_floors", JSON, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )
    republishes = Table(
        "outbox_republishes", metadata,
        Column("republish_id", Integer, primary_key=True, autoincrement=True),
        Column("requested_at", UtcDateTime, nullable=False),
        Column("reason", Text, nullable=False),
        Column("topics", JSON, nullable=True),
        Column("from_seq", BigInteger().with_variant(Integer(), "sqlite"), nullable=False),
        Column("to_seq", BigInteger().with_variant(Integer(), "sqlite"), nullable=False),
        Column("next_seq", BigInteger().with_variant(Integer(), "sqlite"), nullable=False),
        Column("events_total", Integer, nullable=False),
        Column("events_sent", Integer, nullable=False, server_default=text("0")),
        Column("finished_at", UtcDateTime, nullable=True),
    )
    return marks, republishes


def add_inbox_table(metadata: MetaData) -> Table:
    """Events a consumer group has applied, recorded in the same transaction as their effects.
    Pruned after INBOX_RETENTION_DAYS, oldest first (hence the index)."""
    table = Table(
        "inbox", metadata,
        Column("consumer_group", String(200), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("tenant_id", String(64), nullable=False),
        Column("processed_at", UtcDateTime, nullable=False),
    )
    Index("ix_inbox_processed_at", table.c.processed_at)
    return table
