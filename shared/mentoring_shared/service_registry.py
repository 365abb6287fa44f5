"""Where the kit finds a service's code without importing it by name: each service package registers
its composition roots and its migrations as entry points in its own pyproject.toml, and the kit
(the `mentoring migrate|api|worker` commands, the test fixtures) looks them up:

    [project.entry-points."mentoring.apps"]        profiles = "profiles.app:create_app"
    [project.entry-points."mentoring.workers"]     profiles = "profiles.worker:build_worker"
    [project.entry-points."mentoring.migrations"]  profiles = "profiles.migrations"

A service image installs the kit and one service, so it finds that one service and no other."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from mentoring_shared.config import DEFAULT_PORTS

SERVICES = tuple(DEFAULT_PORTS)  # the platform's services, in its order: profiles first, its events feed the others

APPS = "mentoring.apps"
WORKERS = "mentoring.workers"
MIGRATIONS = "mentoring.migrations"


class ServiceNotInstalled(ValueError):
    def __init__(self, service: str, group: str):
        installed = ", ".join(installed_services()) or "none"
        super().__init__(f"{service} is not installed here (no {group!r} entry point; installed: {installed})")


def installed_services() -> tuple[str, ...]:
    """The services whose packages are installed beside the kit, in the platform's order."""
    names = {entry.name for entry in entry_points(group=APPS)}
    return tuple(service for service in SERVICES if service in names) + tuple(sorted(names - set(SERVICES)))


def _entry(group: str, service: str) -> EntryPoint:
    found = entry_points(group=group, name=service)
    if not found:
        raise ServiceNotInstalled(service, group)
    return next(iter(found))


def app_factory(service: str) -> Callable:
    """The service's `create_app(environ=None)`."""
    return _entry(APPS, service).load()


def app_spec(service: str) -> str:
    """The service's app as gunicorn names it (`module:factory()`), for a process that imports it itself."""
    return f"{_entry(APPS, service).value}()"


def worker_builder(service: str) -> Callable:
    """The service's `build_worker(environ=None)`."""
    return _entry(WORKERS, service).load()


def migrations_dir(service: str) -> Path:
    """The service's Alembic directory (it ships inside the service's package)."""
    module = _entry(MIGRATIONS, service).module
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ServiceNotInstalled(service, MIGRATIONS)
    return Path(next(iter(spec.submodule_search_locations)))
