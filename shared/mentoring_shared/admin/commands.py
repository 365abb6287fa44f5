"""The `mentoring admin` subcommands: each turns its arguments into calls of the public HTTP APIs
and renders the answer, as a table for people or as JSON (`--json`) for scripts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from mentoring_shared.admin.output import ProgressBar, fields, size, table
from mentoring_shared.admin.person_export import gather_person_export, write_privately

if TYPE_CHECKING:
    from mentoring_shared.admin.client import PlatformClient

DEFAULT_TIMEOUT_S = 120.0  # a whole-cohort matching run or a large HR import takes a while

ADMIN_DESCRIPTION = """\
Program and operations chores through the services' public HTTP APIs (never their databases),
as the bearer token's tenant and role (org_admin or program_manager).

  mentoring admin import-people FILE --preset workday [--dry-run]   HR export, via profiles
  mentoring admin cohort list|show|move|open|start-matching|activate|close|finish|archive
  mentoring admin matching run COHORT_ID | show RUN_ID | approve RUN_ID
  mentoring admin pairs health COHORT_ID [--at-risk]
  mentoring admin report COHORT_ID [--csv]
  mentoring admin person export PERSON_ID [--output FILE]   all four services' data on a person

Where the services answer: --gateway URL or MENTORING_GATEWAY_URL (one gateway, /profiles,
/matching, /scheduling and /feedback prefixes), else MENTORING_<SERVICE>_URL per service, else
http://127.0.0.1:8001 to 8004. The token: --token or MENTORING_TOKEN (`mentoring token` mints one).

Output: tables, or JSON with --json. Exit status: 0 done, 1 the API refused (its problem is
shown), 2 a usage error, 3 a service cannot be reached (its URL is named).

