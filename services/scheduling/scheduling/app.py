"""Composition root of the scheduling API."""

from collections.abc import Mapping

from flask import Flask

from mentoring_shared.people_replica import people_replica_blueprint
from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.web.app_factory import create_service_app
from scheduling import SERVICE, orm
from scheduling.api import calendars, feeds, personal_data, plans
from scheduling.settings import load_scheduling_settings
from scheduling.unit_of_work import SchedulingUnitOfWork


def create_app(environ: Mapping[str, str] | None = None) -> Flask:
    settings = load_scheduling_settings(environ)
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, environ,
                                              unit_of_work_class=SchedulingUnitOfWork)
    app = create_service_app(runtime, title="Scheduling",
                             blueprints=[people_replica_blueprint(orm.people, SERVICE), plans.blueprint,
                                         calendars.blueprint, feeds.blueprint, feeds.public_blueprint,
                                         personal_data.blueprint],
                             description="Regular meetings across time zones; calendar feeds and sync.")
    app.extensions["scheduling_settings"] = settings
    return app
