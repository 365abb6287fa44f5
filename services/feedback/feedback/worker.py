"""Composition root of the feedback worker: its event consumers and its outbox relay."""

from typing import Mapping

from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.worker_process import WorkerProcess

from feedback import SERVICE, orm
from feedback.subscriptions import HANDLERS


def build_worker(environ: Mapping[str, str] | None = None) -> WorkerProcess:
    return WorkerProcess(ServiceRuntime.from_environment(SERVICE, orm.metadata, environ, serves_http=False), HANDLERS)


def main() -> None:
    build_worker().run_forever()