Operations commands beside these, which work on the broker and the databases directly:
`mentoring replay-dead-letters TOPIC` republishes dead letters, `mentoring token` mints tokens."""

# Shortcuts for the usual lifecycle steps; `cohort move` takes any status (the API says which
# moves are allowed from where).
COHORT_STEPS = {
    "open": ("enrolling", "open enrollment (draft -> enrolling)"),
    "start-matching": ("matching", "close enrollment so matching can run (enrolling -> matching)"),
    "activate": ("active", "start the program once pairs are approved (matching -> active)"),
    "close": ("closing", "begin winding the cohort down (active -> closing)"),
    "finish": ("closed", "close the cohort; its matches end (closing -> closed)"),
    "archive": ("archived", "archive a draft or closed cohort"),
}

HEALTH_WORDS = {"on_track": "on track", "needs_check_in": "needing a check-in", "at_risk": "at risk"}


# --- import -----------------------------------------------------------------------------------

def import_people(client: PlatformClient, args) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
        mapping = Path(args.mapping).read_text() if args.mapping else None
    except OSError as error:
        raise ValueError(f"cannot read {error.filename}: {error.strerror}") from None
    form: dict[str, Any] = {"file": (path.name, data, "text/csv"), "dry_run": "true" if args.dry_run else "false"}
    form.update({"preset": args.preset} if args.preset else {"mapping": mapping})
    bar = ProgressBar(sys.stderr, lambda sent, total: f"{size(sent)} of {size(total)} sent")

    def progress(sent: int, total: int) -> None:
        bar.update(sent, total)
        if sent >= total:  # the file is checked and applied before the answer comes
            print("profiles is checking the file...", file=sys.stderr, flush=True)

    report = client.upload("profiles", "/v1/hr-imports", form, progress)
    if args.json:
        print(_json(report))
    else:
        counts = report["summary"]
        summary = ", ".join(f"{counts[name]:,} {name}" for name in sorted(counts, key=_summary_order))
        verdict = ("dry run, nothing written" if report["dry_run"]
                   else "imported" if report["applied"] else "NOTHING imported")
        print(f"{verdict}: {summary}")
        for error in report["errors"]:
            print(f"  line {error['line']}: {error['field'] or 'row'}: {error['message']}")
    return 1 if report["errors"] else 0


def _summary_order(name: str) -> tuple[int, str]:
    """The order `mentoring import-people` prints; JSON objects arrive with their keys sorted."""
    known = ("creates", "updates", "moves", "deactivations", "unchanged", "errors")
    return (known.index(name) if name in known else len(known), name)


# --- cohorts ----------------------------------------------------------------------------------

def list_cohorts(client: PlatformClient, args) -> int:
    cohorts = list(client.pages("profiles", "/v1/cohorts", {"program_id": args.program, "status": args.status}))
    _emit(args, cohorts, lambda _: table(
        ("id", "name", "status", "program", "starts on"),
        [(c["id"], c["name"], c["status"], c["program_id"], c.get("starts_on")) for c in cohorts]))
    return 0


def show_cohort(client: PlatformClient, args) -> int:
    _emit(args, client.get("profiles", f"/v1/cohorts/{args.cohort_id}"), _render_cohort)
    return 0


def move_cohort(client: PlatformClient, args, status: str | None = None) -> int:
    cohort = client.post("profiles", f"/v1/cohorts/{args.cohort_id}/status", {"status": status or args.status})
    _emit(args, cohort, lambda _: f"cohort {cohort['id']} ({cohort['name']}) is now {cohort['status']}")
    return 0


def _render_cohort(cohort: dict) -> str:
    return fields([("cohort", cohort["id"]), ("name", cohort["name"]), ("status", cohort["status"]),
                   ("program", cohort["program_id"]), ("starts on", cohort.get("starts_on")),
                   ("ends on", cohort.get("ends_on")), ("version", cohort.get("version"))])


# --- matching ---------------------------------------------------------------------------------

def run_matching(client: PlatformClient, args) -> int:
    body = {"pinned_pairs": [_pair(text) for text in args.pin],
            "forbidden_pairs": [_pair(text) for text in args.forbid]}
    return _show_run(client, args, client.post("matching", f"/v1/cohorts/{args.cohort_id}/matching-runs", body))


def show_matching_run(client: PlatformClient, args) -> int:
    return _show_run(client, args, client.get("matching", f"/v1/matching-runs/{args.run_id}"))


def approve_matching_run(client: PlatformClient, args) -> int:
    run = client.post("matching", f"/v1/matching-runs/{args.run_id}/approval")
    _emit(args, run, lambda _: f"run {run['id']} approved: {run['summary']['pairs']} pair(s) confirmed as matches "
                             f"of cohort {run['cohort_id']}")
    return 0


def _pair(text: str) -> dict[str, str]:
    mentee, _, mentor = text.partition(":")
    if not mentee or not mentor:
        raise ValueError(f"a pair is MENTEE_ID:MENTOR_ID, not {text!r}")
    return {"mentee_id": mentee, "mentor_id": mentor}


def _show_run(client: PlatformClient, args, run: dict) -> int:
    pairs = list(client.pages("matching", f"/v1/matching-runs/{run['id']}/pairs"))
    if args.json:
        print(_json({"run": run, "pairs": pairs}))
        return 0
    summary = run["summary"]
    spread = summary.get("distribution") or {}
    proof = summary.get("proof") or {}
    print(fields([
        ("run", run["id"]), ("cohort", run["cohort_id"]), ("status", run["status"]),
        ("pairs", f"{summary['pairs']} ({summary.get('pinned', 0)} pinned) from {summary['mentees']} mentee(s) "
                  f"and {summary['mentors']} mentor(s)"),
        ("total score", summary.get("total_score")),
        ("scores", "-" if spread.get("mean") is None else
         f"mean {spread['mean']:.2f}, p10 {spread['p10']:.2f}, p50 {spread['p50']:.2f}, p90 {spread['p90']:.2f}"),
        ("optimal", f"{'proven' if proof.get('proven') else 'not proven'} ({proof.get('rounds', 0)} round(s))"),
    ]))
    print("\nPairs")
    print(table(("mentee", "mentor", "score", "pinned", "strongest factor"),
                [(p["mentee_id"], p["mentor_id"], p["score"], p["pinned"], _strongest(p["factors"])) for p in pairs]))
    print("\nUnmatched mentees")
    print(table(("mentee", "mentors missing", "reason", "detail"),
                [(u["mentee_id"], u.get("missing"), u.get("reason"), u.get("detail"))
                 for u in summary.get("unmatched", [])]))
    if summary.get("skipped"):
        print("\nLeft out of the run")
        print(table(("person", "role", "reason"),
                    [(s["person_id"], s["role"], s["reason"]) for s in summary["skipped"]]))
    if run["status"] == "proposed":
        print(f"\nA dry run: nothing is confirmed. Approve with `mentoring admin matching approve {run['id']}`.")
    return 0


def _strongest(factors: list[dict]) -> str:
    if not factors:
        return "-"
    best = max(factors, key=lambda factor: factor.get("contribution") or 0)
    return f"{best['name']} ({best['detail']})"


# --- feedback ---------------------------------------------------------------------------------

def pair_health(client: PlatformClient, args) -> int:
    pairs = list(client.pages("feedback", f"/v1/cohorts/{args.cohort_id}/pairs",
                              {"health": "at_risk" if args.at_risk else None}))
    _emit(args, pairs, _render_pairs)
    return 0


def _render_pairs(pairs: list[dict]) -> str:
    rows = table(("match", "mentee", "mentor", "health", "reasons", "evaluated at"),
                 [(p["match_id"], p["mentee_id"], p["mentor_id"], HEALTH_WORDS.get(p["health"], p["health"]),
                   "; ".join(reason["text"] for reason in p.get("reasons", [])) or "-", p.get("evaluated_at"))
                  for p in pairs])
    counts = {health: sum(p["health"] == health for p in pairs) for health in {p["health"] for p in pairs}}
    tally = ", ".join(f"{count} {HEALTH_WORDS.get(health, health)}" for health, count in sorted(counts.items()))
    return f"{rows}\n\n{len(pairs)} pair(s){': ' + tally if tally else ''}"


def cohort_report(client: PlatformClient, args) -> int:
    path = f"/v1/cohorts/{args.cohort_id}/report"
    if args.csv:
        if args.json:
            raise ValueError("--csv and --json exclude each other")
        sys.stdout.write(client.get_text("feedback", path, {"format": "csv"}))
        return 0
    _emit(args, client.get("feedback", path), render_report)
    return 0


def render_report(report: dict) -> str:
    head = (f"{report['report']} report, generated {report['generated_at']}; answer-based figures need "
            f"{report['privacy_threshold']} respondents")
    groups = [*report["groups"], *([report["total"]] if report.get("total") else [])]
    return "\n\n".join([head, *(_render_group(group) for group in groups)])


def _render_group(group: dict) -> str:
    people, sessions, goals = group["participation"], group["sessions"], group["goals"]
    return "\n".join([
        f"{group['kind']} {group['id'] or ''} (program {group.get('program_name') or group.get('program_id')})".strip(),
        table(("figure", "value"), [
            ("pairs", f"{people['pairs']} ({people['active_pairs']} active, {people['ended_pairs']} ended)"),
            ("mentees / mentors", f"{people['mentees']} / {people['mentors']}"),
            ("sessions", f"{sessions['completed']} completed, {sessions['cancelled']} cancelled, "
                         f"{sessions['no_show']} no-show, {sessions['scheduled']} scheduled"),
            ("session completion", _percent(sessions["completion_rate"])),
            ("mentoring hours", f"{group['mentoring_hours']:.1f}"),
            ("pairs at risk", group["pairs_at_risk"]),
            ("goals achieved", f"{goals['achieved']} of {goals['total']}"),
            ("response rate", _answer_figure(group["response_rate"], _percent)),
            ("average rating", _answer_figure(group["average_rating"], lambda value: f"{value:.2f} of 5")),
            ("NPS", _answer_figure(group["nps"], lambda value: f"{value:+.0f}")),
        ])])


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _answer_figure(figure: dict, render: Callable[[float], str]) -> str:
    if figure.get("withheld"):
        return f"withheld: {figure['withheld']}"
    return "-" if figure.get("value") is None else f"{render(figure['value'])} ({figure['respondents']} respondents)"


# --- people ----------------------------------------------------------------------------------

def export_person(client: PlatformClient, args) -> int:
    document = _json(gather_person_export(client, args.person_id))
    if not args.output:
        print(document)
        return 0
    try:
        write_privately(Path(args.output), document + "\n")
    except OSError as error:
        raise ValueError(f"cannot write {args.output}: {error.strerror}") from None
    print(f"person {args.person_id}: profiles, matching, scheduling and feedback exported to {args.output}")
    return 0


# --- plumbing ---------------------------------------------------------------------------------

def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _emit(args, data: Any, render: Callable[[Any], str]) -> None:
    """JSON for scripts (--json), else the rendering for people."""
    print(_json(data) if args.json else render(data))


def dispatch(action: Callable[..., int], args) -> int:
    """Build the client from the options, run the command, and turn an API's refusal or an
    unreachable service into a message and its exit status."""
    # Imported here: `requests` loads for admin commands only, not for the service processes.
    from mentoring_shared.admin.client import AdminError, PlatformClient, bearer_token, service_urls

    client = PlatformClient(service_urls(args.gateway), bearer_token(args.token), args.timeout)
    try:
        return action(client, args)
    except AdminError as error:
        problem = getattr(error, "problem", None)
        if args.json and problem:
            print(_json(problem))
        print(f"{args.prog}: {error}", file=sys.stderr)
        return error.exit_code


def add_admin_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """`mentoring admin ...` and its subcommands, each with --help."""
    common = argparse.ArgumentParser(add_help=False)
    options = common.add_argument_group("connection and output")
    options.add_argument("--token", help="bearer token (default: $MENTORING_TOKEN)")
    options.add_argument("--gateway", metavar="URL",
                         help="one gateway for every service (default: $MENTORING_GATEWAY_URL, else "
                              "$MENTORING_<SERVICE>_URL, else http://127.0.0.1:800N)")
    options.add_argument("--json", action="store_true", help="print the API's JSON instead of tables")
    options.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                         help="how long to wait for an answer (default %(default).0f)")

    admin = commands.add_parser("admin", help="program and ops chores through the public HTTP APIs",
                                description=ADMIN_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="COMMAND")

    def command(group, name: str, action: Callable[..., int], help_text: str) -> argparse.ArgumentParser:
        parser = group.add_parser(name, help=help_text, description=help_text, parents=[common])
        parser.set_defaults(run=lambda args: dispatch(action, args), prog=parser.prog)
        return parser

    def group(name: str, help_text: str) -> argparse._SubParsersAction:
        parser = admin_commands.add_parser(name, help=help_text, description=help_text)
        return parser.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND")

    importing = command(admin_commands, "import-people", import_people,
                        "import an HR export through profiles' /v1/hr-imports: all of it or, if any row "
                        "has an error, none of it (every problem is listed with its line)")
    importing.add_argument("file", help="the HR export, UTF-8 CSV")
    mapping = importing.add_mutually_exclusive_group(required=True)
    mapping.add_argument("--preset", choices=["workday", "bamboohr"], help="the vendor's column names")
    mapping.add_argument("--mapping", metavar="M.json", help="a JSON file: our field -> the file's column header")
    importing.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")

    cohort = group("cohort", "list cohorts, show one, move one through its lifecycle "
                             "(draft, enrolling, matching, active, closing, closed, archived)")
    listing = command(cohort, "list", list_cohorts, "list cohorts (every page)")
    listing.add_argument("--program", metavar="PROGRAM_ID", help="only this program's cohorts")
    listing.add_argument("--status", help="only cohorts in this status")
    command(cohort, "show", show_cohort, "show one cohort and its status").add_argument("cohort_id")
    moving = command(cohort, "move", move_cohort,
                     "move a cohort to any status; a move not allowed from its status is refused with the allowed ones")
    moving.add_argument("cohort_id")
    moving.add_argument("status", help="draft, enrolling, matching, active, closing, closed or archived")
    for name, (status, help_text) in COHORT_STEPS.items():
        command(cohort, name, lambda client, args, status=status: move_cohort(client, args, status),
                help_text).add_argument("cohort_id")

    matching = group("matching", "propose a cohort's pairs (a dry run), review the proposal, approve it")
    running = command(matching, "run", run_matching,
                      "run matching over a cohort in `matching` status: a proposal to review, nothing confirmed")
    running.add_argument("cohort_id")
    running.add_argument("--pin", action="append", default=[], metavar="MENTEE_ID:MENTOR_ID",
                         help="a pair the proposal must contain (repeatable)")
    running.add_argument("--forbid", action="append", default=[], metavar="MENTEE_ID:MENTOR_ID",
                         help="a pair the proposal must not contain (repeatable)")
    command(matching, "show", show_matching_run, "show a matching run: its summary, pairs and unmatched "
                                                 "mentees").add_argument("run_id")
    command(matching, "approve", approve_matching_run,
            "approve a run's proposal: every pair becomes a confirmed match").add_argument("run_id")

    pairs = group("pairs", "how a cohort's pairs are doing")
    health = command(pairs, "health", pair_health,
                     "each pair's health (on track, needing a check-in, at risk) with its reasons")
    health.add_argument("cohort_id")
    health.add_argument("--at-risk", action="store_true", help="only pairs at risk")

    report = command(admin_commands, "report", cohort_report,
                     "a cohort's program report: participation, sessions, hours, response rate, rating, NPS, "
                     "goals (answer-based figures are withheld below the program's privacy threshold)")
    report.add_argument("cohort_id")
    report.add_argument("--csv", action="store_true", help="the report as CSV, as the API renders it")

    person = group("person", "a person's rights over their data")
    exporting = command(person, "export", export_person,
                        "everything the four services hold about a person (their right of access), as one JSON "
                        "document; org_admin only. A service that cannot be reached fails the export: it is "
                        "never partial")
    exporting.add_argument("person_id")
    exporting.add_argument("--output", metavar="FILE", help="write the document to FILE, readable by you only "
                                                            "(default: standard output)")
    return admin
