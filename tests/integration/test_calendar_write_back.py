"""Sessions written back to a person's CalDAV calendar (a real Radicale): a mentor opts a CalDAV
source into write-back; booking, moving and calling off a session (through the real pipeline)
publish events whose write-back handlers put, update and delete the event on the server. A
redelivered event changes nothing; a refused account is recorded on the source, never raised; a
server that cannot be reached raises, for the consumer to retry.

The handlers are called directly with the envelopes scheduling's outbox holds, as its consumer
would call them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import icalendar
import pytest
import requests
from sqlalchemy import insert, select

from mentoring_shared.contracts import scheduling as contracts
from mentoring_shared.messaging.envelope import Envelope
from mentoring_testing.servers import free_port
from scheduling.calendar_entries import UID_DOMAIN
from scheduling.calendars.caldav_client import CalDavAccount, CalDavError, create_calendar, entry_url
from scheduling.calendars.entries import session_uid
from scheduling.handlers.scheduling_events import scheduling_event_handlers
from scheduling.settings import DEFAULT_ORGANIZER
from tests.integration.scheduling_records import insert_person, insert_session
from tests.integration.test_scheduling_sessions import PYTHON, confirmed_pairs, next_weekday_at

UTC = UTC


# --- helpers -------------------------------------------------------------------------------------

@pytest.fixture
def write_back_calendar(radicale_server) -> str:
    """A fresh calendar on the Radicale server; its path there ("/mentor/<name>/")."""
    path = f"/{radicale_server.username}/write-back-{uuid.uuid4().hex[:8]}/"
    assert create_calendar(CalDavAccount(radicale_server.base_url, radicale_server.username,
                                         radicale_server.password), path, "Mentoring")
    return path


def outbox_envelopes(app, tenant: str, event_type: str) -> list[Envelope]:
    runtime = app.extensions["runtime"]
    outbox = runtime.outbox
    with runtime.sessions() as session:
        rows = session.execute(outbox.select().where(outbox.c.tenant_id == tenant, outbox.c.event_type == event_type)
                               .order_by(outbox.c.seq)).mappings().all()
    return [Envelope.from_json(row["envelope"]) for row in rows]


def deliver(app, event: Envelope) -> None:
    """What the consumer does with one event: its handler in a unit of work, committed."""
    handler = scheduling_event_handlers(DEFAULT_ORGANIZER)[event.type]
    with app.extensions["runtime"].unit_of_work() as uow:
        handler(event, uow)
        uow.commit()


class StoredEvent:
    def __init__(self, response: requests.Response, uid: str):
        self.etag = response.headers.get("ETag")
        self.body = response.content
        [self.vevent] = [event for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
                         if str(event["UID"]) == uid]

    @property
    def sequence(self) -> int:
        return int(self.vevent.get("SEQUENCE", 0))

    @property
    def start(self) -> datetime:
        return self.vevent.decoded("DTSTART")


def stored(radicale_server, path: str, session_id: str) -> StoredEvent | None:
    uid = session_uid(session_id, UID_DOMAIN)
    account = CalDavAccount(radicale_server.base_url, radicale_server.username, radicale_server.password)
    response = requests.get(entry_url(account, path, uid), auth=radicale_server.auth, timeout=10)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    return StoredEvent(response, uid)


def source_row(app, tenant: str, source_id: str) -> dict:
    runtime = app.extensions["runtime"]
    table = runtime.outbox.metadata.tables["calendar_sources"]
    with runtime.sessions() as session:
        return dict(session.execute(select(table).where(table.c.tenant_id == tenant,
                                                        table.c.source_id == source_id)).mappings().one())


def insert_write_back_source(app, tenant: str, person_id: str, url: str, username: str, password: str,
                             path: str) -> str:
    runtime = app.extensions["runtime"]
    table = runtime.outbox.metadata.tables["calendar_sources"]
    source_id = str(uuid.uuid4())
    with runtime.sessions() as session:
        session.execute(insert(table).values(
            source_id=source_id, tenant_id=tenant, person_id=person_id, kind="caldav", url=url, username=username,
            secret=password, busy=[], horizon_start=0, horizon_end=0, refreshed_at=datetime.now(UTC),
            last_error=None, write_back_path=path))
        session.commit()
    return source_id


def scheduled_event(tenant: str, session: dict) -> Envelope:
    return Envelope.new(type=contracts.SESSION_SCHEDULED_V1, source="scheduling", subject=session["session_id"],
                        tenant_id=tenant, data={"session_id": session["session_id"]})


# --- the whole life of a session -----------------------------------------------------------------

def test_a_session_is_written_moved_and_removed_on_the_mentors_caldav_calendar(
        api, apps, tenant, running_workers, radicale_server, write_back_calendar):
    cohort, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}},
                                           {"linus": {"goals": ["python"]}})
    scheduling, app = api("scheduling"), apps["scheduling"]
    added = scheduling.post(f"/v1/people/{mentorship['mentor_id']}/calendars", json={
        "kind": "caldav", "url": radicale_server.base_url + write_back_calendar,
        "username": radicale_server.username, "password": radicale_server.password,
        "write_back_calendar": write_back_calendar})
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["write_back_calendar"] == write_back_calendar

    first, moved_to = next_weekday_at(9), next_weekday_at(13)
    booked = scheduling.post(f"/v1/mentorships/{mentorship['id']}/sessions", json={"starts_at": [first.isoformat()]})
    assert booked.status_code == 201, booked.get_json()
    [session] = booked.get_json()["items"]
    [scheduled] = outbox_envelopes(app, tenant, contracts.SESSION_SCHEDULED_V1)

    deliver(app, scheduled)
    written = stored(radicale_server, write_back_calendar, session["id"])
    assert written is not None and written.sequence == 0 and written.start == first
    assert str(written.vevent["STATUS"]) == "CONFIRMED"
    attendees = {str(attendee).lower() for attendee in written.vevent.get("ATTENDEE")}
    assert f"mailto:{cohort.mentors['ada']['email']}".lower() in attendees
    assert f"mailto:{cohort.mentees['linus']['email']}".lower() in attendees

    deliver(app, scheduled)  # redelivered: the same copy stays, untouched
    again = stored(radicale_server, write_back_calendar, session["id"])
    assert (again.etag, again.body) == (written.etag, written.body)

    moved = scheduling.post(f"/v1/sessions/{session['id']}/reschedule", json={"starts_at": moved_to.isoformat()})
    assert moved.status_code == 200, moved.get_json()
    [rescheduled] = outbox_envelopes(app, tenant, contracts.SESSION_RESCHEDULED_V1)
    deliver(app, rescheduled)
    updated = stored(radicale_server, write_back_calendar, session["id"])
    assert updated.sequence > written.sequence and updated.start == moved_to

    deliver(app, scheduled)  # a late redelivery of the booking does not move it back
    deliver(app, rescheduled)
    assert stored(radicale_server, write_back_calendar, session["id"]).body == updated.body

    assert scheduling.post(f"/v1/sessions/{session['id']}/cancel", json={}).status_code == 200
    [cancelled] = outbox_envelopes(app, tenant, contracts.SESSION_CANCELLED_V1)
    deliver(app, cancelled)
    assert stored(radicale_server, write_back_calendar, session["id"]) is None
    for late in (cancelled, scheduled, rescheduled):  # redeliveries never bring it back
        deliver(app, late)
    assert stored(radicale_server, write_back_calendar, session["id"]) is None
    assert source_row(app, tenant, added.get_json()["id"])["last_error"] is None


def test_a_completed_session_and_a_session_without_write_back_write_nothing(apps, tenant, radicale_server):
    app = apps["scheduling"]
    mentee, mentor = insert_person(app, tenant), insert_person(app, tenant)
    session = insert_session(app, tenant, mentee["person_id"], mentor["person_id"], next_weekday_at(9))
    handlers = scheduling_event_handlers(DEFAULT_ORGANIZER)
    assert set(handlers) == {contracts.SESSION_SCHEDULED_V1, contracts.SESSION_RESCHEDULED_V1,
                             contracts.SESSION_CANCELLED_V1, contracts.SESSION_COMPLETED_V1}
    deliver(app, scheduled_event(tenant, session))  # nobody opted in: nothing to do, nothing raised
    gone = scheduled_event(tenant, {"session_id": str(uuid.uuid4())})
    deliver(app, gone)  # no such session (any more): skipped


# --- failures ------------------------------------------------------------------------------------

def test_a_wrong_password_is_recorded_on_the_source_and_does_not_raise(apps, tenant, radicale_server,
                                                                       write_back_calendar):
    app = apps["scheduling"]
    mentee, mentor = insert_person(app, tenant), insert_person(app, tenant)
    session = insert_session(app, tenant, mentee["person_id"], mentor["person_id"], next_weekday_at(9))
    wrong = insert_write_back_source(app, tenant, mentor["person_id"], radicale_server.base_url + "/",
                                     radicale_server.username, "not-it", write_back_calendar)
    missing = insert_write_back_source(app, tenant, mentee["person_id"], radicale_server.base_url + "/",
                                       radicale_server.username, radicale_server.password,
                                       f"/{radicale_server.username}/no-such-calendar-{uuid.uuid4().hex[:6]}/")

    deliver(app, scheduled_event(tenant, session))

    assert source_row(app, tenant, wrong)["last_error"].startswith("write-back: unauthorized")
    assert source_row(app, tenant, missing)["last_error"].startswith("write-back: not_found")
    assert stored(radicale_server, write_back_calendar, session["session_id"]) is None


def test_an_unreachable_server_raises_for_the_consumer_to_retry(apps, tenant):
    app = apps["scheduling"]
    mentee, mentor = insert_person(app, tenant), insert_person(app, tenant)
    session = insert_session(app, tenant, mentee["person_id"], mentor["person_id"], next_weekday_at(9))
    source = insert_write_back_source(app, tenant, mentor["person_id"], f"http://127.0.0.1:{free_port()}/",
                                      "someone", "secret", "/someone/calendar/")
    with pytest.raises(CalDavError) as raised:
        deliver(app, scheduled_event(tenant, session))
    assert raised.value.code == "unreachable"
    assert source_row(app, tenant, source)["last_error"] is None  # rolled back with the event


# --- the option on a CalDAV source ---------------------------------------------------------------

@pytest.mark.parametrize("path", ["mentor/calendar/", "/mentor/calendar", "//evil.example/calendar/",
                                  "/mentor/../other/", "/mentor/%2e%2e/other/", "/mentor/./x/",
                                  "/mentor/cal/?x=1/", "/mentor/my calendar/"])
def test_a_write_back_calendar_must_be_a_plain_path_on_the_server(api, apps, tenant, radicale_server, path):
    person = insert_person(apps["scheduling"], tenant)
    response = api("scheduling").post(f"/v1/people/{person['person_id']}/calendars", json={
        "kind": "caldav", "url": radicale_server.home_url, "username": radicale_server.username,
        "password": radicale_server.password, "write_back_calendar": path})
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"][0]["field"] == "write_back_calendar"


def test_only_a_caldav_source_takes_a_write_back_calendar(api, apps, tenant):
    person = insert_person(apps["scheduling"], tenant)
    response = api("scheduling").post(f"/v1/people/{person['person_id']}/calendars", json={
        "kind": "ics_url", "url": "http://127.0.0.1/x.ics", "write_back_calendar": "/mentor/calendar/"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "write_back_calendar"
