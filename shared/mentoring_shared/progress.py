"""Progress of long work (an HR import, a republish), for a person at a terminal and for a log.

On a terminal, rich draws live bars in place. Anywhere else (a pipe, a file, a CI log) a bar would
be a stream of carriage returns, so each count prints a plain line when it passes a tenth of the
way and when it ends, e.g. `profiles:  50% 3/6 events`: a log shows the work moving, in at most
eleven lines per count. `waiting()` covers work whose end is all that can be seen (a server busy
with a request): a spinner with the time so far, or a line when it starts and one when it ends."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

Unit = Callable[[int, int], str]  # (done, total) -> what is counted, e.g. "6.8 MB of 13.1 MB sent"


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream is not a terminal
        return False


def counted(noun: str) -> Unit:
    """`3/6 events`: the default way to say what is counted."""
    return lambda done, total: f"{done:,}/{total:,} {noun}".rstrip()


COUNTED = counted("")  # `3/6`


def percent(done: int, total: int) -> int:
    return 100 if total <= 0 else min(100, 100 * done // total)


@dataclass
class _Count:
    name: str
    total: int
    unit: Unit
    done: int = 0
    tenth_shown: int = -1  # plain lines: the last tenth printed
    task: Any = None       # terminal: the rich task id


class Progress:
    """Named counts (one per service, say), each with its total. Use as a context manager, or call
    close(); a count that reaches its total prints its last line at once."""

    def __init__(self, out: TextIO | None = None, terminal: bool | None = None):
        self.out = out or sys.stderr
        self.terminal = is_terminal(self.out) if terminal is None else terminal
        self._counts: dict[str, _Count] = {}
        self._bars = None  # rich.progress.Progress while drawn

    def add(self, name: str, total: int, unit: Unit = COUNTED) -> None:
        count = self._counts[name] = _Count(name, total, unit)
        if self.terminal:
            count.task = self._live().add_task(name, total=max(total, 1), unit=unit(0, total))

    def update(self, name: str, done: int, total: int | None = None) -> None:
        count = self._counts[name]
        count.done, count.total = done, count.total if total is None else total
        if self.terminal:
            self._live().update(count.task, completed=done if count.total else 1, total=max(count.total, 1),
                                unit=count.unit(done, count.total))
            if all(c.done >= c.total for c in self._counts.values()):
                self.close()
            return
        tenth = percent(done, count.total) // 10
        if tenth > count.tenth_shown and (done > 0 or count.total == 0):
            count.tenth_shown = tenth
            label = f"{name}: " if name else ""
            self.out.write(f"{label}{percent(done, count.total):3d}% {count.unit(done, count.total)}\n")
            self.out.flush()

    def close(self) -> None:
        if self._bars is not None:
            self._bars.stop()
            self._bars = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _live(self):
        if self._bars is None:
            from rich.console import Console
            from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bars

            self._bars = Bars(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                              TextColumn("{task.fields[unit]}"), TimeElapsedColumn(),
                              console=Console(file=self.out, force_terminal=True))
            self._bars.start()
        return self._bars


class ProgressBar:
    """One count with no name: `ProgressBar(sys.stderr, counted("people")).update(done, total)`."""

    def __init__(self, out: TextIO, unit: Unit, terminal: bool | None = None):
        self._progress = Progress(out, terminal)
        self._unit = unit

    def update(self, done: int, total: int) -> None:
        if "" not in self._progress._counts:
            self._progress.add("", total, self._unit)
        self._progress.update("", done, total)
        if done >= total:
            self._progress.close()


@contextmanager
def waiting(description: str, out: TextIO | None = None, terminal: bool | None = None) -> Iterator[None]:
    """Work whose progress cannot be seen, only its end: on a terminal a spinner with the time so
    far; elsewhere `description...` when it starts and `description: done in 2.1 s` when it ends."""
    out = out or sys.stderr
    started = time.monotonic()
    if is_terminal(out) if terminal is None else terminal:
        from rich.console import Console
        from rich.progress import Progress as Bars
        from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

        with Bars(SpinnerColumn(), TextColumn("{task.description}..."), TimeElapsedColumn(), transient=True,
                  console=Console(file=out, force_terminal=True)) as spinner:
            spinner.add_task(description, total=None)
            yield
        out.write(f"{description}: done in {time.monotonic() - started:.1f} s\n")
        return
    out.write(f"{description}...\n")
    out.flush()
    yield
    out.write(f"{description}: done in {time.monotonic() - started:.1f} s\n")
    out.flush()
