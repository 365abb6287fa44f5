"""/v1/people/{id}/export: what feedback holds about a person (their right of access). The
admin CLI's `person export` joins it with the other services' exports."""

from flask.views import MethodView

from mentoring_shared.errors import NotFound
from mentoring_shared.web.auth import current_principal, requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime

from feedback.repositories.personal_data import export_person
from feedback.schemas.personal_data import FeedbackPersonExportSchema

blueprint = Blueprint("personal_data", __name__, url_prefix="/v1/people",
                      description="A person's data as feedback holds it.")


@blueprint.route("/<id:person_id>/export")
class PersonExport(MethodView):
    @requires_role("org_admin")
    @blueprint.response(200, FeedbackPersonExportSchema)
    @blueprint.alt_response(404, description="No such person in this tenant.")
    def get(self, person_id):
        """Everything feedback holds about the person: its copy of them, the feedback requests
        addressed to them, the answers they gave, and their pairs' health, goals and check-ins."""
        with current_runtime().sessions() as session:
            export = export_person(session, current_principal().tenant_id, person_id)
        if export is None:
            raise NotFound(f"no person {person_id} in this tenant")
        return export
