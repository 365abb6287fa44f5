"""IANA time zones: people's working hours and calendars are kept in their own zone."""

from functools import lru_cache
from zoneinfo import available_timezones


@lru_cache(maxsize=1)
def _iana_names() -> frozenset[str]:
    return frozenset(available_timezones())


def is_iana_time_zone(name: str) -> bool:
    return name in _iana_names()


def iana_time_zones() -> list[str]:
    """Every IANA zone name this machine knows, sorted: the `enum` API documents carry."""
    return sorted(_iana_names())
