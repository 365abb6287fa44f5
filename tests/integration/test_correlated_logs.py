"""Ids flow from an HTTP request into the events it causes and on into the consumers' JSON logs."""

import io
import json
import logging
import threading

from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.logs import json_log_handler
from mentoring_shared.messaging.consumer import ConsumerRunner
from mentoring_shared.messaging.relay import OutboxRelay
from mentoring_testing.polling import eventually
from tests.integration.helpers import new_person


def capture_json_logs(service: str):
    stream = io.StringIO()
    handler = json_log_handler(service, stream)
    logging.getLogger().addHandler(handler)
    logging.getLogger("mentoring.http").setLevel(logging.INFO)  # the suite's root level is WARNING
    return stream, handler


def test_a_requests_correlation_id_reaches_the_consumers_logs(api, apps, tenant, consumer_group_name):
    stream, handler = capture_json_logs("matching")
    logger = logging.getLogger("test.consumer")
    logger.setLevel(logging.INFO)
    try:
        response = api("profiles").post("/v1/people", json=new_person(), headers={"X-Correlation-ID": f"corr-{tenant}"})
        assert response.headers["X-Correlation-ID"] == f"corr-{tenant}"
        request_id = response.headers["X-Request-ID"]

        runtime = apps["matching"].extensions["runtime"]
        seen = []

        def log_application(event, uow):
            if event.tenant_id == tenant:
                logger.info("applying person")
                seen.append(event.id)

        runner = ConsumerRunner("matching", consumer_group_name, {PERSON_UPSERTED_V1: log_application},
                                runtime.events, runtime.unit_of_work, runtime.inbox, runtime.settings.kafka)
        stop = threading.Event()
        profiles = apps["profiles"].extensions["runtime"]
        relay = OutboxRelay("profiles", profiles.sessions, profiles.outbox, profiles.settings.kafka)
        try:
            relay.relay_once()
        finally:
            relay.close()
        thread = threading.Thread(target=runner.run, args=(stop,))
        thread.start()
        try:
            eventually(lambda: seen, message="the consumer never applied the event")
        finally:
            stop.set()
            thread.join(30)
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger("mentoring.http").setLevel(logging.NOTSET)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    http_line = next(line for line in lines if line["message"] == "request" and line.get("request_id") == request_id)
    assert http_line["correlation_id"] == f"corr-{tenant}"
    assert http_line["route"] == "/v1/people" and http_line["status"] == 201
    consumer_line = next(line for line in lines if line["message"] == "applying person")
    assert consumer_line["correlation_id"] == f"corr-{tenant}"
    assert consumer_line["causation_id"] == seen[0] == consumer_line["event_id"]
    assert consumer_line["service"] == "matching"
