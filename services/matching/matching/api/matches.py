"""/v1/matches, /v1/match-requests and /v1/cohorts/{id}/suggestions: pairs, and mentees choosing
mentors. Mentors and mentees see and act on their own; organizers on anyone's in their tenant."""

from dataclasses import replace

from flask.views import MethodView

from matching import orm
from matching.domain.matches import Match
from matching.handlers import matches as match_handlers
from matching.handlers import self_match as handlers
from matching.schemas import matches as schemas
from mentoring_shared.errors import InvalidField, NotFound
from mentoring_shared.web.acting import EVERYONE, ORGANIZERS, acting, listed_person, tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import service_settings, unit_of_work
from mentoring_shared.web.pagination import page

blueprint = Blueprint("matches", __name__, url_prefix="/v1",
                      description="Matches, mentees' requests to mentors, suggestions and rematch.")


def _visible_to_caller(item) -> bool:
    return acting(orm.people).may_see(item.mentee_id, item.mentor_id)


def _shown(match: Match) -> Match:
    """Pair health is the organizers' to see: its reasons can reveal how the other side rated you."""
    if acting(orm.people).organizer:
        return match
    return replace(match, health=None, health_reasons=(), health_evaluated_at=None)


def _whose(args) -> str | None:
    return listed_person(orm.people, args.get("person_id"))


@blueprint.route("/matches")
class Matches(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.MatchQuerySchema, location="query")
    @blueprint.response(200, schemas.MatchPageSchema)
    def get(self, args):
        """Matches, filtered by cohort, person or status."""
        if args.get("health") and not acting(orm.people).organizer:
            raise InvalidField("health", "only organizers see pair health")
        with unit_of_work().reading() as reads:
            rows = reads.matches.list(
                tenant(), limit=args["limit"] + 1, after=args.get("cursor"), cohort_id=args.get("cohort_id"),
                person_id=_whose(args), status=args.get("status"), health=args.get("health"))
        return page([_shown(match) for match in rows], args["limit"], lambda match: match.id)


@blueprint.route("/matches/<id:match_id>")
class MatchItem(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.MatchSchema)
    @blueprint.alt_response(404, description="No such match in this tenant.")
    def get(self, match_id):
        """One match and why it was made."""
        with unit_of_work().reading() as reads:
            match = reads.matches.get(tenant(), match_id)
        if match is None or not _visible_to_caller(match):
            raise NotFound(f"no match {match_id} in this tenant")
        return _shown(match)


@blueprint.route("/matches/<id:match_id>/end")
class MatchEnd(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.EndMatchSchema)
    @blueprint.response(200, schemas.RematchSchema)
    @blueprint.alt_response(404, description="No such match in this tenant.")
    @blueprint.alt_response(409, description="The match already ended.")
    def post(self, body, match_id):
        """End the match with a reason; by default, propose a new mentor to the mentee (rematch)
        without touching any other pair."""
        ended, proposal = match_handlers.end_match_on_request(
            tenant(), match_id, body["reason"], body["note"], body["rematch"], acting(orm.people),
            service_settings().request_time_to_live, unit_of_work())
        return {"match": _shown(ended), "rematch_proposal": proposal}


@blueprint.route("/cohorts/<id:cohort_id>/suggestions")
class Suggestions(MethodView):
    @requires_role(*ORGANIZERS, "mentee")
    @blueprint.arguments(schemas.SuggestionQuerySchema, location="query")
    @blueprint.response(200, schemas.SuggestionListSchema)
    @blueprint.alt_response(404, description="No such cohort in this tenant.")
    def get(self, args, cohort_id):
        """Mentors the mentee could ask, best first, each with its explanation."""
        mentee_id = _mentee(args)
        return {"items": handlers.suggestions(tenant(), cohort_id, mentee_id, args["limit"], unit_of_work())}


@blueprint.route("/cohorts/<id:cohort_id>/match-requests")
class CohortRequests(MethodView):
    @requires_role(*ORGANIZERS, "mentee")
    @blueprint.arguments(schemas.CreateRequestSchema)
    @blueprint.response(201, schemas.RequestSchema)
    @blueprint.alt_response(404, description="No such cohort in this tenant.")
    @blueprint.alt_response(409, description="A hard rule, a pending request, or the cohort's state forbids it.")
    def post(self, body, cohort_id):
        """Ask a mentor; they have until `expires_at` to accept or decline."""
        return handlers.request_mentor(tenant(), cohort_id, _mentee(body), body["mentor_id"],
                                       acting(orm.people), service_settings().request_time_to_live,
                                       unit_of_work())


@blueprint.route("/match-requests")
class Requests(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.RequestQuerySchema, location="query")
    @blueprint.response(200, schemas.RequestPageSchema)
    def get(self, args):
        """Requests and rematch proposals, filtered by cohort or person."""
        with unit_of_work().reading() as reads:
            rows = reads.match_requests.list(tenant(), limit=args["limit"] + 1, after=args.get("cursor"),
                                             cohort_id=args.get("cohort_id"), person_id=_whose(args))
        return page(rows, args["limit"], lambda request: request.id)


@blueprint.route("/match-requests/<id:request_id>")
class RequestItem(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.RequestSchema)
    @blueprint.alt_response(404, description="No such request in this tenant.")
    def get(self, request_id):
        """One request."""
        with unit_of_work().reading() as reads:
            request = reads.match_requests.get(tenant(), request_id)
        if request is None or not _visible_to_caller(request):
            raise NotFound(f"no match request {request_id} in this tenant")
        return request


def _decision(name: str, decide, description: str):
    @blueprint.route(f"/match-requests/<id:request_id>/{name}", endpoint=f"request_{name}")
    class Decision(MethodView):
        @requires_role(*EVERYONE)
        @blueprint.arguments(schemas.DecisionSchema)
        @blueprint.response(200, schemas.RequestSchema)
        @blueprint.alt_response(404, description="No such request in this tenant.")
        @blueprint.alt_response(409, description="The request is not pending (or capacity ran out).")
        def post(self, body, request_id):
            return decide(request_id, body)
    Decision.post.__doc__ = description
    return Decision


_decision("accept", lambda request_id, body: handlers.accept_request(tenant(), request_id, acting(orm.people),
                                                                     unit_of_work()),
          "The mentor accepts: the pair is confirmed (capacity permitting).")
_decision("decline", lambda request_id, body: handlers.decline_request(tenant(), request_id, body["note"],
                                                                       acting(orm.people), unit_of_work()),
          "The mentor declines.")
_decision("cancel", lambda request_id, body: handlers.cancel_request(tenant(), request_id, body["note"],
                                                                     acting(orm.people), unit_of_work()),
          "The mentee withdraws the request.")


def _mentee(args) -> str:
    actor = acting(orm.people)
    if actor.organizer:
        if not args.get("mentee_id"):
            raise InvalidField("mentee_id", "organizers name the mentee")
        return args["mentee_id"]
    if args.get("mentee_id") not in (None, actor.person_id):
        raise InvalidField("mentee_id", "a mentee acts only for themselves")
    assert actor.person_id is not None, "an actor who is not an organizer is a person"
    return actor.person_id
