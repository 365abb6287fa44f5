"""Bytes of an HR export -> validated rows, each with the physical line it starts on.

Problems that make the whole file unreadable (encoding, no header, missing columns, broken quoting)
raise HrFileError. Problems with one row are collected as RowError, so one dry run lists them all.
A row with any problem is left out of `rows`; the file as a whole is then refused by the plan.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from profiles.hr_import.mapping import ColumnMapping
from profiles.hr_import.values import DEFAULTS, FIELDS, PARSERS, CellError

_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DELIMITERS = (",", ";", "\t")


class HrFileError(Exception):
    """The file cannot be read at all; nothing in it is imported. `field` names our field when the
    problem is about one (e.g. its column is missing); `line` where the problem is, when known."""

    def __init__(self, message: str, field: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem on one row: the physical line the row starts on (the header is line 1), our
    field name (None for the row as a whole) and what to fix."""

    line: int
    field: str | None
    message: str


@dataclass(frozen=True, slots=True)
class HrRow:
    """One valid person from the file, normalized. `fields_in_file` are the fields the file's
    mapping carries; the others hold defaults and must not overwrite what an existing person has."""

    line: int
    employee_id: str
    name: str
    email: str
    time_zone: str
    title: str | None = None
    department: str | None = None
    location: str | None = None
    manager_employee_id: str | None = None
    languages: list[str] = field(default_factory=list)
    seniority_band: int | None = None
    skills: list[dict[str, str]] = field(default_factory=list)
    status: str = "active"
    fields_in_file: frozenset[str] = frozenset(FIELDS)

    def values(self) -> dict[str, Any]:
        """The fields the file carries, ready for register_person / change_person. Its lists are
        handed over as they are: the domain reads them into tuples of its own."""
        return {name: getattr(self, name) for name in _names_in_file(self.fields_in_file)}


@dataclass
class ParsedFile:
    """Valid rows in file order, row errors in line order, and the employee ids of rows refused for
    errors (still people in the file, so they are not reported again as unknown managers)."""

    rows: list[HrRow]
    errors: list[RowError]
    rejected_employee_ids: set[str]
    fields_in_file: frozenset[str]


def parse_hr_file(data: bytes, mapping: ColumnMapping) -> ParsedFile:
    """Parse a CSV export (UTF-8, with or without BOM; comma, semicolon or tab separated)."""
    text = _decode(data)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):  # blank lines before the header
            header = next(reader)
    except StopIteration:
        raise HrFileError("the file is empty") from None
    except csv.Error as error:
        raise HrFileError(f"line {reader.line_num}: the header cannot be read as CSV ({error})",
                          line=reader.line_num) from None
    header_line = reader.line_num
    specs = _column_positions(header, header_line, mapping)
    provided = frozenset(name for name, _, _ in specs)
    missing_defaults = {name: value for name, value in DEFAULTS.items() if name not in provided}
    width = len(header)

    rows: list[HrRow] = []
    errors: list[RowError] = []
    rejected: set[str] = set()
    first_line: dict[str, int] = {}
    end_of_previous = header_line
    try:
        for record in reader:
            line, end_of_previous = end_of_previous + 1, reader.line_num
            if not "".join(record).strip():
                continue  # blank line, or a line of empty cells (one C call: a row has 20 cells)
            if len(record) != width and (len(record) < width or any(c.strip() for c in record[width:])):
                errors.append(RowError(line, None, f"the row has {len(record)} cells where the header has {width}; "
                                                   f"check for an unquoted separator or a missing cell"))
                continue
            parsed: dict[str, Any] = {}
            row_errors: list[RowError] = []
            for name, parser, positions in specs:
                cell = record[positions[0]] if len(positions) == 1 else " ".join(record[i] for i in positions)
                try:
                    parsed[name] = parser(cell)
                except CellError as error:
                    row_errors.append(RowError(line, name, str(error)))
            employee_id = parsed.get("employee_id")
            if employee_id is not None:
                if employee_id in first_line:
                    row_errors.insert(0, RowError(line, "employee_id", f"employee id {employee_id} already appears "
                                                                       f"on line {first_line[employee_id]}"))
                else:
                    first_line[employee_id] = line
            if row_errors:
                errors.extend(row_errors)
                if employee_id is not None:
                    rejected.add(employee_id)
                continue
            for name, default in missing_defaults.items():
                parsed[name] = _copy(default)
            rows.append(HrRow(line=line, fields_in_file=provided, **parsed))
    except csv.Error as error:
        line = reader.line_num
        raise HrFileError(f"line {line}: the file cannot be read as CSV ({error}); check for an unclosed quote",
                          line=line) from None
    rejected.difference_update(row.employee_id for row in rows)
    return ParsedFile(rows=rows, errors=errors, rejected_employee_ids=rejected, fields_in_file=provided)


def _decode(data: bytes) -> str:
    if data.startswith(_UTF16_BOMS):
        raise HrFileError("the file is UTF-16 text; export it as UTF-8")
    skipped = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + skipped
        line = data.count(b"\n", 0, offset) + 1
        raise HrFileError(f"the file is not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset}, line {line}); "
                          f"export it as UTF-8", line=line) from None
    if not text.strip():
        raise HrFileError("the file is empty")
    return text


def _delimiter(text: str) -> str:
    """The separator the header line uses most: Excel in many locales writes ';', some tools tabs."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    first_line = text[start:end if end >= 0 else len(text)]
    counts = {delimiter: first_line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])  # ties go to ","
    return best if counts[best] else ","


def _header_key(header: str) -> str:
    return " ".join(header.split()).casefold()


def _column_positions(header: list[str], header_line: int,
                      mapping: ColumnMapping) -> list[tuple[str, Any, tuple[int, ...]]]:
    """(field, parser, column positions) for each mapped field; raises naming every missing column."""
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        positions.setdefault(_header_key(name), []).append(index)
    specs, missing, columns = [], [], mapping.columns()
    for name, headers in columns.items():
        found = []
        for column in headers:
            at = positions.get(_header_key(column))
            if not at:
                missing.append((name, column))
            elif len(at) > 1:
                raise HrFileError(f"the header on line {header_line} has the column {column!r} more than once "
                                  f"(columns {', '.join(str(i + 1) for i in at)}); which one holds {name} is "
                                  f"ambiguous", field=name, line=header_line)
            else:
                found.append(at[0])
        specs.append((name, PARSERS[name], tuple(found)))
    if missing:
        wanted = sum(len(headers) for headers in columns.values())
        listed = ", ".join(f"{column!r} ({name})" for name, column in missing)
        if len(missing) == wanted:
            raise HrFileError(f"line {header_line} is not a header with the mapped columns: none of {listed} is there; "
                              f"the file needs a header row naming its columns, or another column mapping",
                              field=missing[0][0], line=header_line)
        raise HrFileError(f"the header on line {header_line} lacks the column(s) {listed}",
                          field=missing[0][0], line=header_line)
    return specs


@lru_cache(maxsize=64)
def _names_in_file(fields_in_file: frozenset[str]) -> tuple[str, ...]:
    """FIELDS that a file's mapping carries, in FIELDS' order (the same for every row of a file)."""
    return tuple(name for name in FIELDS if name in fields_in_file)


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return [dict(item) if isinstance(item, dict) else item for item in value]
    return value


__all__ = ["HrFileError", "HrRow", "ParsedFile", "RowError", "parse_hr_file"]
