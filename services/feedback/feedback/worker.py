"""Composition root of the feedback worker: its event consumers, its outbox relay and the pair
health clock."""

from typing import Mapping

from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.worker_process import WorkerProcess

from feedback import SERVICE, orm
from feedback.pair_health import PairHealthClock
from feedback.settings import load_feedback_settings
from feedback.subscriptions import event_handlers


def build_worker(environ: Mapping[str, str] | None = None) -> WorkerProcess:
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, environ, serves_http=False)
    health = PairHealthClock(runtime)
    return WorkerProcess(runtime, event_handlers(load_feedback_settings(environ)),
                         chores=[("pair-health", health.run)])


def main() -> None:
    build_worker().run_forever()
