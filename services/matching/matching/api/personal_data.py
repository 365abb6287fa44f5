"""/v1/people/{id}/export: what matching holds about a person (their right of access). The
admin CLI's `person export` joins it with the other services' exports."""

from flask.views import MethodView

from mentoring_shared.errors import NotFound
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime

from matching.api.acting import tenant
from matching.repositories.personal_data import export_person
from matching.schemas.personal_data import MatchingPersonExportSchema

blueprint = Blueprint("personal_data", __name__, url_prefix="/v1/people",
                      description="A person's data as matching holds it.")


@blueprint.route("/<id:person_id>/export")
class PersonExport(MethodView):
    @requires_role("org_admin")
    @blueprint.response(200, MatchingPersonExportSchema)
    @blueprint.alt_response(404, description="No such person in this tenant.")
    def get(self, person_id):
        """Everything matching holds about the person: its copy of them, their enrollments, matches,
        requests, and the proposed pairs naming them with their scores and explanations."""
        with current_runtime().sessions() as session:
            export = export_person(session, tenant(), person_id)
        if export is None:
            raise NotFound(f"no person {person_id} in this tenant")
        return export
