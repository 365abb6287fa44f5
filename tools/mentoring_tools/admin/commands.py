"""The `mentoring admin` subcommands: each turns its arguments into calls of the public HTTP APIs
and renders the answer, as tables for people (with the names behind the ids) or as JSON (`--json`)
for scripts."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import click

from mentoring_shared.command_line import MentoringCommand, MentoringGroup
from mentoring_tools.admin.hr_import import import_people
from mentoring_tools.admin.output import Document, as_json, fields, show, table
from mentoring_tools.admin.person_export import gather_person_export, write_privately

if TYPE_CHECKING:
    from mentoring_tools.admin.client import PlatformClient
    from mentoring_tools.admin.names import Names

DEFAULT_TIMEOUT_S = 120.0  # a whole-cohort matching run or a large HR import takes a while

ADMIN_DESCRIPTION = """\
Program and operations chores through the services' public HTTP APIs (never their databases),
as the bearer token's tenant and role (org_admin or program_manager).

\b
  mentoring admin import-people FILE --preset workday [--dry-run]   HR export, via profiles
  mentoring admin cohort list|show|move|open|start-matching|activate|close|finish|archive
  mentoring admin matching run COHORT_ID | show RUN_ID | approve RUN_ID
  mentoring admin pairs health COHORT_ID [--at-risk]
  mentoring admin report COHORT_ID [--csv]
  mentoring admin person export PERSON_ID [--output FILE]   all four services' data on a person

Where the services answer: --gateway URL or MENTORING_GATEWAY_URL (one gateway, /profiles,
/matching, /scheduling and /feedback prefixes), else MENTORING_<SERVICE>_URL per service, else
http://127.0.0.1:8001 to 8004. The token: --token or MENTORING_TOKEN (`mentoring token` mints one).

Output: tables (names beside ids; on a terminal drawn by rich, elsewhere plain columns with the
names last), or JSON with --json. Exit status: 0 done, 1 the API refused (its problem is shown),
2 a usage error, 3 a service cannot be reached (its URL is named).

