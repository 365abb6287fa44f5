"""Composition root of the profiles API."""

from collections.abc import Mapping

from flask import Flask

from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.web.app_factory import create_service_app
from profiles import SERVICE, orm, scim
from profiles.api import hr_import, people, programs
from profiles.unit_of_work import ProfilesUnitOfWork


def create_app(environ: Mapping[str, str] | None = None) -> Flask:
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, environ, unit_of_work_class=ProfilesUnitOfWork)
    blueprints = [people.blueprint, hr_import.blueprint, programs.blueprint, scim.tokens_blueprint, scim.blueprint]
    app = create_service_app(runtime, title="Profiles", blueprints=blueprints,
                             description="People, programs, cohorts and enrollments; the HR-system sync.")
    scim.answer_routing_errors_in_scim(app)
    return app
