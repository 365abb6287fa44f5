"""/v1/people/{id}/calendars and /v1/calendars/{id}: the calendars a person's busy time is read
from (an uploaded ICS file, a calendar URL, a CalDAV account). Organizers manage anyone's in their
tenant; mentors and mentees their own."""

from flask.views import MethodView

from mentoring_shared.web.acting import EVERYONE, acting, tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, service_settings, unit_of_work
from mentoring_shared.web.pagination import page
from mentoring_shared.web.uploads import accepts_upload
from scheduling import orm
from scheduling.handlers import calendars as handlers
from scheduling.schemas import calendars as schemas
from scheduling.settings import CALENDAR_BYTES_CEILING
from scheduling.unit_of_work import reading

# The whole multipart body: the largest file SCHEDULING_CALENDAR_MAX_BYTES may allow, and its
# envelope. A file over the configured limit but under this is a 422 naming `file`; over this, a 413.
MAX_UPLOAD_BYTES = CALENDAR_BYTES_CEILING + 64 * 1024

blueprint = Blueprint("calendars", __name__, url_prefix="/v1",
                      description="People's calendars (ICS upload, ICS URL, CalDAV), read as busy time.")

UNUSABLE = "The calendar cannot be used (`code` says why: disallowed, unreachable, timeout, too_large, " \
           "not_a_calendar, malformed, unauthorized, ...); nothing was stored."


@blueprint.route("/people/<id:person_id>/calendars/upload")
class CalendarUpload(MethodView):
    @accepts_upload(MAX_UPLOAD_BYTES)
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.UploadCalendarSchema, location="multipart")
    @blueprint.response(200, schemas.CalendarSourceSchema)
    @blueprint.alt_response(403, description="Mentors and mentees upload only their own calendar.")
    @blueprint.alt_response(404, description="No such person in this tenant.")
    @blueprint.alt_response(422, description=UNUSABLE)
    def put(self, upload, person_id):
        """Upload the person's calendar as an ICS file: its busy time over the weeks ahead is read
        in their time zone and replaces that of their previous upload."""
        limit = service_settings().calendar_max_bytes
        # One byte more than the limit is enough for the parser to refuse it as too large.
        return handlers.upload_calendar(tenant(), person_id, upload["file"].read(limit + 1), acting(orm.people),
                                        service_settings(), unit_of_work())


@blueprint.route("/people/<id:person_id>/calendars")
class PersonCalendars(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.CalendarQuerySchema, location="query")
    @blueprint.response(200, schemas.CalendarSourcePageSchema)
    @blueprint.alt_response(403, description="Mentors and mentees see only their own calendars.")
    @blueprint.alt_response(404, description="No such person in this tenant.")
    def get(self, args, person_id):
        """The person's calendars (no passwords), oldest first."""
        actor = acting(orm.people)
        with reading(current_runtime()) as reads:
            rows = handlers.calendars_of(tenant(), person_id, actor, args["limit"] + 1, args.get("cursor"), reads)
        return page(rows, args["limit"], lambda source: source.id)

    @requires_role(*EVERYONE)
    @blueprint.arguments(schemas.AddCalendarSchema)
    @blueprint.response(201, schemas.CalendarSourceSchema)
    @blueprint.alt_response(403, description="Mentors and mentees add only their own calendars.")
    @blueprint.alt_response(404, description="No such person in this tenant.")
    @blueprint.alt_response(422, description=UNUSABLE)
    def post(self, body, person_id):
        """Add a calendar by URL (`ics_url`) or CalDAV account (`caldav`): it is read at once (its
        host must be on the allow-list), and can be read again with `.../refresh`. A CalDAV account
        may name a calendar (`write_back_calendar`) that the person's sessions are then written to."""
        account = handlers.CalendarAccount(body["kind"], body["url"], body.get("username"), body.get("password"),
                                           body.get("write_back_calendar"))
        return handlers.add_calendar(tenant(), person_id, account, acting(orm.people), service_settings(),
                                     unit_of_work())


@blueprint.route("/calendars/<id:source_id>")
class CalendarItem(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(204)
    @blueprint.alt_response(403, description="Mentors and mentees remove only their own calendars.")
    @blueprint.alt_response(404, description="No such calendar in this tenant.")
    def delete(self, source_id):
        """Remove a calendar and the busy time read from it (and its stored credentials)."""
        handlers.remove_calendar(tenant(), source_id, acting(orm.people), unit_of_work())


@blueprint.route("/calendars/<id:source_id>/refresh")
class CalendarRefresh(MethodView):
    @requires_role(*EVERYONE)
    @blueprint.response(200, schemas.CalendarSourceSchema)
    @blueprint.alt_response(403, description="Mentors and mentees refresh only their own calendars.")
    @blueprint.alt_response(404, description="No such calendar in this tenant.")
    @blueprint.alt_response(409, description="An uploaded file cannot be read again: upload it anew.")
    @blueprint.alt_response(422, description=UNUSABLE + " The source keeps its earlier busy time and records "
                                                        "the error in `last_error`.")
    def post(self, source_id):
        """Read a URL or CalDAV calendar again, over the weeks ahead from now."""
        return handlers.refresh_calendar(tenant(), source_id, acting(orm.people), service_settings(), unit_of_work())
