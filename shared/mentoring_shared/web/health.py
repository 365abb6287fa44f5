"""Liveness and readiness. `/healthz`: the process answers. `/readyz`: its database answers, so it can
serve requests. The broker is reported but does not decide readiness: while it is away, writes wait in
the outbox and the API keeps answering, so a load balancer must keep sending it traffic (the check is
cached briefly so probes do not flood the broker)."""

from __future__ import annotations

import threading
import time

import marshmallow as ma
from flask import current_app
from flask.views import MethodView
from sqlalchemy import text

from mentoring_shared.messaging.kafka import broker_answers
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime

blueprint = Blueprint("health", __name__, description="Liveness and readiness probes.")


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True)
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class BrokerCheck:
    """Whether the broker answers, asked at most once per `ttl_s` per process."""

    def __init__(self, ttl_s: float = 5.0):
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._ok = False

    def ok(self, kafka_settings) -> bool:
        with self._lock:
            if time.monotonic() - self._checked_at > self._ttl_s:
                self._ok = broker_answers(kafka_settings, timeout_s=1.0)
                self._checked_at = time.monotonic()
            return self._ok


@blueprint.route("/healthz")
class Liveness(MethodView):
    @blueprint.doc(security=[])  # probes are public: no token
    @blueprint.response(200, HealthSchema)
    def get(self):
        return {"status": "ok", "checks": {}}


@blueprint.route("/readyz")
class Readiness(MethodView):
    @blueprint.doc(security=[])
    @blueprint.response(200, HealthSchema)
    @blueprint.alt_response(503, schema=HealthSchema, description="The database does not answer.")
    def get(self):
        runtime = current_runtime()
        checks = {}
        try:
            with runtime.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception:
            checks["database"] = "unavailable"
        broker_answers_now = current_app.extensions["broker_check"].ok(runtime.settings.kafka)
        checks["broker"] = "ok" if broker_answers_now else "unavailable"
        ready = checks["database"] == "ok"
        return {"status": "ok" if ready else "unavailable", "checks": checks}, (200 if ready else 503)