\b
Operations commands beside these, which work on the broker and the databases directly:
`mentoring replay-dead-letters TOPIC` republishes dead letters,
`mentoring token` mints tokens."""

# Shortcuts for the usual lifecycle steps; `cohort move` takes any status (the API says which
# moves are allowed from where).
COHORT_STEPS = {
    "open": ("enrolling", "Open enrollment (draft -> enrolling)."),
    "start-matching": ("matching", "Close enrollment so matching can run (enrolling -> matching)."),
    "activate": ("active", "Start the program once pairs are approved (matching -> active)."),
    "close": ("closing", "Begin winding the cohort down (active -> closing)."),
    "finish": ("closed", "Close the cohort; its matches end (closing -> closed)."),
    "archive": ("archived", "Archive a draft or closed cohort."),
}

HEALTH_WORDS = {"on_track": "on track", "needs_check_in": "needing a check-in", "at_risk": "at risk"}


# --- import -----------------------------------------------------------------------------------

def _one_mapping(params: dict[str, Any]) -> None:
    if (params["preset"] is None) == (params["mapping"] is None):
        raise click.UsageError("give either --preset or --mapping (one of them)")


# --- cohorts ----------------------------------------------------------------------------------

def list_cohorts(client: PlatformClient, args) -> int:
    cohorts = list(client.pages("profiles", "/v1/cohorts", {"program_id": args.program, "status": args.status}))
    _emit(args, cohorts, lambda _, names: Document([table(
        ("id", "name", "status", "program", "starts on"),
        [(c["id"], c["name"], c["status"], names.program(c["program_id"]), c.get("starts_on")) for c in cohorts])]))
    return 0


def show_cohort(client: PlatformClient, args) -> int:
    _emit(args, client.get("profiles", f"/v1/cohorts/{args.cohort_id}"), _render_cohort)
    return 0


def move_cohort(client: PlatformClient, args, status: str | None = None) -> int:
    cohort = client.post("profiles", f"/v1/cohorts/{args.cohort_id}/status", {"status": status or args.status})
    _emit(args, cohort, lambda *_: f"cohort {cohort['id']} ({cohort['name']}) is now {cohort['status']}")
    return 0


def _render_cohort(cohort: dict, names: Names) -> str:
    return fields([("cohort", cohort["id"]), ("name", cohort["name"]), ("status", cohort["status"]),
                   ("program", names.program(cohort["program_id"])), ("starts on", cohort.get("starts_on")),
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
    _emit(args, run, lambda *_: f"run {run['id']} approved: {run['summary']['pairs']} pair(s) confirmed as matches "
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
        print(as_json({"run": run, "pairs": pairs}))
        return 0
    show(render_run(run, pairs, _names(client)))
    return 0


def render_run(run: dict, pairs: list[dict], names: Names) -> Document:
    summary = run["summary"]
    spread = summary.get("distribution") or {}
    proof = summary.get("proof") or {}
    unmatched, skipped = summary.get("unmatched", []), summary.get("skipped") or []
    names.people([p["mentee_id"] for p in pairs] + [p["mentor_id"] for p in pairs]
                 + [u["mentee_id"] for u in unmatched] + [s["person_id"] for s in skipped])
    document = Document([
        fields([
            ("run", run["id"]), ("cohort", names.cohort(run["cohort_id"])), ("status", run["status"]),
            ("pairs", f"{summary['pairs']} ({summary.get('pinned', 0)} pinned) from {summary['mentees']} mentee(s) "
                      f"and {summary['mentors']} mentor(s)"),
            ("total score", summary.get("total_score")),
            ("scores", "-" if spread.get("mean") is None else
             f"mean {spread['mean']:.2f}, p10 {spread['p10']:.2f}, p50 {spread['p50']:.2f}, p90 {spread['p90']:.2f}"),
            ("optimal", f"{'proven' if proof.get('proven') else 'not proven'} ({proof.get('rounds', 0)} round(s))"),
        ]),
        "", "Pairs",
        table(("mentee", "mentor", "score", "pinned", "strongest factor"),
              [(names.person(p["mentee_id"]), names.person(p["mentor_id"]), p["score"], p["pinned"],
                _strongest(p["factors"])) for p in pairs]),
        "", "Unmatched mentees",
        table(("mentee", "mentors missing", "reason", "detail"),
              [(names.person(u["mentee_id"]), u.get("missing"), u.get("reason"), u.get("detail")) for u in unmatched]),
    ])
    if skipped:
        document += ["", "Left out of the run",
                     table(("person", "role", "reason"),
                           [(names.person(s["person_id"]), s["role"], s["reason"]) for s in skipped])]
    if run["status"] == "proposed":
        document += ["", "A dry run: nothing is confirmed. "
                         f"Approve with `mentoring admin matching approve {run['id']}`."]
    return document


def _strongest(factors: list[dict]) -> str:
    if not factors:
        return "-"
    best = max(factors, key=lambda factor: factor.get("contribution") or 0)
    return f"{best['name']} ({best['detail']})"


# --- feedback ---------------------------------------------------------------------------------

def pair_health(client: PlatformClient, args) -> int:
    pairs = list(client.pages("feedback", f"/v1/cohorts/{args.cohort_id}/pairs",
                              {"health": "at_risk" if args.at_risk else None}))
    _emit(args, pairs, render_pairs)
    return 0


def render_pairs(pairs: list[dict], names: Names) -> Document:
    names.people([p["mentee_id"] for p in pairs] + [p["mentor_id"] for p in pairs])
    rows = table(("match", "mentee", "mentor", "health", "reasons", "evaluated at"),
                 [(p["match_id"], names.person(p["mentee_id"]), names.person(p["mentor_id"]),
                   HEALTH_WORDS.get(p["health"], p["health"]),
                   "; ".join(reason["text"] for reason in p.get("reasons", [])) or "-", p.get("evaluated_at"))
                  for p in pairs])
    counts = {health: sum(p["health"] == health for p in pairs) for health in {p["health"] for p in pairs}}
    tally = ", ".join(f"{count} {HEALTH_WORDS.get(health, health)}" for health, count in sorted(counts.items()))
    return Document([rows, "", f"{len(pairs)} pair(s){': ' + tally if tally else ''}"])


def cohort_report(client: PlatformClient, args) -> int:
    path = f"/v1/cohorts/{args.cohort_id}/report"
    if args.csv:
        if args.json:
            raise ValueError("--csv and --json exclude each other")
        sys.stdout.write(client.get_text("feedback", path, {"format": "csv"}))
        return 0
    _emit(args, client.get("feedback", path), lambda report, _names: render_report(report))
    return 0


def render_report(report: dict) -> Document:
    """The report's figures: a table per group (and the total); str() is its plain text."""
    document = Document([f"{report['report']} report, generated {report['generated_at']}; answer-based figures "
                         f"need {report['privacy_threshold']} respondents"])
    for group in [*report["groups"], *([report["total"]] if report.get("total") else [])]:
        document += ["", *_render_group(group)]
    return document


