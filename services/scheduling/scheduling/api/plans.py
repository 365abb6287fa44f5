"""/v1/mentorships, /v1/sessions and /v1/cohorts/{id}/kickoffs: a pair's plan and its meetings.
Mentors and mentees see and act on their own pairs; organizers on any in their tenant."""

from flask.views import MethodView

from mentoring_shared.web.acting import EVERYONE, ORGANIZERS, acting, listed_person, tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, service_settings, unit_of_work
from mentoring_shared.web.pagination import page
from scheduling import orm
from scheduling.handlers import mentorships as plan_handlers
from scheduling.handlers import sessions as handlers
from scheduling.schemas import plans as schemas
from scheduling.unit_of_work import reading

blueprint = Blueprint("plans", __name__, url_prefix="/v1",
                      description="Mentorship plans, sessions, suggested times, cohort kickoffs and breaks.")


def _whose(args) -> str | None:
    return listed_person(orm.people, args.get("person_id"))


@blueprint.route("/mentorships")
class Mentorships(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.MentorshipQuerySchema, location="query")
    @blueprint.response(200, schemas.MentorshipPageSchema)
    def get(self, args):
        """Mentorships (one per confirmed match), by cohort, person or status."""
        with reading(current_runtime()) as reads:
            rows = reads.mentorships.page(tenant(), limit=args["limit"] + 1, after=args.get("cursor"),
                                          cohort_id=args.get("cohort_id"), person_id=_whose(args),
                                          status=args.get("status"))
        return page(rows, args["limit"], lambda mentorship: mentorship.id)


@blueprint.route("/mentorships/<id:mentorship_id>")
class MentorshipItem(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.MentorshipSchema)
    @blueprint.alt_response(404, description="No such mentorship in this tenant.")
    def get(self, mentorship_id):
        """One mentorship and its plan."""
        with reading(current_runtime()) as reads:
            return handlers.visible_mentorship(reads.mentorships, tenant(), mentorship_id, acting(orm.people))


@blueprint.route("/mentorships/<id:mentorship_id>/slots")
class MentorshipSlots(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.SlotQuerySchema, location="query")
    @blueprint.response(200, schemas.SlotListSchema)
    @blueprint.alt_response(404, description="No such mentorship in this tenant.")
    def get(self, args, mentorship_id):
        """The next times on the pair's cadence that fit both people's working hours and calendars."""
        with reading(current_runtime()) as reads:
            starts, mentorship = plan_handlers.suggested_times(tenant(), mentorship_id, args["count"],
                                                               args.get("not_before"), acting(orm.people), reads)
        return {"starts_at": starts, "meeting_minutes": mentorship.meeting_minutes}


@blueprint.route("/mentorships/<id:mentorship_id>/sessions")
class MentorshipSessions(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.BookSchema)
    @blueprint.response(201, schemas.SessionPageSchema)
    @blueprint.alt_response(404, description="No such mentorship in this tenant.")
    @blueprint.alt_response(409, description="The mentorship is paused or ended.")
    def post(self, body, mentorship_id):
        """Book a session, or a recurring series (all or nothing). Each must fit both people's working
        hours and calendars and overlap none of their sessions."""
        sessions = handlers.book(tenant(), mentorship_id, body["starts_at"], body["kind"], acting(orm.people),
                                 unit_of_work(), service_settings().organizer)
        return {"items": sessions, "next_cursor": None}

    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.SessionQuerySchema, location="query")
    @blueprint.response(200, schemas.SessionPageSchema)
    @blueprint.alt_response(404, description="No such mentorship in this tenant.")
    def get(self, args, mentorship_id):
        """The pair's sessions."""
        with reading(current_runtime()) as reads:
            handlers.visible_mentorship(reads.mentorships, tenant(), mentorship_id, acting(orm.people))
            rows = reads.sessions.page(tenant(), limit=args["limit"] + 1, after=args.get("cursor"),
                                       mentorship_id=mentorship_id)
        return page(rows, args["limit"], lambda session: session.id)


@blueprint.route("/sessions")
class Sessions(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.SessionQuerySchema, location="query")
    @blueprint.response(200, schemas.SessionPageSchema)
    def get(self, args):
        """Sessions, by person (a mentor or mentee sees their own)."""
        with reading(current_runtime()) as reads:
            rows = reads.sessions.page(tenant(), limit=args["limit"] + 1, after=args.get("cursor"),
                                       person_id=_whose(args))
        return page(rows, args["limit"], lambda session: session.id)


