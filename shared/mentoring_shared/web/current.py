"""What a route may ask of the app serving it."""

from flask import current_app

from mentoring_shared.runtime import ServiceRuntime


def current_runtime() -> ServiceRuntime:
    """The runtime (settings, database, unit-of-work factory) of the app serving this request."""
    return current_app.extensions["runtime"]