def _render_group(group: dict) -> list:
    people, sessions, goals = group["participation"], group["sessions"], group["goals"]
    return [
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
        ])]


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _answer_figure(figure: dict, render: Callable[[float], str]) -> str:
    if figure.get("withheld"):
        return f"withheld: {figure['withheld']}"
    return "-" if figure.get("value") is None else f"{render(figure['value'])} ({figure['respondents']} respondents)"


# --- people ----------------------------------------------------------------------------------

def export_person(client: PlatformClient, args) -> int:
    document = as_json(gather_person_export(client, args.person_id))
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

def _names(client: PlatformClient) -> Names:
    from mentoring_tools.admin.names import Names

    return Names(client)


def _emit(args, data: Any, render: Callable[[Any, Names], Any]) -> None:
    """JSON for scripts (--json), else the rendering for people (names are read only then)."""
    if args.json:
        print(as_json(data))
    else:
        show(render(data, _names(args.client)))


def dispatch(action: Callable[..., int], args) -> int:
    """Build the client from the options, run the command, and turn an API's refusal or an
    unreachable service into a message and its exit status."""
    # Imported here: `requests` loads when an admin command runs, not for `mentoring --help`.
    from mentoring_tools.admin.client import AdminError, PlatformClient, bearer_token, service_urls

    client = args.client = PlatformClient(service_urls(args.gateway), bearer_token(args.token), args.timeout)
    try:
        return action(client, args)
    except AdminError as error:
        problem = getattr(error, "problem", None)
        if args.json and problem:
            print(as_json(problem))
        print(f"{args.prog}: {error}", file=sys.stderr)
        return error.exit_code


# --- the command tree -------------------------------------------------------------------------

def _connection_options() -> list[click.Parameter]:
    return [
        click.Option(["--token"], help="Bearer token (default: $MENTORING_TOKEN)."),
        click.Option(["--gateway"], metavar="URL", help="One gateway for every service (default: "
                     "$MENTORING_GATEWAY_URL, else $MENTORING_<SERVICE>_URL, else http://127.0.0.1:800N)."),
        click.Option(["--json"], is_flag=True, help="Print the API's JSON instead of tables."),
        click.Option(["--timeout"], type=float, default=DEFAULT_TIMEOUT_S, show_default=True, metavar="SECONDS",
                     help="How long to wait for an answer."),
    ]


def _leaf(group: click.Group, name: str, action: Callable[..., int], help_text: str, *parameters: click.Parameter,
          check: Callable[[dict[str, Any]], None] | None = None) -> click.Command:
    """A command under `group` that runs `action(client, args)` with its parameters as `args`."""
    def callback(**params: Any) -> int:
        if check:
            check(params)
        return dispatch(action, SimpleNamespace(**params, prog=click.get_current_context().command_path))

    command = MentoringCommand(name, callback=callback, help=help_text, params=[*parameters, *_connection_options()])
    group.add_command(command)
    return command


