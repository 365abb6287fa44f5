"""Profiles' HTTP routes: parse, call a handler, render."""

from flask.views import MethodView
from mentoring_shared.web.blueprint import Blueprint

from mentoring_shared.errors import NotFound
from mentoring_shared.web.current import current_runtime
from mentoring_shared.web.auth import current_principal, requires_role
from mentoring_shared.web.pagination import PageArgs, page

from profiles import handlers
from profiles.repository import PeopleRepository
from profiles.schemas import PersonCreateSchema, PersonPageSchema, PersonSchema

# Directory reads expose every person's email: admins, program managers and integrations only.
# Participants get their own views (matches, suggestions) in later issues.
PEOPLE_READERS = ("org_admin", "program_manager", "service")

people = Blueprint("people", __name__, url_prefix="/v1/people", description="People taking part in mentoring.")


@people.route("")
class PeopleCollection(MethodView):
    @requires_role("org_admin", "service")
    @people.arguments(PersonCreateSchema)
    @people.response(201, PersonSchema)
    @people.alt_response(409, description="Another person in the tenant has this employee id or email.")
    def post(self, body):
        """Register a person in the caller's tenant."""
        command = handlers.RegisterPerson(tenant_id=current_principal().tenant_id, **body)
        return handlers.register_person(command, current_runtime().unit_of_work())

    @requires_role(*PEOPLE_READERS)
    @people.arguments(PageArgs, location="query")
    @people.response(200, PersonPageSchema)
    def get(self, args):
        """List people in the caller's tenant, oldest first."""
        with current_runtime().sessions() as session:
            rows = PeopleRepository(session).list(current_principal().tenant_id, args["limit"] + 1, args.get("cursor"))
        return page(rows, args["limit"], lambda person: person.id)


@people.route("/<id:person_id>")
class PersonItem(MethodView):
    @requires_role(*PEOPLE_READERS)
    @people.response(200, PersonSchema)
    @people.alt_response(404, description="No such person in this tenant.")
    def get(self, person_id):
        """One person."""
        with current_runtime().sessions() as session:
            person = PeopleRepository(session).get(current_principal().tenant_id, person_id)
        if person is None:
            raise NotFound(f"no person {person_id} in this tenant")
        return person
