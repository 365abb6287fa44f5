"""/v1/programs, /v1/cohorts, /v1/enrollments: the structure people take part in."""

from flask.views import MethodView

from mentoring_shared.errors import NotFound
from mentoring_shared.web.acting import ORGANIZERS, tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, unit_of_work
from mentoring_shared.web.pagination import PageArgs, page
from profiles.api import READERS
from profiles.handlers import programs as handlers
from profiles.repositories.cohorts import CohortsRepository
from profiles.repositories.enrollments import EnrollmentsRepository
from profiles.repositories.programs import ProgramsRepository
from profiles.schemas import programs as schemas

blueprint = Blueprint("programs", __name__, url_prefix="/v1",
                      description="Programs, their cohorts (with a lifecycle) and enrollments.")


def _read(find, what: str, item_id: str):
    """`find(session)`: the item, or None (404)."""
    with current_runtime().sessions() as session:
        item = find(session)
    if item is None:
        raise NotFound(f"no {what} {item_id} in this tenant")
    return item


@blueprint.route("/programs")
class Programs(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.ProgramWriteSchema)
    @blueprint.response(201, schemas.ProgramSchema)
    def post(self, body):
        """Create a program: its type, matching weights, meeting cadence, term, surveys and privacy."""
        return handlers.create_program(tenant(), body, unit_of_work())

    @requires_role(*READERS)
    @blueprint.arguments(PageArgs, location="query")
    @blueprint.response(200, schemas.ProgramPageSchema)
    def get(self, args):
        """List programs."""
        with current_runtime().sessions() as session:
            rows = ProgramsRepository(session).list(tenant(), args["limit"] + 1, args.get("cursor"))
        return page(rows, args["limit"], lambda program: program.id)


@blueprint.route("/programs/<id:program_id>")
class Program(MethodView):
    @requires_role(*READERS)
    @blueprint.response(200, schemas.ProgramSchema)
    @blueprint.alt_response(404, description="No such program in this tenant.")
    def get(self, program_id):
        """One program."""
        return _read(lambda session: ProgramsRepository(session).get(tenant(), program_id), "program", program_id)

    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.ProgramWriteSchema(partial=True))
    @blueprint.response(200, schemas.ProgramSchema)
    @blueprint.alt_response(404, description="No such program in this tenant.")
    def patch(self, body, program_id):
        """Change some of a program's settings."""
        return handlers.change_program(tenant(), program_id, body, unit_of_work())


@blueprint.route("/programs/<id:program_id>/duplicate")
class ProgramDuplicate(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.DuplicateProgramSchema)
    @blueprint.response(201, schemas.ProgramSchema)
    @blueprint.alt_response(404, description="No such program in this tenant.")
    def post(self, body, program_id):
        """A new program with this one's settings, as a template."""
        return handlers.duplicate_program(tenant(), program_id, body["name"], unit_of_work())


@blueprint.route("/cohorts")
class Cohorts(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.CohortWriteSchema)
    @blueprint.response(201, schemas.CohortSchema)
    def post(self, body):
        """Create a cohort of a program, as a draft."""
        return handlers.create_cohort(tenant(), body["program_id"], body["name"], body.get("starts_on"),
                                      body.get("ends_on"), unit_of_work())

    @requires_role(*READERS)
    @blueprint.arguments(schemas.CohortQueryArgs, location="query")
    @blueprint.response(200, schemas.CohortPageSchema)
    def get(self, args):
        """List cohorts, by program or status."""
        with current_runtime().sessions() as session:
            rows = CohortsRepository(session).list(tenant(), args["limit"] + 1, args.get("cursor"),
                                                           args.get("program_id"), args.get("status"))
        return page(rows, args["limit"], lambda cohort: cohort.id)