@click.group(cls=MentoringGroup, help=ADMIN_DESCRIPTION)
def admin() -> None:
    pass


_leaf(admin, "import-people", import_people,
      "Import an HR export through profiles' /v1/hr-imports: all of it or, if any row has an error, none of it "
      "(every problem is listed with its line). Shows the upload's progress, then profiles' work until it answers.",
      click.Argument(["file"], type=click.Path(dir_okay=False)),
      click.Option(["--preset"], type=click.Choice(["workday", "bamboohr"]), help="The vendor's column names."),
      click.Option(["--mapping"], metavar="M.json", help="A JSON file: our field -> the file's column header."),
      click.Option(["--dry-run"], is_flag=True, help="Report what would change, write nothing."),
      check=_one_mapping)


@admin.group()
def cohort() -> None:
    """List cohorts, show one, move one through its lifecycle (draft, enrolling, matching, active,
    closing, closed, archived)."""


_leaf(cohort, "list", list_cohorts, "List cohorts (every page), with their programs' names.",
      click.Option(["--program"], metavar="PROGRAM_ID", help="Only this program's cohorts."),
      click.Option(["--status"], help="Only cohorts in this status."))
_leaf(cohort, "show", show_cohort, "Show one cohort and its status.", click.Argument(["cohort_id"]))
_leaf(cohort, "move", move_cohort,
      "Move a cohort to any STATUS (draft, enrolling, matching, active, closing, closed or archived); a move "
      "not allowed from its status is refused with the allowed ones.",
      click.Argument(["cohort_id"]),
      click.Argument(["status"]))  # not a Choice: the API says which statuses exist and which moves it allows
for _name, (_status, _help) in COHORT_STEPS.items():
    _leaf(cohort, _name, lambda client, args, status=_status: move_cohort(client, args, status), _help,
          click.Argument(["cohort_id"]))


@admin.group()
def matching() -> None:
    """Propose a cohort's pairs (a dry run), review the proposal, approve it."""


_leaf(matching, "run", run_matching,
      "Run matching over a cohort in `matching` status: a proposal to review, nothing confirmed.",
      click.Argument(["cohort_id"]),
      click.Option(["--pin"], multiple=True, metavar="MENTEE_ID:MENTOR_ID",
                   help="A pair the proposal must contain (repeatable)."),
      click.Option(["--forbid"], multiple=True, metavar="MENTEE_ID:MENTOR_ID",
                   help="A pair the proposal must not contain (repeatable)."))
_leaf(matching, "show", show_matching_run, "Show a matching run: its summary, pairs and unmatched mentees.",
      click.Argument(["run_id"]))
_leaf(matching, "approve", approve_matching_run, "Approve a run's proposal: every pair becomes a confirmed match.",
      click.Argument(["run_id"]))


@admin.group()
def pairs() -> None:
    """How a cohort's pairs are doing."""


_leaf(pairs, "health", pair_health,
      "Each pair's health (on track, needing a check-in, at risk) with its reasons.",
      click.Argument(["cohort_id"]),
      click.Option(["--at-risk"], is_flag=True, help="Only pairs at risk."))

_leaf(admin, "report", cohort_report,
      "A cohort's program report: participation, sessions, hours, response rate, rating, NPS, goals "
      "(answer-based figures are withheld below the program's privacy threshold).",
      click.Argument(["cohort_id"]),
      click.Option(["--csv"], is_flag=True, help="The report as CSV, as the API renders it."))


@admin.group()
def person() -> None:
    """A person's rights over their data."""


_leaf(person, "export", export_person,
      "Everything the four services hold about a person (their right of access), as one JSON document; "
      "org_admin only. A service that cannot be reached fails the export: it is never partial.",
      click.Argument(["person_id"]),
      click.Option(["--output"], metavar="FILE", help="Write the document to FILE, readable by you only "
                                                      "(default: standard output)."))
