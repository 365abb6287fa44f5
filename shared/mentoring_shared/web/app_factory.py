"""Builds a service's Flask app: OpenAPI (flask-smorest), problem+json errors, authentication,
request ids, metrics, health. A service adds only its own blueprints."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, g, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, UnsupportedMediaType

from mentoring_shared.errors import ApplicationError
from mentoring_shared.runtime import ServiceRuntime
from mentoring_shared.web import health, observability
from mentoring_shared.web.auth import TokenVerifier, authenticate
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.input_guards import (
    IdConverter,
    id_converter_openapi,
    reject_deep_json,
    reject_nul_characters,
    reject_undeclared_query_parameters,
    require_a_patch_body,
)
from mentoring_shared.web.problems import PROBLEM_JSON, Problem, ProblemSchema, from_http_exception, problem_response
from mentoring_shared.web.uploads import upload_limit

log = logging.getLogger(__name__)

PUBLIC_PATHS = {"/healthz", "/readyz", "/metrics", "/openapi.json"}


def schema_name(schema) -> str:
    """OpenAPI component names: the class name without `Schema`; a partial (PATCH) instance gets
    `Patch`, so it does not collide with the full one."""
    cls: Any = resolve_schema_cls(schema)  # one class for one schema
    name = cls.__name__.removesuffix("Schema")
    return f"{name}Patch" if getattr(schema, "partial", False) else name


def no_nul_characters(self, field, ret, **kwargs) -> dict:
    """OpenAPI attribute function: every text field says it takes no NUL character, as the input
    guards enforce (PostgreSQL cannot store one), unless it already has a pattern of its own. An
    email's format already rules NUL out, and a pattern beside it makes generators search for
    addresses that match both."""
    if isinstance(field, ma.fields.Email):
        return {}
    if isinstance(field, ma.fields.String) and "pattern" not in ret and not field.dump_only:
        return {"pattern": "^[^\\u0000]*$"}
    return {}


class ProblemApi(Api):
    """flask-smorest's Api, answering, and documenting, every HTTP error as application/problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException):
        return from_http_exception(error)

    def _register_responses(self):
        # flask-smorest documents errors as application/json; ours are problem documents.
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["content"] = {PROBLEM_JSON: {"schema": ProblemSchema}}
            self.spec.components.response(status.name, response, lazy=True)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, {
            "description": "A problem (RFC 9457)", "content": {PROBLEM_JSON: {"schema": ProblemSchema}},
        }, lazy=True)


def create_service_app(runtime: ServiceRuntime, title: str, description: str,
                       blueprints: Iterable[Blueprint]) -> Flask:
    app = Flask(runtime.service)
    app.config.update(
        API_TITLE=title, API_VERSION="v1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                               "bearerFormat": "JWT"}}},
            "security": [{"bearerAuth": []}],
        },
        MAX_CONTENT_LENGTH=runtime.settings.max_body_bytes,
    )
    app.extensions["runtime"] = runtime
    app.extensions["broker_check"] = health.BrokerCheck()
    app.url_map.converters["id"] = IdConverter
    observability.install(app, runtime.service)

    assert runtime.settings.auth is not None, "an API's settings always carry auth"
    verifier = TokenVerifier(runtime.settings.auth)
    blueprints = list(blueprints)
    # Blueprints that check their own credentials (SCIM: a per-tenant token), body type and NULs.
    self_authenticated = {blueprint.name for blueprint in blueprints
                          if getattr(blueprint, "authenticates_itself", False)}

    @app.before_request
    def authenticate_request():
        if request.path in PUBLIC_PATHS or request.routing_exception is not None:
            return None  # a public route, or no route at all: Flask answers 404 or 405 itself
        if request.blueprint in self_authenticated:
            return None
        g.principal = authenticate(verifier)  # first: without a token, nothing else is worth saying
        limit = upload_limit()
        if limit is not None and request.mimetype == "multipart/form-data":
            request.max_content_length = limit
        elif request.method in {"POST", "PUT", "PATCH"} and request.content_length and not request.is_json:
            raise UnsupportedMediaType("request bodies must be application/json"
                                       + (" or multipart/form-data" if limit is not None else ""))
        require_a_patch_body()
        reject_deep_json()  # before anything parses the body
        reject_nul_characters()
        reject_undeclared_query_parameters()
        return None

    @app.errorhandler(Problem)
    def render_problem(problem: Problem):
        response = problem_response(problem.status, problem.title, problem.detail, problem.type, **problem.extensions)
        response.headers.update(problem.headers)
        return response

    @app.errorhandler(ApplicationError)
    def render_application_error(error: ApplicationError):
        response = problem_response(error.status, error.title, error.detail, **error.extensions)
        if error.retry_after_s is not None:
            response.headers["Retry-After"] = str(error.retry_after_s)
        return response

    @app.errorhandler(Exception)
    def render_unexpected(error: Exception):  # HTTP errors have their own handler (ProblemApi)
        log.exception("unhandled error")
        return problem_response(500, "Internal Server Error", "An unexpected error occurred; it has been logged.")

    plugin = MarshmallowPlugin(schema_name_resolver=schema_name)
    api = ProblemApi(app, spec_kwargs={"marshmallow_plugin": plugin})
    assert plugin.converter is not None  # made when the Api initialises the plugin
    plugin.converter.add_attribute_function(no_nul_characters)
    api.register_converter(IdConverter, id_converter_openapi)
    api.register_blueprint(health.blueprint)
    for blueprint in blueprints:
        if getattr(blueprint, "in_openapi", True):
            api.register_blueprint(blueprint)
        else:  # a protocol with its own self-description (SCIM)
            app.register_blueprint(blueprint)
    return app
