"""Recording that a consumer group applied an event, so a redelivery is a no-op."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Table, delete, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentoring_shared.db.bulk import insert_many, send_arrays, takes_arrays, unnested
from mentoring_shared.db.engine import for_writing, is_unique_violation, rows_affected
from mentoring_shared.messaging.envelope import Envelope


class AlreadyClaimed(Exception):
    """A batch claimed as all new held an event the group had already claimed: its transaction is
    lost, and the batch is to be claimed again, the careful way (`all_new=False`)."""


def claim_new(session: Session, inbox: Table, group: str, envelopes: list[Envelope], all_new: bool = False) -> set[str]:
    """Record the group's inbox rows for a batch, in the session's transaction, before its effects;
    returns the ids of the events not applied before (the others are duplicates). An event twice in
    the batch is claimed once.

    On PostgreSQL this is one `INSERT … ON CONFLICT DO NOTHING RETURNING` over arrays: the primary
    key answers for each event, and a concurrent consumer applying the same event waits for it, then
    sees a duplicate. (A lookup first, `event_id = ANY(…)`, let the planner scan every row of the
    group while the table was young and its statistics stale: a cost that grew with the inbox.)

    On PostgreSQL, `all_new` bets that none was claimed before, as is nearly always so: a plain
    INSERT, which costs the server a quarter less than ON CONFLICT's speculative insertion (13
    against 17 µs a row, measured). A duplicate, or a concurrent claim of the same event, then fails
    the statement, and with it the transaction: AlreadyClaimed says to claim the batch again
    without the bet."""
    rows = _inbox_rows(group, envelopes)
    if not takes_arrays(session, inbox):
        applied = set(session.execute(select(inbox.c.event_id).where(
            inbox.c.consumer_group == group, inbox.c.event_id.in_(list(rows)))).scalars())
        new = {event_id: row for event_id, row in rows.items() if event_id not in applied}
        insert_many(session, inbox, list(new.values()))
        return set(new)
    connection = session.connection()
    columns = tuple(next(iter(rows.values())))
    names, select_rows, _ = unnested(connection.dialect, inbox, columns)
    on_conflict = "" if all_new else " ON CONFLICT DO NOTHING"
    try:
        claimed = send_arrays(connection, f"INSERT INTO {names} {select_rows}{on_conflict} RETURNING event_id",
                              inbox, columns, list(rows.values()))
    except IntegrityError as error:
        if all_new and is_unique_violation(error):
            raise AlreadyClaimed(str(error.orig)) from error
        raise
    return set(claimed.scalars().all())  # one fetchall, not a fetch per row


def _inbox_rows(group: str, envelopes: list[Envelope]) -> dict[str, dict]:
    """Event id -> its inbox row, the first of any repeats."""
    now = datetime.now(UTC)
    rows: dict[str, dict] = {}
    for envelope in envelopes:
        rows.setdefault(envelope.id, {"consumer_group": group, "event_id": envelope.id, "event_type": envelope.type,
                                      "tenant_id": envelope.tenant_id, "processed_at": now})
    return rows


def prune_inbox(session: Session, inbox: Table, older_than: datetime, batch: int = 5000) -> int:
    """Delete the rows of events applied before `older_than`, oldest first, committing every `batch`
    rows so no transaction grows with the backlog. Returns how many were deleted. Rows another
    pruner holds are skipped (PostgreSQL), so replicas pruning at once neither wait nor deadlock."""
    deleted = 0
    while True:
        oldest = (select(inbox.c.consumer_group, inbox.c.event_id)
                  .where(inbox.c.processed_at < older_than)
                  .order_by(inbox.c.processed_at)
                  .limit(batch)
                  .with_for_update(skip_locked=True))
        count = rows_affected(for_writing(session).execute(
            delete(inbox).where(tuple_(inbox.c.consumer_group, inbox.c.event_id).in_(oldest))))
        session.commit()
        deleted += count
        if count < batch:
            return deleted
