"""/v1/pairs/{id}/goals, /v1/goals, /v1/milestones and /v1/pairs/{id}/check-ins: a pair's goals with
target dates, milestones reached (and celebrated with an event), check-ins at one and three months.
The pair's two people and the organizers see and change them."""

from flask.views import MethodView

from feedback import orm
from feedback.handlers import goals as handlers
from feedback.repositories.goals import GoalsRepository
from feedback.repositories.pairs import PairsRepository
from feedback.schemas import goals as schemas
from mentoring_shared.web.acting import EVERYONE, acting, tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, unit_of_work

blueprint = Blueprint("goals", __name__, url_prefix="/v1", description="Goals, milestones and check-ins of a pair.")


@blueprint.route("/pairs/<id:match_id>/goals")
class PairGoals(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.GoalListSchema)
    @blueprint.alt_response(404, description="No such pair, or not yours.")
    def get(self, match_id):
        """The pair's goals, each with its milestones."""
        actor = acting(orm.people)
        with current_runtime().sessions() as db:
            items = handlers.goals_with_milestones(PairsRepository(db), GoalsRepository(db), tenant(), match_id, actor)
            return {"items": items}

    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.NewGoalSchema)
    @blueprint.response(201, schemas.GoalSchema)
    @blueprint.alt_response(404, description="No such pair, or not yours.")
    @blueprint.alt_response(409, description="The pair has ended.")
    def post(self, body, match_id):
        """Set a goal: specific, with a target date, and milestones on the way if you like."""
        return handlers.set_goal(tenant(), match_id, acting(orm.people), body, unit_of_work())


@blueprint.route("/goals/<id:goal_id>")
class GoalItem(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.GoalSchema)
    @blueprint.alt_response(404, description="No such goal, or not yours.")
    def get(self, goal_id):
        """One goal with its milestones."""
        actor = acting(orm.people)
        with current_runtime().sessions() as db:
            return handlers.goal_with_milestones(PairsRepository(db), GoalsRepository(db), tenant(), goal_id, actor)

    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.GoalChangesSchema)
    @blueprint.response(200, schemas.GoalSchema)
    @blueprint.alt_response(404, description="No such goal, or not yours.")
    @blueprint.alt_response(409, description="The pair has ended.")
    def patch(self, changes, goal_id):
        """Revisit a goal: its words, target date, progress, or status (achieved, dropped, open again)."""
        return handlers.change_goal(tenant(), goal_id, acting(orm.people), changes, unit_of_work())


@blueprint.route("/goals/<id:goal_id>/milestones")
class GoalMilestones(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.MilestoneInSchema)
    @blueprint.response(201, schemas.MilestoneSchema)
    @blueprint.alt_response(404, description="No such goal, or not yours.")
    @blueprint.alt_response(409, description="The pair has ended.")
    def post(self, body, goal_id):
        """Add a milestone on the way to a goal."""
        return handlers.add_milestone(tenant(), goal_id, acting(orm.people), body["title"], unit_of_work())


@blueprint.route("/milestones/<id:milestone_id>/reached")
class MilestoneReached(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.MilestoneSchema)
    @blueprint.alt_response(404, description="No such milestone, or not yours.")
    @blueprint.alt_response(409, description="Already reached, or the pair has ended.")
    def post(self, milestone_id):
        """Mark a milestone reached: `feedback.milestone.reached.v1` tells the platform to celebrate."""
        return handlers.reach_milestone(tenant(), milestone_id, acting(orm.people), unit_of_work())


@blueprint.route("/pairs/<id:match_id>/check-ins")
class PairCheckIns(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.CheckInListSchema)
    @blueprint.alt_response(404, description="No such pair, or not yours.")
    def get(self, match_id):
        """The pair's check-ins (one and three months after the match), done or due."""
        actor = acting(orm.people)
        with current_runtime().sessions() as db:
            return {"items": handlers.check_ins(PairsRepository(db), GoalsRepository(db), tenant(), match_id, actor)}


@blueprint.route("/check-ins/<id:check_in_id>/completion")
class CheckInCompletion(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.CheckInCompletionSchema, required=False)
    @blueprint.response(200, schemas.CheckInSchema)
    @blueprint.alt_response(404, description="No such check-in, or not yours.")
    @blueprint.alt_response(409, description="Already completed.")
    def post(self, body, check_in_id):
        """Record that the check-in happened, with a note if you like."""
        return handlers.complete_check_in(tenant(), check_in_id, acting(orm.people), (body or {}).get("note"),
                                          unit_of_work())
