"""Identifiers: UUIDv7, so ids sort by creation time and keyset pagination reads chronologically."""

import os
import threading
import time
from collections.abc import Iterator

_lock = threading.Lock()
_last_millis = 0
_counter = 0
# Random bytes read from the kernel a page at a time: a read per id (getrandom) was a fifth of an
# id's cost, and an HR import makes two ids a person. A forked child must never reuse its parent's
# bytes (two gunicorn workers would make the same ids), so it starts with none.
_RANDOM_POOL_BYTES = 4096
_random_pool = b""
_random_used = 0


def _forget_random_pool() -> None:
    global _random_pool, _random_used
    _random_pool, _random_used = b"", 0


os.register_at_fork(after_in_child=_forget_random_pool)


def _random_64() -> int:
    """64 random bits from the pool (the caller holds _lock)."""
    global _random_pool, _random_used
    if _random_used >= len(_random_pool):
        _random_pool, _random_used = os.urandom(_RANDOM_POOL_BYTES), 0
    _random_used += 8
    return int.from_bytes(_random_pool[_random_used - 8:_random_used], "big")


def new_id() -> str:
    """A UUIDv7 (RFC 9562) as a string: 48 bits of Unix milliseconds, a 12-bit counter that orders
    ids made in the same millisecond by this process (method 3), then 62 random bits."""
    global _last_millis, _counter
    with _lock:
        millis = time.time_ns() // 1_000_000
        if millis > _last_millis:
            _last_millis, _counter = millis, _random_64() & 0x3FF  # room to count up
        else:
            _counter += 1
            if _counter > 0xFFF:  # 4,096 ids in one millisecond: borrow the next one
                _last_millis, _counter = _last_millis + 1, 0
        millis, counter = _last_millis, _counter
        random_bits = _random_64() & ((1 << 62) - 1)
    # Milliseconds, version 7 and the counter, the RFC 4122 variant and the random bits; formatted
    # here: str(uuid.UUID(int=value)) costs three times as much.
    digits = f"{millis & ((1 << 48) - 1):012x}{0x7000 | counter:04x}{0b10 << 62 | random_bits:016x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def new_ids() -> Iterator[str]:
    """An endless supply of new ids, for domain code that makes as many as it needs."""
    while True:
        yield new_id()
