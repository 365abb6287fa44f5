"""What `mentoring admin` prints for people: tables that name what their ids point at, and the
lines around them.

On a terminal a table is drawn by rich: a person, program or cohort shows its name, with its id
beneath. Anywhere else (a pipe, a file, a script's grep) it is plain columns, one row a line:
every id in its column as before, and the names in columns of their own at the end of the row
(`mentee name`, `mentor name`), so `awk '{print $1}'` still reads the ids."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from mentoring_shared.progress import is_terminal


@dataclass(frozen=True)
class Named:
    """An id and what it names (None when unknown: erased, not visible to this token)."""

    id: str | None
    name: str | None

    def __str__(self) -> str:
        return f"{cell(self.id)} ({self.name})" if self.name else cell(self.id)


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


class Table:
    """Rows under headers; a cell may be a Named."""

    def __init__(self, headers: Sequence[str], rows: Iterable[Sequence[Any]]):
        self.headers = list(headers)
        self.rows = [list(row) for row in rows]

    def named_columns(self) -> list[int]:
        return [index for index in range(len(self.headers))
                if any(isinstance(row[index], Named) for row in self.rows)]

    def plain(self) -> str:
        """Columns padded to their widest cell, headers in capitals; `(none)` for no rows."""
        if not self.rows:
            return "(none)"
        named = self.named_columns()
        headers = [*self.headers, *(f"{self.headers[index]} name" for index in named)]
        cells = [[cell(value.id if isinstance(value, Named) else value) for value in row]
                 + [cell(row[index].name if isinstance(row[index], Named) else None) for index in named]
                 for row in self.rows]
        widths = [max(len(header), *(len(row[index]) for row in cells)) for index, header in enumerate(headers)]
        lines = [[header.upper() for header in headers], *cells]
        return "\n".join("  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip() for line in lines)

    def rich(self):
        """A rich table: a Named cell shows the name, its id dim beneath."""
        from rich import box
        from rich.table import Table as RichTable
        from rich.text import Text

        if not self.rows:
            return Text("(none)")
        drawn = RichTable(box=box.SIMPLE_HEAD, header_style="bold")
        for header in self.headers:
            drawn.add_column(header)
        for row in self.rows:
            drawn.add_row(*(_rich_cell(value) for value in row))
        return drawn

    def __str__(self) -> str:
        return self.plain()


def _rich_cell(value: Any):
    from rich.text import Text

    # Text, not str: a cell's brackets are never taken for markup. An id too wide for the terminal
    # folds onto the next line rather than losing its end: it is there to be copied.
    if isinstance(value, Named):
        if not value.name:
            return Text(cell(value.id), overflow="fold")
        return Text.assemble((value.name, "bold"), "\n", (cell(value.id), "dim"), overflow="fold")
    return Text(cell(value), overflow="fold")


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    return Table(headers, rows)


class Document(list):
    """What a command prints: lines of text and tables, in order. str() is its plain form."""

    def __str__(self) -> str:
        return "\n".join(str(part) for part in self)


def show(document: Document | str | Table, out: TextIO | None = None, terminal: bool | None = None) -> None:
    """Print a document: rich tables on a terminal, plain text anywhere else."""
    out = out or sys.stdout
    parts = document if isinstance(document, list) else [document]
    if not (is_terminal(out) if terminal is None else terminal):
        out.write(f"{Document(parts)}\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, force_terminal=True, highlight=False)
    for part in parts:
        console.print(part.rich() if isinstance(part, Table) else Text(str(part)))


def fields(pairs: Iterable[tuple[str, Any]]) -> str:
    """`name: value` lines, names aligned; a Named value is `id (name)`."""
    pairs = list(pairs)
    width = max((len(name) for name, _ in pairs), default=0)
    return "\n".join(f"{(name + ':').ljust(width + 1)} {cell(value) if not isinstance(value, Named) else value}"
                     for name, value in pairs)


def size(count: int) -> str:
    """Bytes for people: 812 B, 12.3 kB, 13.1 MB."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count} B"


def as_json(data: Any) -> str:
    """What `--json` prints: indented, non-ASCII as is."""
    return json.dumps(data, indent=2, ensure_ascii=False)
