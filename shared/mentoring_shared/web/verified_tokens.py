"""Principals of bearer tokens already verified, kept until the token expires (and at most a few
minutes, the life of a fetched signing key): a client sends the same token with every request,
and checking its signature and claims again costs more than the rest of a small read.
Bounded, oldest first out; refused tokens are never kept, so they are checked every time."""

from __future__ import annotations

import threading
import time
from typing import Generic, TypeVar

Principal = TypeVar("Principal")

CAPACITY = 4096
MAX_AGE_S = 300.0


class VerifiedTokens(Generic[Principal]):
    def __init__(self, capacity: int = CAPACITY, max_age_s: float = MAX_AGE_S, clock=time.time):
        self._capacity, self._max_age_s, self._clock = capacity, max_age_s, clock
        self._entries: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> Principal | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        principal, valid_until = entry
        if self._clock() < valid_until:
            return principal
        with self._lock:
            self._entries.pop(token, None)
        return None

    def keep(self, token: str, principal: Principal, expires_at: float) -> None:
        """Keep a verified token's principal until `expires_at` (the `exp` claim, seconds since the epoch)."""
        valid_until = min(float(expires_at), self._clock() + self._max_age_s)
        with self._lock:
            while len(self._entries) >= self._capacity:
                self._entries.pop(next(iter(self._entries)))
            self._entries[token] = (principal, valid_until)
