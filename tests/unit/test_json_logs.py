"""Log lines are one JSON object each: time, level, logger, message, the extra fields, the service
and the ids in context, and the traceback of an exception."""

import io
import json
import logging

from mentoring_shared import context
from mentoring_shared.logs import json_log_handler


def logged(emit) -> dict:
    stream = io.StringIO()
    logger = logging.getLogger("test.json_logs")
    logger.addHandler(json_log_handler("profiles", stream))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        emit(logger)
    finally:
        logger.handlers.clear()
    (line,) = stream.getvalue().splitlines()
    return json.loads(line)


def test_a_line_carries_the_message_extras_service_and_ids_in_context():
    with context.bound(request_id="r-1", correlation_id="c-1"):
        line = logged(lambda log: log.info("request %s", "done", extra={"route": "/v1/people", "status": 200,
                                                                       "duration_ms": 1.5}))
    assert line.pop("time")
    assert line == {"level": "INFO", "logger": "test.json_logs", "message": "request done", "route": "/v1/people",
                    "status": 200, "duration_ms": 1.5, "service": "profiles", "request_id": "r-1",
                    "correlation_id": "c-1"}


def test_an_exception_is_logged_with_its_traceback():
    def fail(log):
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("unhandled error")

    line = logged(fail)
    assert line["level"] == "ERROR" and "ValueError: boom" in line["exc_info"]


def test_values_json_cannot_hold_natively_are_written_as_text():
    line = logged(lambda log: log.warning("odd", extra={"big": 2 ** 70, "thing": object}))
    assert line["big"] == 2 ** 70 and line["thing"] == str(object)
