"""`GET /v1/people/<id>/export` on a service that keeps data about people: what it holds about one
person (their right of access). `mentoring admin person export` joins every service's answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.views import MethodView
from sqlalchemy.orm import Session

from mentoring_shared.errors import NotFound
from mentoring_shared.web.acting import tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime

# (session, tenant id, person id) -> the export, or None if the service knows no such person.
Exporter = Callable[[Session, str, str], "dict[str, Any] | None"]


def person_export_blueprint(service: str, schema: type, export: Exporter, holds: str) -> Blueprint:
    """The route, org_admin only and scoped to the caller's tenant; `holds` says what it returns."""
    blueprint = Blueprint("personal_data", f"{service}.personal_data", url_prefix="/v1/people",
                          description=f"A person's data as {service} holds it.")

    @blueprint.route("/<id:person_id>/export")
    class PersonExport(MethodView):
        @requires_role("org_admin")
        @blueprint.response(200, schema)
        @blueprint.alt_response(404, description="No such person in this tenant.")
        def get(self, person_id):
            with current_runtime().sessions() as session:
                found = export(session, tenant(), person_id)
            if found is None:
                raise NotFound(f"no person {person_id} in this tenant")
            return found

        get.__doc__ = f"Everything {service} holds about the person: {holds}."

    return blueprint
