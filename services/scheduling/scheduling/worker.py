"""Composition root of the scheduling worker: its event consumers, its outbox relay and the
session clock (reminders, automatic completion)."""

from collections.abc import Mapping

from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.worker_process import WorkerProcess, every
from scheduling import SERVICE, orm
from scheduling.session_clock import SessionClock
from scheduling.settings import load_scheduling_settings
from scheduling.subscriptions import event_handlers
from scheduling.unit_of_work import SchedulingUnitOfWork


def build_worker(environ: Mapping[str, str] | None = None) -> WorkerProcess:
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, environ, serves_http=False,
                                              unit_of_work_class=SchedulingUnitOfWork)
    settings = load_scheduling_settings(environ)
    clock = SessionClock(runtime, settings.reminder_lead_minutes)
    return WorkerProcess(runtime, event_handlers(environ),
                         chores=[("session-clock", every(15.0, clock.tick, "session clock"))])


def main() -> None:
    build_worker().run_forever()
