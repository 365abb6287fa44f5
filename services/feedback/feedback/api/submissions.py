"""/v1/feedback-requests and /v1/feedback: people answer what they were asked about each other;
organizers see requests and answers in their tenant (reports show only aggregates)."""

from flask.views import MethodView

from feedback import orm
from feedback.handlers import submissions as handlers
from feedback.repositories.submissions import SubmissionsRepository
from feedback.schemas import submissions as schemas
from mentoring_shared.web.acting import EVERYONE, acting, listed_person, tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, service_settings, unit_of_work
from mentoring_shared.web.pagination import page

blueprint = Blueprint("feedback", __name__, url_prefix="/v1", description="Feedback requests and answers.")


@blueprint.route("/feedback-requests")
class Requests(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.RequestQuerySchema, location="query")
    @blueprint.response(200, schemas.RequestPageSchema)
    def get(self, args):
        """Requests: a person sees what they are asked; organizers anyone's."""
        author_id = listed_person(orm.people, args.get("person_id"))
        with current_runtime().sessions() as db:
            rows = SubmissionsRepository(db).requests(tenant(), limit=args["limit"] + 1, after=args.get("cursor"),
                                                      author_id=author_id, status=args.get("status"))
        return page(rows, args["limit"], lambda request: request.id)


@blueprint.route("/feedback-requests/<id:request_id>/feedback")
class Answer(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.AnswerSchema)
    @blueprint.response(201, schemas.FeedbackSchema)
    @blueprint.alt_response(404, description="No such request in this tenant.")
    @blueprint.alt_response(409, description="Already answered, or closed.")
    def post(self, body, request_id):
        """Answer: a rating from 1 to 5, words, progress on goals (and, in surveys, a 0-10 recommendation)."""
        return handlers.give_feedback(tenant(), request_id, acting(orm.people), body, service_settings(),
                                      unit_of_work())


@blueprint.route("/feedback/<id:feedback_id>")
class FeedbackItem(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.FeedbackSchema)
    @blueprint.alt_response(404, description="No such feedback in this tenant.")
    def get(self, feedback_id):
        """One answer, to its author or an organizer."""
        actor = acting(orm.people)
        with current_runtime().sessions() as db:
            return handlers.visible_feedback(SubmissionsRepository(db), tenant(), feedback_id, actor)

    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.AnswerSchema)
    @blueprint.response(200, schemas.FeedbackSchema)
    @blueprint.alt_response(404, description="No such feedback in this tenant.")
    @blueprint.alt_response(409, description="The edit window has passed.")
    def patch(self, body, feedback_id):
        """Edit one's own answer while its window is open."""
        return handlers.edit_feedback(tenant(), feedback_id, acting(orm.people), body, unit_of_work())
