"""Composition root of the feedback API."""

from collections.abc import Mapping

from flask import Flask

from feedback import SERVICE, orm
from feedback.api import goals, pairs, personal_data, reports, submissions
from feedback.settings import load_feedback_settings
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.people_replica import people_replica_blueprint
from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.web.app_factory import create_service_app


def create_app(environ: Mapping[str, str] | None = None) -> Flask:
    settings = load_feedback_settings(environ)
    runtime = ServiceRuntime.from_environment(SERVICE, orm.metadata, environ,
                                              unit_of_work_class=FeedbackUnitOfWork)
    app = create_service_app(runtime, title="Feedback",
                             blueprints=[people_replica_blueprint(orm.people, SERVICE), submissions.blueprint,
                                         goals.blueprint, pairs.blueprint, reports.blueprint,
                                         personal_data.blueprint],
                             description="Two-way feedback, goals and milestones, pair health, program reports.")
    app.extensions["feedback_settings"] = settings
    return app
