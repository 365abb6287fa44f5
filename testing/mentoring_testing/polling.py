"""Waiting for something that happens asynchronously (an event reaching a consumer)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(probe: Callable[[], T], timeout_s: float = 20.0, interval_s: float = 0.1,
               message: str = "condition not reached") -> T:
    """Call `probe` until it returns a truthy value without raising AssertionError."""
    deadline = time.monotonic() + timeout_s
    last_error: AssertionError | None = None
    while True:
        try:
            result = probe()
            if result:
                return result
        except AssertionError as error:
            last_error = error
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} within {timeout_s:.0f}s" + (f": {last_error}" if last_error else ""))
        time.sleep(interval_s)
