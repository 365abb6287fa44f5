"""Personal ICS feeds. /v1/people/{id}/feed-tokens and /v1/feed-tokens/{id}/revoke manage the
tokens (JWT, like every route); /v1/feeds/{token}.ics is what a calendar app subscribes to, and is
authenticated by its token alone: calendar apps cannot send a bearer header."""

from flask import Response, request
from flask.views import MethodView

from mentoring_shared.web.acting import EVERYONE, acting, tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, service_settings, unit_of_work
from mentoring_shared.web.pagination import page
from scheduling import orm
from scheduling.calendars.feeds import CONTENT_TYPE
from scheduling.handlers import feeds as handlers
from scheduling.schemas import feeds as schemas
from scheduling.unit_of_work import reading

blueprint = Blueprint("feed_tokens", __name__, url_prefix="/v1",
                      description="Secret feed URLs that put a person's sessions in their calendar app.")

public_blueprint = Blueprint("feeds", __name__, url_prefix="/v1/feeds",
                             description="Personal ICS feeds, opened by their secret token alone.")
public_blueprint.authenticates_itself = True  # read by the app factory: the token in the path is the credential


def feed_url(token: str) -> str:
    base = service_settings().feed_base_url or request.url_root.rstrip("/")
    return f"{base}/v1/feeds/{token}.ics"


@blueprint.route("/people/<id:person_id>/feed-tokens")
class PersonFeedTokens(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(201, schemas.FeedTokenCreatedSchema)
    @blueprint.alt_response(403, description="Mentors and mentees create feeds only for themselves.")
    @blueprint.alt_response(404, description="No such person in this tenant.")
    def post(self, person_id):
        """A new feed for the person: subscribe to `url` in a calendar app. The token is in this
        answer only; only its hash is stored."""
        row, token = handlers.create_feed_token(tenant(), person_id, acting(orm.people), unit_of_work())
        return {**row, "token": token, "url": feed_url(token)}

    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.FeedTokenQuerySchema, location="query")
    @blueprint.response(200, schemas.FeedTokenPageSchema)
    @blueprint.alt_response(403, description="Mentors and mentees see only their own feeds.")
    @blueprint.alt_response(404, description="No such person in this tenant.")
    def get(self, args, person_id):
        """The person's feed tokens: ids and dates, never the tokens."""
        actor = acting(orm.people)
        with reading(current_runtime()) as reads:
            rows = handlers.feed_tokens_of(tenant(), person_id, actor, args["limit"] + 1, args.get("cursor"), reads)
        return page(rows, args["limit"], lambda row: row["token_id"])


@blueprint.route("/feed-tokens/<id:token_id>/revoke")
class FeedTokenRevoke(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.FeedTokenSchema)
    @blueprint.alt_response(403, description="Mentors and mentees revoke only their own feeds.")
    @blueprint.alt_response(404, description="No such feed token in this tenant.")
    def post(self, token_id):
        """Revoke a feed token: its feed answers 404 from now on. Revoking twice is harmless."""
        return handlers.revoke_feed_token(tenant(), token_id, acting(orm.people), unit_of_work())


@public_blueprint.route("/<id:token>.ics")
class PersonalFeed(MethodView):
    @public_blueprint.doc(security=[], responses={"200": {
        "description": "The person's sessions as an iCalendar feed (METHOD:PUBLISH).",
        "content": {"text/calendar": {"schema": {"type": "string"}}}}})
    @public_blueprint.alt_response(404, description="No such feed: the token is unknown or revoked.")
    def get(self, token):
        """A person's sessions, from 30 days back on, for calendar apps to subscribe to. The token
        in the path is the only credential; no bearer token is needed."""
        with reading(current_runtime()) as reads:
            body = handlers.feed_for_token(token, service_settings(), reads)
        return Response(body, status=200, content_type=CONTENT_TYPE,
                        headers={"Cache-Control": "private, max-age=300"})