@blueprint.route("/sessions/<id:session_id>")
class SessionItem(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.SessionSchema)
    @blueprint.alt_response(404, description="No such session in this tenant.")
    def get(self, session_id):
        """One session."""
        with reading(current_runtime()) as reads:
            return handlers.visible_session(reads.sessions, tenant(), session_id, acting(orm.people))


@blueprint.route("/sessions/<id:session_id>/reschedule")
class SessionReschedule(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.RescheduleSchema)
    @blueprint.response(200, schemas.SessionSchema)
    @blueprint.alt_response(404, description="No such session in this tenant.")
    @blueprint.alt_response(409, description="The session is no longer scheduled.")
    def post(self, body, session_id):
        """Move the session; the new time must fit both people."""
        return handlers.reschedule(tenant(), session_id, body["starts_at"], acting(orm.people), unit_of_work(),
                                   service_settings().organizer)


@blueprint.route("/sessions/<id:session_id>/cancel")
class SessionCancel(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.NoteSchema)
    @blueprint.response(200, schemas.SessionSchema)
    @blueprint.alt_response(404, description="No such session in this tenant.")
    @blueprint.alt_response(409, description="The session is no longer scheduled.")
    def post(self, body, session_id):
        """Call the session off, with a note for the other person."""
        return handlers.cancel(tenant(), session_id, body["note"], acting(orm.people), unit_of_work(),
                               service_settings().organizer)


@blueprint.route("/sessions/<id:session_id>/confirm")
class SessionConfirm(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.NoteSchema)
    @blueprint.response(200, schemas.SessionSchema)
    @blueprint.alt_response(404, description="No such session in this tenant.")
    @blueprint.alt_response(409, description="Not started yet, or no longer scheduled.")
    def post(self, body, session_id):
        """Confirm the session took place; once both have, it is completed. (Sessions nobody
        cancels complete by themselves after they end.)"""
        return handlers.confirm_held(tenant(), session_id, acting(orm.people), unit_of_work(),
                                     service_settings().organizer)


@blueprint.route("/sessions/<id:session_id>/no-show")
class SessionNoShow(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.NoteSchema)
    @blueprint.response(200, schemas.SessionSchema)
    @blueprint.alt_response(404, description="No such session in this tenant.")
    @blueprint.alt_response(409, description="Not started yet, or no longer scheduled.")
    def post(self, body, session_id):
        """Report that the other person did not come."""
        return handlers.report_no_show(tenant(), session_id, body["note"], acting(orm.people), unit_of_work(),
                                       service_settings().organizer)


@blueprint.route("/mentorships/<id:mentorship_id>/pause")
class MentorshipPause(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.PauseSchema)
    @blueprint.response(200, schemas.MentorshipSchema)
    @blueprint.alt_response(404, description="No such mentorship in this tenant.")
    @blueprint.alt_response(409, description="The mentorship is not active.")
    def post(self, body, mentorship_id):
        """A break against burnout: sessions ahead are cancelled, none can be booked until it resumes."""
        return plan_handlers.pause(tenant(), mentorship_id, body["note"], body["resume_on"], acting(orm.people),
                                   service_settings().organizer, unit_of_work())


@blueprint.route("/mentorships/<id:mentorship_id>/resume")
class MentorshipResume(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.MentorshipSchema)
    @blueprint.alt_response(404, description="No such mentorship in this tenant.")
    @blueprint.alt_response(409, description="The mentorship is not paused.")
    def post(self, mentorship_id):
        """End the break."""
        return plan_handlers.resume(tenant(), mentorship_id, acting(orm.people), unit_of_work())


@blueprint.route("/cohorts/<id:cohort_id>/kickoffs")
class CohortKickoffs(MethodView):
    @requires_role(*ORGANIZERS)
    @blueprint.arguments(schemas.KickoffRequestSchema, required=False)
    @blueprint.response(200, schemas.KickoffListSchema)
    @blueprint.alt_response(404, description="No mentorships of this cohort in this tenant.")
    def post(self, body, cohort_id):
        """Book a kickoff for every new pair of the cohort at its earliest common slot, nobody
        double-booked; pairs without a slot say why."""
        results = plan_handlers.book_kickoffs(tenant(), cohort_id, body.get("not_before"),
                                              service_settings().organizer, unit_of_work())
        return {"items": [{"mentorship_id": mentorship.id, "starts_at": result.start,
                           "reason": result.reason.value if result.reason else None}
                          for mentorship, result in results]}
