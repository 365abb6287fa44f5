"""Composition root of the profiles worker: the outbox relay (and consumers, once it has any)."""

from collections.abc import Mapping

from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.worker_process import WorkerProcess
from profiles import SERVICE, orm
from profiles.subscriptions import event_handlers
from profiles.unit_of_work import ProfilesUnitOfWork


def build_worker(environ: Mapping[str, str] | None = None) -> WorkerProcess:
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, environ, serves_http=False,
                                              unit_of_work_class=ProfilesUnitOfWork)
    return WorkerProcess(runtime, event_handlers(environ))


def main() -> None:
    build_worker().run_forever()
