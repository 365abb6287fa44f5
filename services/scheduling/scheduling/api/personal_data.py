"""/v1/people/{id}/export: what scheduling holds about a person (their right of access). The
admin CLI's `person export` joins it with the other services' exports."""

from flask.views import MethodView

from mentoring_shared.errors import NotFound
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime

from scheduling.api.acting import tenant
from scheduling.repositories.personal_data import export_person
from scheduling.schemas.personal_data import SchedulingPersonExportSchema

blueprint = Blueprint("personal_data", __name__, url_prefix="/v1/people",
                      description="A person's data as scheduling holds it.")


@blueprint.route("/<id:person_id>/export")
class PersonExport(MethodView):
    @requires_role("org_admin")
    @blueprint.response(200, SchedulingPersonExportSchema)
    @blueprint.alt_response(404, description="No such person in this tenant.")
    def get(self, person_id):
        """Everything scheduling holds about the person: its copy of them, when they can meet, their
        calendar sources (described, without URLs or passwords), feed tokens (without the tokens),
        mentorships, sessions and the reminders sent to them."""
        with current_runtime().sessions() as session:
            export = export_person(session, tenant(), person_id)
        if export is None:
            raise NotFound(f"no person {person_id} in this tenant")
        return export
