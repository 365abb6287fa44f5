"""gunicorn settings for every API (`gunicorn -c python:mentoring_shared.web.gunicorn_hooks`)."""

from prometheus_client import multiprocess

from mentoring_shared.gc_tuning import tune_for_service

worker_class = "sync"  # CPU-bound Flask APIs: sync workers gave the best throughput and p99 here
accesslog = None       # the app logs requests itself, as JSON
timeout = 30
graceful_timeout = 20


def post_worker_init(worker):
    # The worker has loaded the app: from here on a collection walks only what requests make.
    tune_for_service()


def child_exit(server, worker):
    # A dead worker's live gauges must not linger in the aggregated /metrics.
    multiprocess.mark_process_dead(worker.pid)

# Four APIs run on one host in the embedded default; gunicorn's control socket has one default
# path for all of them, and nothing here uses it.
control_socket_disable = True
