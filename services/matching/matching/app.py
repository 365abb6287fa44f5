"""Composition root of the matching API."""

from collections.abc import Mapping

from flask import Flask

from matching import SERVICE, orm
from matching.api import matches, personal_data, runs
from matching.settings import load_matching_settings
from matching.unit_of_work import MatchingUnitOfWork
from mentoring_shared.people_replica import people_replica_blueprint
from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.web.app_factory import create_service_app


def create_app(environ: Mapping[str, str] | None = None) -> Flask:
    settings = load_matching_settings(environ)
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, environ,
                                              unit_of_work_class=MatchingUnitOfWork)
    app = create_service_app(runtime, title="Matching",
                             blueprints=[people_replica_blueprint(orm.people, SERVICE), runs.blueprint,
                                         matches.blueprint, personal_data.blueprint],
                             description="Who mentors whom: optimal, explainable matching of whole cohorts.")
    app.extensions["matching_settings"] = settings
    return app
