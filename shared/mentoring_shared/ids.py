"""Identifiers: UUIDv7, so ids sort by creation time and keyset pagination reads chronologically."""

import os
import threading
import time
from collections.abc import Iterator

_lock = threading.Lock()
_last_millis = 0
_counter = 0


def new_id() -> str:
    """A UUIDv7 (RFC 9562) as a string: 48 bits of Unix milliseconds, a 12-bit counter that orders
    ids made in the same millisecond by this process (method 3), then 62 random bits."""
    global _last_millis, _counter
    with _lock:
        millis = time.time_ns() // 1_000_000
        if millis > _last_millis:
            _last_millis, _counter = millis, int.from_bytes(os.urandom(2), "big") & 0x3FF  # room to count up
        else:
            _counter += 1
            if _counter > 0xFFF:  # 4,096 ids in one millisecond: borrow the next one
                _last_millis, _counter = _last_millis + 1, 0
        millis, counter = _last_millis, _counter
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76                      # version 7
    value |= counter << 64                  # rand_a, as a counter
    value |= 0b10 << 62                     # RFC 4122 variant
    value |= int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    digits = f"{value:032x}"  # formatted here: str(uuid.UUID(int=value)) costs three times as much
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def new_ids() -> Iterator[str]:
    """An endless supply of new ids, for domain code that makes as many as it needs."""
    while True:
        yield new_id()
