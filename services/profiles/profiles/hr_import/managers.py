"""The manager graph: each person points to at most one manager, so a loop is a cycle in a graph of
out-degree one. Found by walking each chain once (linear, iterative: chains can be 100k deep)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

_SHOWN = 6  # people named in a loop's description before it is cut short


def find_loops(starts: Iterable[str], manager_of: Callable[[str], str | None]) -> list[list[str]]:
    """Every loop reachable from `starts`, once each, as [a, manager of a, manager of that, ...]."""
    done: set[str] = set()
    loops: list[list[str]] = []
    for start in starts:
        if start in done:
            continue
        path: list[str] = []
        position: dict[str, int] = {}
        person: str | None = start
        while person is not None and person not in done and person not in position:
            position[person] = len(path)
            path.append(person)
            person = manager_of(person)
        if person is not None and person in position:
            loops.append(path[position[person]:])
        done.update(path)
    return loops


def describe_loop(loop: list[str], start: int) -> str:
    """The loop as seen from loop[start], e.g. "E1 -> E2 -> E3 -> E1" ("->" reads "reports to").
    Cut after a few people, so a 100k-person loop costs the same to describe on every row."""
    size = len(loop)
    shown = [loop[(start + step) % size] for step in range(min(size, _SHOWN))]
    if size <= _SHOWN:
        return f"manager chain loops: {' -> '.join(shown + [loop[start]])}"
    return (f"manager chain loops through {size} people: {' -> '.join(shown[:_SHOWN - 1])} -> ... -> "
            f"{loop[(start - 1) % size]} -> {loop[start]}")
