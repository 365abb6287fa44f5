"""Request ids, correlation ids and request metrics for every route; `/metrics` for Prometheus."""

from __future__ import annotations

import logging
import os
import time

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

from mentoring_shared import context, metrics
from mentoring_shared.ids import new_id
from mentoring_shared.web.input_guards import ID_REGEX

log = logging.getLogger("mentoring.http")

REQUEST_ID_HEADER = "X-Request-ID"
QUIET_ROUTES = {"/metrics", "/healthz", "/readyz"}  # probes and scrapes every few seconds: noise
CORRELATION_ID_HEADER = "X-Correlation-ID"


def _accepted_id(value: str | None) -> str | None:
    # Ids from outside end up in logs and events: accept only identifiers.
    return value if value and ID_REGEX.fullmatch(value) else None


def install(app: Flask, service: str) -> None:
    @app.before_request
    def start_request() -> None:
        g.started_at = time.perf_counter()
        g.request_id = _accepted_id(request.headers.get(REQUEST_ID_HEADER)) or new_id()
        g.correlation_id = _accepted_id(request.headers.get(CORRELATION_ID_HEADER)) or g.request_id
        g.context_token = context.bound(request_id=g.request_id, correlation_id=g.correlation_id)
        g.context_token.__enter__()

    @app.after_request
    def finish_request(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        response.headers[CORRELATION_ID_HEADER] = g.get("correlation_id", "")
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        if route not in QUIET_ROUTES and "started_at" in g:
            seconds = time.perf_counter() - g.started_at
            metrics.HTTP_REQUEST_DURATION.labels(service, request.method, route, str(response.status_code)) \
                .observe(seconds)
            # The route template, not the path: paths carry ids, logs must not.
            log.info("request", extra={"method": request.method, "route": route,
                                       "status": response.status_code, "duration_ms": round(seconds * 1000, 2)})
        return response

    @app.teardown_request
    def end_request(_error) -> None:
        token = g.pop("context_token", None)
        if token is not None:
            token.__exit__(None, None, None)

    @app.get("/metrics")
    def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics_registry()), mimetype=CONTENT_TYPE_LATEST)


def metrics_registry():
    """Under gunicorn every worker writes its samples to PROMETHEUS_MULTIPROC_DIR; aggregate them."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    from prometheus_client import REGISTRY
    return REGISTRY
