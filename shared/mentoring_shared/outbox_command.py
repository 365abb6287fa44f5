"""`mentoring outbox`: look at a service's outbox and have its relay republish sent events.

    mentoring outbox status  profiles matching ... | --all
    mentoring outbox republish profiles ... | --all --since 2h|2026-12-05T10:00Z [--topic T] [--no-wait]

A republish is a row in the service's database: the running relay works through it in outbox
order (before anything newer) and records its progress there, which this command shows. The relay
does the same by itself when it finds that the broker lost events it had acknowledged."""

from __future__ import annotations

import importlib
import re
import sys
import time
from datetime import datetime, timedelta, timezone

from mentoring_shared.config import load_service_settings
from mentoring_shared.db.engine import for_writing
from mentoring_shared.db.relay_state import Republish, RelayState
from mentoring_shared.messaging.relay import MAX_REJECTIONS
from mentoring_shared.runtime import ServiceRuntime

_RELATIVE = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """'90m', '2h', '7d' (that long ago) or an ISO 8601 time (UTC if it names no zone)."""
    now = now or datetime.now(timezone.utc)
    relative = _RELATIVE.match(text.strip())
    if relative:
        return now - timedelta(**{_UNITS[relative.group(2)]: int(relative.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since must be a duration like 2h or 7d, or an ISO 8601 time; got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _runtime(service: str) -> ServiceRuntime:
    orm = importlib.import_module(f"{service}.orm")
    return ServiceRuntime.build(load_service_settings(service, serves_http=False), orm.metadata)


def _state(runtime: ServiceRuntime) -> RelayState:
    return RelayState(runtime.outbox, runtime.broker_log_marks, runtime.outbox_republishes)


def cmd_status(services: list[str]) -> int:
    from sqlalchemy import func, select

    for service in services:
        runtime = _runtime(service)
        outbox = runtime.outbox
        with runtime.sessions() as session:
            unsent, parked, oldest = session.execute(select(
                func.count().filter(outbox.c.sent_at.is_(None), outbox.c.attempts < MAX_REJECTIONS),
                func.count().filter(outbox.c.sent_at.is_(None), outbox.c.attempts >= MAX_REJECTIONS),
                func.min(outbox.c.created_at).filter(outbox.c.sent_at.is_(None)))).one()
            kept = session.execute(select(func.count()).where(outbox.c.sent_at.is_not(None))).scalar_one()
            republishes = _state(runtime).republishes(session, limit=5)
        print(f"{service}: {unsent} unsent, {parked} parked, {kept} sent and kept for republishing"
              + (f"; oldest unsent from {oldest:%Y-%m-%d %H:%M:%S}Z" if oldest else ""))
        for republish in republishes:
            print(f"  republish {republish.id} requested {republish.requested_at:%Y-%m-%d %H:%M:%S}Z: "
                  f"{republish.events_sent}/{republish.events_total} sent, "
                  f"{'finished' if republish.finished else 'in progress'}; {republish.reason}")
        runtime.engine.dispose()
    return 0


def cmd_republish(services: list[str], since: datetime, topics: list[str] | None, wait: bool,
                  timeout_s: float) -> int:
    requested: list[tuple[ServiceRuntime, Republish]] = []
    for service in services:
        runtime = _runtime(service)
        with for_writing(runtime.sessions()) as session:
            republish = _state(runtime).request_republish(
                session, f"operator: mentoring outbox republish --since {since.isoformat()}", since, topics)
            session.commit()
        if republish is None:
            print(f"{service}: no sent events since {since:%Y-%m-%d %H:%M:%S}Z in its outbox; nothing to republish")
            runtime.engine.dispose()
            continue
        print(f"{service}: republish {republish.id} of {republish.events_total} event(s) requested")
        requested.append((runtime, republish))
    if wait and requested:
        finished = _show_progress(requested, timeout_s)
        if not finished:
            print("the relay has not finished yet (is the service's worker running?); "
                  "`mentoring outbox status` shows progress", file=sys.stderr)
            return 1
    for runtime, _ in requested:
        runtime.engine.dispose()
    return 0


def _show_progress(requested: list[tuple[ServiceRuntime, Republish]], timeout_s: float) -> bool:
    """A progress bar per service until every republish finished, or the timeout."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    deadline = time.monotonic() + timeout_s
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  disable=not sys.stderr.isatty(), console=None) as progress:
        tasks = {republish.id: progress.add_task(runtime.service, total=republish.events_total)
                 for runtime, republish in requested}
        pending = list(requested)
        while pending and time.monotonic() < deadline:
            for runtime, republish in list(pending):
                with runtime.sessions() as session:
                    now = _state(runtime).republish(session, republish.id)
                progress.update(tasks[republish.id], completed=now.events_sent)
                if now.finished:
                    pending.remove((runtime, republish))
                    print(f"{runtime.service}: republished {now.events_sent} event(s)")
            time.sleep(0.5)
        return not pending


def add_outbox_parser(commands, services: tuple[str, ...]) -> None:
    outbox = commands.add_parser("outbox", help="a service's outbox: status, and republishing sent events")
    actions = outbox.add_subparsers(dest="outbox_command", required=True)

    status = actions.add_parser("status", help="unsent, parked and kept events, and recent republishes")
    status.add_argument("services", nargs="*", metavar="SERVICE", help=f"one of {', '.join(services)}")
    status.add_argument("--all", action="store_true", help="every service")
    status.set_defaults(run=lambda args: cmd_status(_chosen(args, services)))

    republish = actions.add_parser(
        "republish", help="send again the events sent since a time (after a broker lost them)")
    republish.add_argument("services", nargs="*", metavar="SERVICE", help=f"one of {', '.join(services)}")
    republish.add_argument("--all", action="store_true", help="every service")
    republish.add_argument("--since", required=True, help="a duration back from now (90m, 2h, 7d) or an ISO 8601 time")
    republish.add_argument("--topic", action="append", dest="topics", help="only this topic (repeatable)")
    republish.add_argument("--no-wait", dest="wait", action="store_false", help="request it and return")
    republish.add_argument("--timeout", type=float, default=600.0, help="seconds to wait (default %(default)s)")
    republish.set_defaults(run=lambda args: cmd_republish(_chosen(args, services), parse_since(args.since),
                                                          args.topics, args.wait, args.timeout))


def _chosen(args, services: tuple[str, ...]) -> list[str]:
    chosen = list(services) if args.all else args.services
    if not chosen:
        raise ValueError("name at least one service, or --all")
    unknown = sorted(set(chosen) - set(services))
    if unknown:
        raise ValueError(f"unknown service(s) {', '.join(unknown)}; services are {', '.join(services)}")
    return chosen
