"""What a route may ask of the app serving it."""

from typing import Any

from flask import current_app

from mentoring_shared.runtime import ServiceRuntime


def current_runtime() -> ServiceRuntime:
    """The runtime (settings, database, unit-of-work factory) of the app serving this request."""
    return current_app.extensions["runtime"]


def unit_of_work() -> Any:
    """A new unit of work on the serving app's database, for one handler call: the serving
    service's own class, with its repositories (typed Any: this module serves every service)."""
    return current_runtime().unit_of_work()


def service_settings() -> Any:
    """The serving service's own settings (beside the platform's), which its composition root keeps
    as `app.extensions["<service>_settings"]`."""
    return current_app.extensions[f"{current_runtime().service}_settings"]