@blueprint.route("/cohorts/<id:cohort_id>")
class Cohort(MethodView):
    @requires_role(*READERS)
    @blueprint.response(200, schemas.CohortSchema)
    @blueprint.alt_response(404, description="No such cohort in this tenant.")
    def get(self, cohort_id):
        """One cohort."""
        return _read(lambda session: CohortsRepository(session).get(tenant(), cohort_id), "cohort", cohort_id)

    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.CohortPatchSchema)
    @blueprint.response(200, schemas.CohortSchema)
    @blueprint.alt_response(404, description="No such cohort in this tenant.")
    @blueprint.alt_response(409, description="The cohort is closed or archived.")
    def patch(self, body, cohort_id):
        """Rename or re-date a cohort."""
        return handlers.change_cohort(tenant(), cohort_id, body, unit_of_work())


@blueprint.route("/cohorts/<id:cohort_id>/status")
class CohortStatus(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.CohortStatusSchema)
    @blueprint.response(200, schemas.CohortSchema)
    @blueprint.alt_response(404, description="No such cohort in this tenant.")
    @blueprint.alt_response(409, description="Not allowed from the current status; the problem lists the allowed ones.")
    def post(self, body, cohort_id):
        """Move a cohort through its lifecycle: draft, enrolling, matching, active, closing, closed, archived."""
        return handlers.transition_cohort(tenant(), cohort_id, body["status"], unit_of_work())


@blueprint.route("/cohorts/<id:cohort_id>/duplicate")
class CohortDuplicate(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.DuplicateCohortSchema)
    @blueprint.response(201, schemas.CohortSchema)
    @blueprint.alt_response(404, description="No such cohort in this tenant.")
    def post(self, body, cohort_id):
        """The next run: a new draft cohort of the same program, without enrollments."""
        return handlers.duplicate_cohort(tenant(), cohort_id, body["name"], body.get("starts_on"),
                                         body.get("ends_on"), unit_of_work())


@blueprint.route("/cohorts/<id:cohort_id>/enrollments")
class CohortEnrollments(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.EnrollmentWriteSchema)
    @blueprint.response(201, schemas.EnrollmentSchema)
    @blueprint.alt_response(404, description="No such cohort in this tenant.")
    @blueprint.alt_response(409, description="The cohort is not enrolling, the person is not active or is "
                                             "already enrolled.")
    def post(self, body, cohort_id):
        """Enroll a person in the cohort with a role, goals and preferences."""
        details = {key: body[key] for key in ("goals", "goals_text", "preferences", "mentors_wanted") if key in body}
        return handlers.enroll(tenant(), cohort_id, body["person_id"], body["role"], details, unit_of_work())

    @requires_role(*READERS)
    @blueprint.arguments(schemas.EnrollmentQueryArgs, location="query")
    @blueprint.response(200, schemas.EnrollmentPageSchema)
    @blueprint.alt_response(404, description="No such cohort in this tenant.")
    def get(self, args, cohort_id):
        """The cohort's enrollments, by role or status."""
        with current_runtime().sessions() as session:
            if CohortsRepository(session).get(tenant(), cohort_id) is None:
                raise NotFound(f"no cohort {cohort_id} in this tenant")
            rows = EnrollmentsRepository(session).list_in_cohort(tenant(), cohort_id, args["limit"] + 1,
                                                                 args.get("cursor"), args.get("role"),
                                                                 args.get("status"))
        return page(rows, args["limit"], lambda enrollment: enrollment.id)


@blueprint.route("/enrollments/<id:enrollment_id>")
class Enrollment(MethodView):
    @requires_role(*READERS)
    @blueprint.response(200, schemas.EnrollmentSchema)
    @blueprint.alt_response(404, description="No such enrollment in this tenant.")
    def get(self, enrollment_id):
        """One enrollment."""
        return _read(lambda session: EnrollmentsRepository(session).get(tenant(), enrollment_id), "enrollment",
                     enrollment_id)


@blueprint.route("/enrollments/<id:enrollment_id>/withdraw")
class EnrollmentWithdrawal(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.WithdrawSchema)
    @blueprint.response(200, schemas.EnrollmentSchema)
    @blueprint.alt_response(404, description="No such enrollment in this tenant.")
    @blueprint.alt_response(409, description="Already withdrawn, or the cohort is closed.")
    def post(self, body, enrollment_id):
        """Withdraw from the cohort, with a reason."""
        return handlers.withdraw(tenant(), enrollment_id, body.get("reason"), unit_of_work())
