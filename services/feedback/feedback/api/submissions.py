"""/v1/feedback-requests and /v1/feedback: people answer what they were asked about each other;
organizers see requests and answers in their tenant (reports show only aggregates)."""

from flask import current_app
from flask.views import MethodView

from mentoring_shared.errors import NotFound
from mentoring_shared.people_replica import acting_person_id, listed_person
from mentoring_shared.web.auth import current_principal, requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime
from mentoring_shared.web.pagination import page

from feedback import orm
from feedback.api.roles import EVERYONE
from feedback.handlers import submissions as handlers
from feedback.repositories.submissions import Submissions
from feedback.schemas import submissions as schemas


blueprint = Blueprint("feedback", __name__, url_prefix="/v1", description="Feedback requests and answers.")


def _tenant() -> str:
    return current_principal().tenant_id


@blueprint.route("/feedback-requests")
class Requests(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.RequestQuerySchema, location="query")
    @blueprint.response(200, schemas.RequestPageSchema)
    def get(self, args):
        """Requests: a person sees what they are asked; organizers anyone's."""
        author_id = listed_person(orm.people, args.get("person_id"))
        with current_runtime().sessions() as db:
            rows = Submissions(db).requests(_tenant(), limit=args["limit"] + 1, after=args.get("cursor"),
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
        return handlers.give_feedback(_tenant(), request_id, acting_person_id(orm.people), body,
                                      current_app.extensions["feedback_settings"], current_runtime().unit_of_work())


@blueprint.route("/feedback/<id:feedback_id>")
class FeedbackItem(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.FeedbackSchema)
    @blueprint.alt_response(404, description="No such feedback in this tenant.")
    def get(self, feedback_id):
        """One answer, to its author or an organizer."""
        person_id = acting_person_id(orm.people)
        with current_runtime().sessions() as db:
            given = Submissions(db).feedback(_tenant(), feedback_id)
        if given is None or person_id not in (None, given.author_id):
            raise NotFound(f"no feedback {feedback_id} in this tenant")
        return given

    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.AnswerSchema)
    @blueprint.response(200, schemas.FeedbackSchema)
    @blueprint.alt_response(404, description="No such feedback in this tenant.")
    @blueprint.alt_response(409, description="The edit window has passed.")
    def patch(self, body, feedback_id):
        """Edit one's own answer while its window is open."""
        return handlers.edit_feedback(_tenant(), feedback_id, acting_person_id(orm.people), body,
                                      current_runtime().unit_of_work())
