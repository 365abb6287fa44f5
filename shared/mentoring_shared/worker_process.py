"""A service's worker process: the outbox relay and the consumer runner, each on its own thread,
its own `/metrics` port, and a clean stop on SIGTERM or SIGINT."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from prometheus_client import start_http_server

from mentoring_shared import metrics
from mentoring_shared.contracts.topics import dead_letter_topic
from mentoring_shared.gc_tuning import tune_for_service
from mentoring_shared.messaging import kafka
from mentoring_shared.messaging.consumer import ConsumerRunner, EventHandler
from mentoring_shared.messaging.inbox import prune_inbox
from mentoring_shared.messaging.relay import OutboxRelay
from mentoring_shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

INBOX_PRUNING_INTERVAL_S = 3600.0


def every(seconds: float, tick: Callable[[datetime], object], name: str) -> Callable[[threading.Event], None]:
    """A chore that calls `tick(now)` every `seconds` until stopped. A failed tick (a database away, say)
    is logged and tried again at the next one, so the chore's thread outlives passing outages."""
    def run(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                tick(datetime.now(UTC))
            except Exception:
                log.exception("%s failed; trying again in %s s", name, seconds)
            stop.wait(seconds)
    return run


class WorkerProcess:
    """`chores` are a service's own loops (name, run(stop)), each on a thread watched like the others."""

    def __init__(self, runtime: ServiceRuntime, handlers: dict[str, EventHandler], group: str | None = None,
                 chores: list[tuple[str, Callable[[threading.Event], None]]] | None = None):
        self.runtime = runtime
        settings = runtime.settings
        self.relay = OutboxRelay(runtime.service, runtime.sessions, runtime.outbox, settings.kafka,
                                 retention=timedelta(days=settings.outbox_retention_days))
        self.consumer = ConsumerRunner(
            runtime.service, group or runtime.service, handlers, runtime.events, runtime.unit_of_work,
            runtime.inbox, settings.kafka, max_attempts=settings.consumer_max_attempts,
        ) if handlers else None
        self.chores = list(chores or [])
        if self.consumer is not None:
            self.chores.append(("inbox-pruning", every(INBOX_PRUNING_INTERVAL_S, self.prune_inbox, "inbox pruning")))
        self._threads: list[threading.Thread] = []

    def prune_inbox(self, now: datetime) -> int:
        """Forget events applied more than INBOX_RETENTION_DAYS ago: longer than the outbox keeps them
        for a republish, so nothing can deliver them again."""
        cutoff = now - timedelta(days=self.runtime.settings.inbox_retention_days)
        with self.runtime.sessions() as session:
            pruned = prune_inbox(session, self.runtime.inbox, cutoff)
        metrics.INBOX_PRUNED.labels(self.runtime.service).inc(pruned)
        if pruned:
            log.info("inbox pruned", extra={"pruned": pruned})
        return pruned

    def start(self, stop: threading.Event) -> None:
        """Start the relay and consumer threads (after making sure the topics exist)."""
        self._ensure_topics(stop)
        self._threads = [threading.Thread(target=self.relay.run, args=(stop,), name="outbox-relay", daemon=True)]
        if self.consumer is not None:
            self._threads.append(threading.Thread(target=self.consumer.run, args=(stop,), name="consumer", daemon=True))
        self._threads += [threading.Thread(target=run, args=(stop,), name=name, daemon=True)
                          for name, run in self.chores]
        for thread in self._threads:
            thread.start()

    def join(self, timeout_s: float = 30.0) -> None:
        for thread in self._threads:
            thread.join(timeout_s)

    def run_forever(self, metrics_host: str = "127.0.0.1") -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        port = self.runtime.settings.worker_metrics_port
        if port:
            self._serve_metrics(metrics_host, port)
        log.info("worker starting", extra={"metrics_port": port})
        tune_for_service()
        self.start(stop)
        failed = False
        while not stop.wait(1.0):
            dead = [thread.name for thread in self._threads if not thread.is_alive()]
            if dead:  # a part of the worker is gone: exit, so the supervisor restarts the whole
                log.error("worker thread(s) stopped unexpectedly: %s", ", ".join(dead))
                failed = True
                stop.set()
        log.info("worker stopping")
        self.join()
        self.runtime.engine.dispose()
        if failed:
            raise SystemExit(1)

    def _serve_metrics(self, host: str, port: int) -> None:
        try:
            start_http_server(port, addr=host)
        except OSError as error:  # taken, most likely: say which setting chose it, not a traceback
            variable = f"{self.runtime.service.upper()}_WORKER_METRICS_PORT"
            raise SystemExit(f"{self.runtime.service} worker: cannot serve /metrics on {host}:{port} "
                             f"({error.strerror}); set {variable} to a free port, or 0 for none") from None

    def _ensure_topics(self, stop: threading.Event) -> None:
        topics = self.runtime.events.topics()
        topics += [dead_letter_topic(topic) for topic in topics]
        backoff = 0.5
        while not stop.is_set():
            try:
                kafka.ensure_topics(self.runtime.settings.kafka, topics)
                return
            except Exception as error:
                log.warning("broker not reachable for topic setup, retrying in %.1fs: %s", backoff, error)
                stop.wait(backoff)
                backoff = min(10.0, backoff * 2)
