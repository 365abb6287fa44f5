"""A report (from report.py) as CSV: one row per group, then the total. RFC 4180: comma
separated, CRLF line ends, fields quoted when they hold a comma, quote or line break, quotes
doubled. Withheld figures are empty cells and the `withheld` column says why.

Spreadsheet formula injection: a text cell (a program's name, an id) that begins with = + - @, a
tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it as text instead of
running it. Numbers are written by this module, never by users, and keep their sign."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from feedback.reports.privacy import withheld_notes

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS: list[tuple[str, Any]] = [
    ("group", lambda g: g["kind"]),
    ("group_id", lambda g: g["id"]),
    ("program_id", lambda g: g["program_id"]),
    ("program_name", lambda g: g["program_name"]),
    ("privacy_threshold", lambda g: g["privacy_threshold"]),
    ("pairs", lambda g: g["participation"]["pairs"]),
    ("active_pairs", lambda g: g["participation"]["active_pairs"]),
    ("ended_pairs", lambda g: g["participation"]["ended_pairs"]),
    ("mentees", lambda g: g["participation"]["mentees"]),
    ("mentors", lambda g: g["participation"]["mentors"]),
    ("sessions_completed", lambda g: g["sessions"]["completed"]),
    ("sessions_cancelled", lambda g: g["sessions"]["cancelled"]),
    ("sessions_no_show", lambda g: g["sessions"]["no_show"]),
    ("sessions_scheduled", lambda g: g["sessions"]["scheduled"]),
    ("session_completion_rate", lambda g: g["sessions"]["completion_rate"]),
    ("mentoring_hours", lambda g: g["mentoring_hours"]),
    ("pairs_at_risk", lambda g: g["pairs_at_risk"]),
    ("goals", lambda g: g["goals"]["total"]),
    ("goals_achieved", lambda g: g["goals"]["achieved"]),
    ("goals_dropped", lambda g: g["goals"]["dropped"]),
    ("feedback_requests_due", lambda g: g["response_rate"]["due"]),
    ("feedback_requests_answered", lambda g: g["response_rate"]["answered"]),
    ("feedback_response_rate", lambda g: g["response_rate"]["value"]),
    ("response_rate_respondents", lambda g: g["response_rate"]["respondents"]),
    ("average_rating", lambda g: g["average_rating"]["value"]),
    ("rating_respondents", lambda g: g["average_rating"]["respondents"]),
    ("nps", lambda g: g["nps"]["value"]),
    ("nps_respondents", lambda g: g["nps"]["respondents"]),
    ("withheld", withheld_notes),
]


def safe_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows(report: dict[str, Any]) -> Iterable[list[Any]]:
    yield [name for name, _ in COLUMNS]
    groups = list(report["groups"]) + ([report["total"]] if report.get("total") else [])
    for group in groups:
        yield [safe_cell(cell(group)) for _, cell in COLUMNS]


def report_csv(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect="excel", lineterminator="\r\n")  # excel = RFC 4180 quoting
    writer.writerows(rows(report))
    return buffer.getvalue()
