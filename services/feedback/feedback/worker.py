"""Composition root of the feedback worker: its event consumers, its outbox relay, the pair health
clock and the pulse surveys."""

from collections.abc import Mapping

from feedback import SERVICE, orm
from feedback.pair_health import PairHealthClock
from feedback.pulse_surveys import PulseSurveys
from feedback.settings import load_feedback_settings
from feedback.subscriptions import event_handlers
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.worker_process import WorkerProcess, every


def build_worker(environ: Mapping[str, str] | None = None) -> WorkerProcess:
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, environ, serves_http=False,
                                              unit_of_work_class=FeedbackUnitOfWork)
    settings = load_feedback_settings(environ)
    health = PairHealthClock(runtime)
    pulses = PulseSurveys(runtime, settings.answer_within)
    interval = settings.chore_interval_s
    return WorkerProcess(runtime, event_handlers(environ), chores=[
        ("pair-health", every(interval, health.tick, "pair health evaluation")),
        ("pulse-surveys", every(interval, pulses.tick, "pulse surveys"))])


def main() -> None:
    build_worker().run_forever()
