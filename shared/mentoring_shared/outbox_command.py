"""`mentoring outbox`: look at a service's outbox and have its relay republish sent events.

    mentoring outbox status  profiles matching ... | --all
    mentoring outbox republish profiles ... | --all --since 2h|2026-12-05T10:00Z [--topic T] [--no-wait]

A republish is a row in the service's database: the running relay works through it in outbox
order (before anything newer) and records its progress there, which this command shows. The relay
does the same by itself when it finds that the broker lost events it had acknowledged."""

from __future__ import annotations

import re
import sys
import time
from datetime import UTC, datetime, timedelta

import click
from sqlalchemy import MetaData

from mentoring_shared.command_line import SERVICE, MentoringGroup, chosen_services
from mentoring_shared.config import load_service_settings
from mentoring_shared.db.engine import for_writing
from mentoring_shared.messaging.relay import MAX_REJECTIONS
from mentoring_shared.messaging.relay_state import RelayState, Republish
from mentoring_shared.messaging.tables import add_inbox_table, add_outbox_table, add_relay_tables
from mentoring_shared.progress import Progress, counted
from mentoring_shared.runtime import ServiceRuntime

_RELATIVE = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """'90m', '2h', '7d' (that long ago) or an ISO 8601 time (UTC if it names no zone)."""
    now = now or datetime.now(UTC)
    relative = _RELATIVE.match(text.strip())
    if relative:
        return now - timedelta(**{_UNITS[relative.group(2)]: int(relative.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since must be a duration like 2h or 7d, or an ISO 8601 time; got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def relay_tables() -> MetaData:
    """The tables every service carries for its relay (messaging/tables.py): all this command reads or
    writes, so it needs none of the service's own code."""
    metadata = MetaData()
    add_outbox_table(metadata)
    add_inbox_table(metadata)
    add_relay_tables(metadata)
    return metadata


def _runtime(service: str) -> ServiceRuntime:
    return ServiceRuntime.build(load_service_settings(service, serves_http=False), relay_tables())


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
    """Each republish's progress, as the relay records it in the service's database, until every
    one finished, or the timeout: live bars on a terminal, a line per tenth elsewhere."""
    deadline = time.monotonic() + timeout_s
    with Progress(sys.stderr) as progress:
        for runtime, republish in requested:
            progress.add(runtime.service, republish.events_total, counted("events"))
        pending = list(requested)
        while pending and time.monotonic() < deadline:
            for runtime, republish in list(pending):
                with runtime.sessions() as session:
                    now = _state(runtime).republish(session, republish.id)
                assert now is not None, "a requested republish is kept"
                progress.update(runtime.service, now.events_sent)
                if now.finished:
                    pending.remove((runtime, republish))
                    print(f"{runtime.service}: republished {now.events_sent} event(s)")
            time.sleep(0.5)
        return not pending


@click.group(cls=MentoringGroup)
def outbox() -> None:
    """A service's outbox: its status, and republishing sent events (after a broker lost them)."""


@outbox.command()
@click.argument("services", nargs=-1, type=SERVICE)
@click.option("--all", "every", is_flag=True, help="Every service installed here.")
def status(services: tuple[str, ...], every: bool) -> int:
    """Unsent, parked and kept events, and recent republishes."""
    return cmd_status(chosen_services(services, every))


@outbox.command()
@click.argument("services", nargs=-1, type=SERVICE)
@click.option("--all", "every", is_flag=True, help="Every service installed here.")
@click.option("--since", required=True, help="A duration back from now (90m, 2h, 7d) or an ISO 8601 time.")
@click.option("--topic", "topics", multiple=True, help="Only this topic (repeatable).")
@click.option("--wait/--no-wait", default=True, help="Wait for the relays with a progress bar, or request and return.")
@click.option("--timeout", type=float, default=600.0, show_default=True, help="Seconds to wait.")
def republish(services: tuple[str, ...], every: bool, since: str, topics: tuple[str, ...], wait: bool,
              timeout: float) -> int:
    """Send again the events sent since a time (after a broker lost them): the running relays do it,
    in outbox order."""
    return cmd_republish(chosen_services(services, every), parse_since(since), list(topics) or None, wait, timeout)
