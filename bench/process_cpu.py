"""CPU time of a benchmark's processes, read from /proc: where a pipeline's work goes."""

from __future__ import annotations

import os
from pathlib import Path

TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command name, CPU seconds so far: user + system) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / TICKS_PER_S)
    return found


def cpu_seconds(groups: dict[str, list[int]], by_name: dict[str, str] | None = None,
                alone: dict[str, int] | None = None) -> dict[str, float]:
    """CPU seconds used so far by each group: the processes listed and all their descendants; for
    `by_name` (group -> command name) every process of that name (e.g. PostgreSQL's backends); for
    `alone` (group -> pid) that process without its children."""
    processes = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    totals = {}
    for group, roots in groups.items():
        seen, stack = set(), [pid for pid in roots if pid in processes]
        while stack:
            pid = stack.pop()
            if pid not in seen:
                seen.add(pid)
                stack.extend(children.get(pid, []))
        totals[group] = sum(processes[pid][2] for pid in seen)
    for group, name in (by_name or {}).items():
        totals[group] = sum(seconds for _, command, seconds in processes.values() if command == name)
    for group, pid in (alone or {}).items():
        totals[group] = processes[pid][2] if pid in processes else 0.0
    return totals


def postgres_cpu_by_database(databases: dict[str, str]) -> dict[str, float]:
    """CPU seconds so far of PostgreSQL's backends, by group: each group names a database (its
    backends' process titles carry it: `postgres: 15/main: user database host(port) state`);
    the server's own processes (WAL writer, checkpointer, autovacuum, ...) are one more group."""
    group_of = {database: group for group, database in databases.items()}
    totals = dict.fromkeys([*databases, "PostgreSQL itself"], 0.0)
    for pid, (_, command, seconds) in _processes().items():
        if command != "postgres":
            continue
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        words = title.split(": ", 2)[-1].split()
        serves_a_client = len(words) >= 3 and "(" in words[2]  # user database host(port) ...
        if not serves_a_client:
            totals["PostgreSQL itself"] += seconds
        elif words[1] in group_of:  # backends of other databases count in neither
            totals[group_of[words[1]]] += seconds
    return totals


def per_event_us(before: dict[str, float], after: dict[str, float], events: int) -> dict[str, float]:
    return {group: (after[group] - before[group]) / events * 1e6 for group in after}


def stolen_seconds() -> float:
    """CPU time the hypervisor gave other guests while this machine wanted it (all cores, so far):
    the share of a measurement's wall time it grows by says how noisy the machine was."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    return int(fields[8]) / TICKS_PER_S if len(fields) > 8 else 0.0
