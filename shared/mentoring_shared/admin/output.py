"""What `mentoring admin` prints for people: plain-text tables and a progress bar."""

from __future__ import annotations

import time
from typing import Any, Callable, Iterable, Sequence, TextIO


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Columns padded to their widest cell; `(none)` for no rows."""
    cells = [[cell(value) for value in row] for row in rows]
    if not cells:
        return "(none)"
    widths = [max(len(header), *(len(row[index]) for row in cells)) for index, header in enumerate(headers)]
    lines = [[header.upper() for header in headers], *cells]
    return "\n".join("  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip() for line in lines)


def fields(pairs: Iterable[tuple[str, Any]]) -> str:
    """`name: value` lines, names aligned."""
    pairs = list(pairs)
    width = max((len(name) for name, _ in pairs), default=0)
    return "\n".join(f"{(name + ':').ljust(width + 1)} {cell(value)}" for name, value in pairs)


def size(count: int) -> str:
    """Bytes for people: 812 B, 12.3 kB, 13.1 MB."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count} B"


class ProgressBar:
    """One line, redrawn at most ten times a second: `[#####.....]  52% 6.8 MB/13.1 MB sent`.
    `unit(done, total)` says what is counted (bytes sent, people imported)."""

    def __init__(self, out: TextIO, unit: Callable[[int, int], str], width: int = 30):
        self._out, self._unit, self._width, self._drawn_at = out, unit, width, 0.0

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._drawn_at < 0.1:
            return
        self._drawn_at = now
        filled = self._width * done // max(total, 1)
        self._out.write(f"\r[{'#' * filled}{'.' * (self._width - filled)}] {100 * done // max(total, 1):3d}% "
                        f"{self._unit(done, total)}")
        if done >= total:
            self._out.write("\n")
        self._out.flush()
