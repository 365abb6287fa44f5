"""/v1/people: the people taking part in mentoring."""

from flask.views import MethodView

from mentoring_shared.errors import NotFound
from mentoring_shared.web.acting import tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, unit_of_work
from mentoring_shared.web.pagination import page
from profiles.api import READERS
from profiles.handlers import people as handlers
from profiles.handlers import personal_data
from profiles.repositories.people import PeopleFilter, PeopleRepository
from profiles.schemas.people import (
    PeopleQueryArgs,
    PersonExportSchema,
    PersonPageSchema,
    PersonSchema,
    PersonWriteSchema,
)

# A machine client (`service`) may register people; changing or exporting one stays with
# org_admin (HR systems that keep people in sync use SCIM, with its own per-tenant token).
REGISTRARS = ("org_admin", "service")

blueprint = Blueprint("people", __name__, url_prefix="/v1/people", description="People taking part in mentoring.")


@blueprint.route("")
class PeopleCollection(MethodView):
    @requires_role(*REGISTRARS)
    @blueprint.arguments(PersonWriteSchema)
    @blueprint.response(201, PersonSchema)
    @blueprint.alt_response(409, description="Another person in the tenant has this employee id or email.")
    def post(self, body):
        """Register a person in the caller's tenant."""
        return handlers.register_person(tenant(), body, unit_of_work())

    @requires_role(*READERS)
    @blueprint.arguments(PeopleQueryArgs, location="query")
    @blueprint.response(200, PersonPageSchema)
    def get(self, args):
        """Search people in the caller's tenant, oldest first."""
        where = PeopleFilter(**{key: args.get(key) for key in ("department", "skill", "role", "status", "q")})
        with current_runtime().single_statement_read() as connection:
            rows = PeopleRepository(connection).list(tenant(), args["limit"] + 1,
                                                     args.get("cursor"), where)
        return page(rows, args["limit"], lambda person: person.id)


@blueprint.route("/<id:person_id>")
class PersonItem(MethodView):
    @requires_role(*READERS)
    @blueprint.response(200, PersonSchema)
    @blueprint.alt_response(404, description="No such person in this tenant.")
    def get(self, person_id):
        """One person."""
        with current_runtime().single_statement_read() as connection:
            person = PeopleRepository(connection).get(tenant(), person_id)
        if person is None:
            raise NotFound(f"no person {person_id} in this tenant")
        return person

    @requires_role("org_admin")
    @blueprint.arguments(PersonWriteSchema(partial=True))
    @blueprint.response(200, PersonSchema)
    @blueprint.alt_response(404, description="No such person in this tenant.")
    @blueprint.alt_response(409, description="The employee id or email is taken, or the manager chain would loop.")
    def patch(self, body, person_id):
        """Change some of a person's attributes. Setting `status` to `terminated` deactivates them."""
        return handlers.change_person(tenant(), person_id, body, unit_of_work())


@blueprint.route("/<id:person_id>/export")
class PersonExport(MethodView):
    @requires_role("org_admin")
    @blueprint.response(200, PersonExportSchema)
    @blueprint.alt_response(404, description="No such person in this tenant.")
    def get(self, person_id):
        """Everything profiles holds about the person (their right of access)."""
        return personal_data.export_person(tenant(), person_id, unit_of_work())


@blueprint.route("/<id:person_id>/erasure")
class PersonErasure(MethodView):
    @requires_role("org_admin")
    @blueprint.response(200, PersonSchema)
    @blueprint.alt_response(404, description="No such person in this tenant.")
    def post(self, person_id):
        """Erase the person (their right to be forgotten): profiles anonymizes them at once, and
        every other service does the same when person-erased reaches it. Erasing twice is harmless."""
        return personal_data.erase_person(tenant(), person_id, unit_of_work())
