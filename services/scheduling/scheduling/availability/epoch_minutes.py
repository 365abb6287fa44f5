"""Aware datetimes <-> UTC epoch minutes, the engine's unit of time. Minutes because working hours
and offsets (India +5:30, Nepal +5:45) need not fall on hours, while seconds would only make every
array 60 times longer. A busy time is widened to whole minutes (start floored, end ceiled) so that
nothing busy ever looks free."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got {moment.isoformat()}")


def minutes_floor(moment: datetime) -> int:
    """The epoch minute that holds `moment`."""
    _require_aware(moment)
    return (moment - EPOCH) // MINUTE


def minutes_ceil(moment: datetime) -> int:
    """The first epoch minute boundary at or after `moment`."""
    _require_aware(moment)
    return -((EPOCH - moment) // MINUTE)


def utc_datetime(epoch_minute: int) -> datetime:
    """The aware UTC datetime of an epoch minute."""
    return EPOCH + timedelta(minutes=int(epoch_minute))
