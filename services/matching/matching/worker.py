"""Composition root of the matching worker: its event consumers and its outbox relay."""

from collections.abc import Mapping

from matching import SERVICE, orm
from matching.subscriptions import event_handlers
from matching.unit_of_work import MatchingUnitOfWork
from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.worker_process import WorkerProcess


def build_worker(environ: Mapping[str, str] | None = None) -> WorkerProcess:
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, environ, serves_http=False,
                                              unit_of_work_class=MatchingUnitOfWork)
    return WorkerProcess(runtime, event_handlers(environ))


def main() -> None:
    build_worker().run_forever()
