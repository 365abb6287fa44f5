"""JSON logs, one object a line, carrying the service name and the ids of the work in progress."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from mentoring_shared import context


class _ContextFilter(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        for key, value in context.current().items():
            setattr(record, key, value)
        return True


def json_log_handler(service: str, stream=None) -> logging.Handler:
    """A handler writing one JSON object a line, with the service and the ids in context."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        timestamp=False,
    ))
    handler.addFilter(_ContextFilter(service))
    return handler


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = json_log_handler(service)
    handler._mentoring_json = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    # Replace only our own handler: others (pytest's capture, say) stay.
    root.handlers[:] = [h for h in root.handlers if not getattr(h, "_mentoring_json", False)] + [handler]
    root.setLevel(level)
    # kafka-python is chatty at INFO about every connection; its warnings still show.
    logging.getLogger("kafka").setLevel(max(logging.WARNING, logging.getLevelName(level)))
