"""People's calendars in scheduling, over HTTP: an uploaded ICS file, a calendar URL (a local HTTP
server on a thread, allowed by SCHEDULING_CALENDAR_ALLOWED_HOSTS=127.0.0.1 in the test
environment) and a CalDAV account (a real Radicale), read as busy time; and personal ICS feeds
opened by a secret token. People and sessions are written straight into scheduling's database."""

from __future__ import annotations

import hashlib
import io
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import icalendar
import numpy as np
import pytest
import requests
from sqlalchemy import select

from mentoring_testing.servers import free_port
from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor
from scheduling.calendars.caldav_client import CalDavAccount, create_calendar, entry_url
from scheduling.repositories.calendars import CalendarsRepository
from tests.integration.helpers import count_rows
from tests.integration.scheduling_records import insert_person, insert_session

UTC = UTC


# --- calendar files ------------------------------------------------------------------------------

def ics(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(events)
            + "END:VCALENDAR\r\n").encode()


def vevent(uid: str, *lines: str) -> str:
    return "".join(f"{line}\r\n" for line in ("BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines,
                                              "END:VEVENT"))


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def days_ahead(days: int, hour: int = 0) -> datetime:
    today = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(today.year, today.month, today.day, hour, tzinfo=UTC)


def minutes(start: datetime, end: datetime) -> list[int]:
    return [minutes_floor(start), minutes_ceil(end)]


def stored_sources(app, tenant_id: str, person_id: str) -> list[dict]:
    runtime = app.extensions["runtime"]
    table = runtime.outbox.metadata.tables["calendar_sources"]
    with runtime.sessions() as session:
        return [dict(row) for row in session.execute(select(table).where(
            table.c.tenant_id == tenant_id, table.c.person_id == person_id)).mappings()]


def upload(client, person_id: str, body: bytes):
    return client.request("PUT", f"/v1/people/{person_id}/calendars/upload",
                          data={"file": (io.BytesIO(body), "calendar.ics")}, content_type="multipart/form-data")


def field_error(response) -> dict:
    problem = response.get_json()
    assert response.status_code == 422, problem
    assert response.mimetype == "application/problem+json"
    [error] = problem["errors"]
    return {"field": error["field"], "code": problem.get("code")}


# --- a calendar host on a thread -----------------------------------------------------------------

class CalendarHost:
    """A local HTTP server answering each path with what `pages` holds for it (404 otherwise)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                status, content_type, body = pages.get(self.path, (404, "text/plain", b"not here"))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def serve(self, body: bytes, content_type: str = "text/calendar", status: int = 200) -> str:
        path = f"/{uuid.uuid4().hex}.ics"
        self.pages[path] = (status, content_type, body)
        return self.url(path)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.server.server_address[1]}{path}"


@pytest.fixture(scope="module")
def calendar_host() -> Iterator[CalendarHost]:
    host = CalendarHost()
    host.thread.start()
    yield host
    host.server.shutdown()
    host.server.server_close()


@pytest.fixture
def person(apps, tenant) -> dict:
    return insert_person(apps["scheduling"], tenant)


# --- uploads -------------------------------------------------------------------------------------

def test_an_uploaded_calendar_is_stored_as_busy_time_read_in_the_persons_zone(api, apps, tenant):
    # They live in New York: an all-day event blocks the New York day, whatever the server's zone.
    person = insert_person(apps["scheduling"], tenant, time_zone="America/New_York")
    day = days_ahead(10).date()
    meeting = days_ahead(12, hour=15)
    calendar = ics(vevent("offsite", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                          f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}"),
                   vevent("review", f"DTSTART:{stamp(meeting)}", f"DTEND:{stamp(meeting + timedelta(hours=1))}"),
                   vevent("past", "DTSTART:20200101T090000Z", "DTEND:20200101T100000Z"))

    response = upload(api("scheduling"), person["person_id"], calendar)

    assert response.status_code == 200, response.get_json()
    source = response.get_json()
    assert source["kind"] == "ics_upload" and source["busy_intervals"] == 2
    assert source["busy_minutes"] == 24 * 60 + 60
    new_york = ZoneInfo("America/New_York")
    local_day = datetime(day.year, day.month, day.day, tzinfo=new_york)
    [row] = stored_sources(apps["scheduling"], tenant, person["person_id"])
    assert row["busy"] == [minutes(local_day, local_day + timedelta(days=1)),
                           minutes(meeting, meeting + timedelta(hours=1))]
    assert row["horizon_end"] - row["horizon_start"] == 56 * 24 * 60


def test_a_new_upload_replaces_the_previous_one(api, apps, tenant, person):
    meeting = days_ahead(3, hour=9)
    first = upload(api("scheduling"), person["person_id"],
                   ics(vevent("a", f"DTSTART:{stamp(meeting)}", f"DTEND:{stamp(meeting + timedelta(hours=1))}")))
    second = upload(api("scheduling"), person["person_id"], ics())
    assert first.status_code == second.status_code == 200
    [row] = stored_sources(apps["scheduling"], tenant, person["person_id"])
    assert row["source_id"] == second.get_json()["id"] and row["busy"] == []


@pytest.mark.parametrize("body,code", [
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:tomorrow-ish\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
     "bad_date"),
    (b"Subject,Start Date\r\nStandup,2026-01-05\r\n", "not_a_calendar"),
    (b"BEGIN:VCALENDAR\r\n" + b"X-FILLER:" + b"x" * (2 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n", "too_large"),
], ids=["bad-date", "csv", "oversized"])
def test_an_unusable_calendar_file_is_a_422_naming_file_and_nothing_is_stored(api, apps, tenant, person, body, code):
    response = upload(api("scheduling"), person["person_id"], body)
    assert field_error(response) == {"field": "file", "code": code}
    assert count_rows(apps["scheduling"], "calendar_sources", tenant_id=tenant) == 0


# --- calendar URLs -------------------------------------------------------------------------------

def test_a_calendar_url_on_the_allow_list_is_fetched_and_stored_without_showing_its_path(
        api, apps, tenant, person, calendar_host):
    meeting = days_ahead(5, hour=13)
    url = calendar_host.serve(ics(vevent("m", f"DTSTART:{stamp(meeting)}",
                                         f"DTEND:{stamp(meeting + timedelta(minutes=30))}")))

    response = api("scheduling").post(f"/v1/people/{person['person_id']}/calendars",
                                      json={"kind": "ics_url", "url": url})

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["url"] == f"{url.split('/')[0]}//{url.split('/')[2]}/…"
    [row] = stored_sources(apps["scheduling"], tenant, person["person_id"])
    assert row["kind"] == "ics_url" and row["url"] == url
    assert row["busy"] == [minutes(meeting, meeting + timedelta(minutes=30))]


@pytest.mark.parametrize("where,code", [
    ("localhost", "disallowed"),        # off the allow-list (127.0.0.1 is on it, by address)
    ("https-elsewhere", "disallowed"),
    ("closed-port", "unreachable"),
    ("web-page", "not_a_calendar"),
    ("missing", "bad_status"),
])
def test_a_calendar_url_that_cannot_be_read_is_a_422_naming_url_with_its_code(api, apps, tenant, person,
                                                                           calendar_host, where, code):
    url = {"localhost": calendar_host.url("/anything.ics", host="localhost"),
           "https-elsewhere": "https://calendar.example.com/private/basic.ics",
           "closed-port": f"http://127.0.0.1:{free_port()}/calendar.ics",
           "web-page": calendar_host.serve(b"<!doctype html><p>Sign in</p>", "text/html"),
           "missing": calendar_host.url("/nothing-here.ics")}[where]
    response = api("scheduling").post(f"/v1/people/{person['person_id']}/calendars",
                                      json={"kind": "ics_url", "url": url})
    assert field_error(response) == {"field": "url", "code": code}
    assert count_rows(apps["scheduling"], "calendar_sources", tenant_id=tenant) == 0


def test_a_url_calendar_is_read_again_on_refresh_and_a_failed_refresh_keeps_the_busy_time(
        api, apps, tenant, person, calendar_host):
    first, later = days_ahead(4, hour=8), days_ahead(6, hour=10)
    url = calendar_host.serve(ics(vevent("a", f"DTSTART:{stamp(first)}", f"DTEND:{stamp(first + timedelta(hours=1))}")))
    path = "/" + url.split("/", 3)[3]
    scheduling = api("scheduling")
    source = scheduling.post(f"/v1/people/{person['person_id']}/calendars",
                             json={"kind": "ics_url", "url": url}).get_json()

    calendar_host.pages[path] = (200, "text/calendar", ics(
        vevent("b", f"DTSTART:{stamp(later)}", f"DTEND:{stamp(later + timedelta(hours=2))}")))
    refreshed = scheduling.post(f"/v1/calendars/{source['id']}/refresh")
    assert refreshed.status_code == 200, refreshed.get_json()
    assert refreshed.get_json()["busy_minutes"] == 120
    [row] = stored_sources(apps["scheduling"], tenant, person["person_id"])
    assert row["busy"] == [minutes(later, later + timedelta(hours=2))] and row["last_error"] is None

    calendar_host.pages[path] = (500, "text/plain", b"down")
    failed = scheduling.post(f"/v1/calendars/{source['id']}/refresh")
    assert field_error(failed) == {"field": "url", "code": "bad_status"}
    [row] = stored_sources(apps["scheduling"], tenant, person["person_id"])
    assert row["busy"] == [minutes(later, later + timedelta(hours=2))]  # the last good read stays
    assert row["last_error"].startswith("bad_status")
    listing = scheduling.get(f"/v1/people/{person['person_id']}/calendars").get_json()
    assert listing["items"][0]["last_error"].startswith("bad_status")


def test_an_uploaded_calendar_cannot_be_refreshed(api, person):
    source = upload(api("scheduling"), person["person_id"], ics()).get_json()
    assert api("scheduling").post(f"/v1/calendars/{source['id']}/refresh").status_code == 409


def test_a_removed_calendar_is_gone_with_its_busy_time(api, apps, tenant, person):
    scheduling = api("scheduling")
    source = upload(scheduling, person["person_id"], ics()).get_json()
    assert scheduling.request("DELETE", f"/v1/calendars/{source['id']}").status_code == 204
    assert scheduling.get(f"/v1/people/{person['person_id']}/calendars").get_json() == {"items": [],
                                                                                         "next_cursor": None}
    assert scheduling.request("DELETE", f"/v1/calendars/{source['id']}").status_code == 404
    assert count_rows(apps["scheduling"], "calendar_sources", tenant_id=tenant) == 0


# --- CalDAV --------------------------------------------------------------------------------------

@pytest.fixture
def caldav_calendar(radicale_server) -> str:
    """A calendar of its own on the Radicale server, holding one event three days ahead at 10:00 UTC;
    its URL."""
    account = CalDavAccount(radicale_server.home_url, radicale_server.username, radicale_server.password)
    path = f"scheduling-{uuid.uuid4().hex[:8]}/"
    create_calendar(account, path, "Work")
    meeting = days_ahead(3, hour=10)
    body = ics(vevent("caldav-meeting", f"DTSTART:{stamp(meeting)}", f"DTEND:{stamp(meeting + timedelta(hours=1))}"))
    response = requests.put(entry_url(account, path, "caldav-meeting"), data=body, auth=radicale_server.auth,
                            headers={"Content-Type": "text/calendar; charset=utf-8"}, timeout=10)
    assert response.status_code in (201, 204), response.text
    return radicale_server.home_url + path


def test_a_caldav_account_gives_its_busy_time_and_its_password_is_never_shown(
        api, apps, tenant, person, radicale_server, caldav_calendar):
    scheduling = api("scheduling")
    response = scheduling.post(f"/v1/people/{person['person_id']}/calendars", json={
        "kind": "caldav", "url": caldav_calendar, "username": radicale_server.username,
        "password": radicale_server.password})

    assert response.status_code == 201, response.get_json()
    meeting = days_ahead(3, hour=10)
    [row] = stored_sources(apps["scheduling"], tenant, person["person_id"])
    assert row["busy"] == [minutes(meeting, meeting + timedelta(hours=1))]
    assert row["username"] == radicale_server.username and row["secret"] == radicale_server.password
    listing = scheduling.get(f"/v1/people/{person['person_id']}/calendars")
    assert listing.get_json()["items"][0]["url"] == caldav_calendar
    for answer in (response, listing, scheduling.post(f"/v1/calendars/{row['source_id']}/refresh")):
        assert radicale_server.password not in answer.get_data(as_text=True)


def test_a_wrong_caldav_password_is_a_422_and_nothing_is_stored(api, apps, tenant, person, radicale_server,
                                                                caldav_calendar):
    response = api("scheduling").post(f"/v1/people/{person['person_id']}/calendars", json={
        "kind": "caldav", "url": caldav_calendar, "username": radicale_server.username, "password": "not-it"})
    assert field_error(response) == {"field": "password", "code": "unauthorized"}
    assert count_rows(apps["scheduling"], "calendar_sources", tenant_id=tenant) == 0


def test_a_caldav_account_needs_its_credentials(api, person, caldav_calendar):
    response = api("scheduling").post(f"/v1/people/{person['person_id']}/calendars",
                                      json={"kind": "caldav", "url": caldav_calendar})
    assert response.status_code == 422
    assert {error["field"] for error in response.get_json()["errors"]} == {"username", "password"}


# --- busy time for slot finding ------------------------------------------------------------------

def test_busy_of_is_the_union_of_a_persons_calendars_clipped_to_the_horizon(api, apps, tenant, person,
                                                                             calendar_host):
    nine = days_ahead(2, hour=9)
    scheduling = api("scheduling")
    upload(scheduling, person["person_id"], ics(vevent("a", f"DTSTART:{stamp(nine)}",
                                                       f"DTEND:{stamp(nine + timedelta(hours=2))}")))
    url = calendar_host.serve(ics(vevent("b", f"DTSTART:{stamp(nine + timedelta(hours=1))}",
                                         f"DTEND:{stamp(nine + timedelta(hours=3))}")))
    assert scheduling.post(f"/v1/people/{person['person_id']}/calendars",
                           json={"kind": "ics_url", "url": url}).status_code == 201
    nobody = str(uuid.uuid4())
    runtime = apps["scheduling"].extensions["runtime"]
    with runtime.sessions() as session:
        calendars = CalendarsRepository(session)
        busy = calendars.busy_of(tenant, [person["person_id"], nobody], minutes_floor(nine + timedelta(minutes=30)),
                                 minutes_floor(days_ahead(30)))
        elsewhere = calendars.busy_of(f"other-{tenant}", [person["person_id"]], 0, 2**40)
    assert busy[person["person_id"]].tolist() == [minutes(nine + timedelta(minutes=30), nine + timedelta(hours=3))]
    assert busy[nobody].shape == (0, 2) and busy[nobody].dtype == np.int64
    assert elsewhere[person["person_id"]].shape == (0, 2)


# --- who may ------------------------------------------------------------------------------------

def test_a_mentee_manages_their_own_calendars_and_feeds_but_not_anyone_elses(api, apps, tenant):
    mentee = insert_person(apps["scheduling"], tenant)
    other = insert_person(apps["scheduling"], tenant)
    theirs = upload(api("scheduling"), other["person_id"], ics()).get_json()
    their_token = api("scheduling").post(f"/v1/people/{other['person_id']}/feed-tokens").get_json()
    as_mentee = api("scheduling", roles=("mentee",), subject=mentee["email"].upper())  # work email, any case

    assert upload(as_mentee, mentee["person_id"], ics()).status_code == 200
    assert as_mentee.post(f"/v1/people/{mentee['person_id']}/feed-tokens").status_code == 201
    other_id = other["person_id"]
    refused = [
        upload(as_mentee, other_id, ics()),
        as_mentee.post(f"/v1/people/{other_id}/calendars", json={"kind": "ics_url", "url": "http://127.0.0.1:9/x.ics"}),
        as_mentee.get(f"/v1/people/{other_id}/calendars"),
        as_mentee.post(f"/v1/calendars/{theirs['id']}/refresh"),
        as_mentee.request("DELETE", f"/v1/calendars/{theirs['id']}"),
        as_mentee.post(f"/v1/people/{other_id}/feed-tokens"),
        as_mentee.get(f"/v1/people/{other_id}/feed-tokens"),
        as_mentee.post(f"/v1/feed-tokens/{their_token['id']}/revoke"),
    ]
    assert [response.status_code for response in refused] == [403] * len(refused)
    assert len(stored_sources(apps["scheduling"], tenant, other_id)) == 1
    assert count_rows(apps["scheduling"], "feed_tokens", tenant_id=tenant, person_id=other_id) == 1


def test_a_participant_the_token_does_not_name_is_refused(api, apps, tenant, person):
    stranger = api("scheduling", roles=("mentor",), subject="nobody@example.com")
    assert stranger.get(f"/v1/people/{person['person_id']}/calendars").status_code == 403


# --- personal feeds ------------------------------------------------------------------------------

def feed_events(apps, url: str) -> dict[str, icalendar.Event]:
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = apps["scheduling"].test_client().get("/" + path)  # no Authorization header: the token is enough
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_a_feed_token_opens_the_persons_sessions_to_calendar_apps(api, apps, tenant):
    app = apps["scheduling"]
    ada = insert_person(app, tenant, name="Ada Lovelace")
    grace = insert_person(app, tenant, name="Grace Hopper")
    linus = insert_person(app, tenant, name="Linus Torvalds")
    now = datetime.now(UTC).replace(microsecond=0)
    upcoming = insert_session(app, tenant, ada["person_id"], grace["person_id"], now + timedelta(days=3),
                              kind="kickoff")
    held = insert_session(app, tenant, ada["person_id"], grace["person_id"], now - timedelta(days=10),
                          status="completed")
    insert_session(app, tenant, ada["person_id"], grace["person_id"], now + timedelta(days=5), status="cancelled")
    insert_session(app, tenant, ada["person_id"], grace["person_id"], now - timedelta(days=40), status="completed")
    insert_session(app, tenant, linus["person_id"], grace["person_id"], now + timedelta(days=3))

    response = api("scheduling").post(f"/v1/people/{ada['person_id']}/feed-tokens")

    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["url"].endswith(f"/v1/feeds/{created['token']}.ics")
    events = feed_events(apps, created["url"])
    assert set(events) == {f"session-{upcoming['session_id']}@scheduling.mentoring-platform",
                           f"session-{held['session_id']}@scheduling.mentoring-platform"}
    kickoff = events[f"session-{upcoming['session_id']}@scheduling.mentoring-platform"]
    assert str(kickoff["SUMMARY"]) == "Mentoring kickoff: Ada Lovelace & Grace Hopper"
    assert kickoff["DTSTART"].dt == upcoming["starts_at"] and kickoff["DTEND"].dt == upcoming["ends_at"]
    assert {str(a).removeprefix("mailto:") for a in kickoff["ATTENDEE"]} == {ada["email"], grace["email"]}


def test_a_revoked_or_unknown_token_opens_no_feed(api, apps, tenant, person):
    scheduling = api("scheduling")
    created = scheduling.post(f"/v1/people/{person['person_id']}/feed-tokens").get_json()
    public = apps["scheduling"].test_client()
    assert public.get(f"/v1/feeds/{created['token']}.ics").status_code == 200

    revoked = scheduling.post(f"/v1/feed-tokens/{created['id']}/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    assert scheduling.post(f"/v1/feed-tokens/{created['id']}/revoke").status_code == 200  # harmless twice
    answer = public.get(f"/v1/feeds/{created['token']}.ics")
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    assert public.get("/v1/feeds/not-a-token-anyone-was-given.ics").status_code == 404


def test_a_leaver_s_feed_closes(api, apps, tenant):
    leaver = insert_person(apps["scheduling"], tenant, status="terminated")
    created = api("scheduling").post(f"/v1/people/{leaver['person_id']}/feed-tokens").get_json()
    assert apps["scheduling"].test_client().get(f"/v1/feeds/{created['token']}.ics").status_code == 404


def test_only_the_tokens_hash_is_stored_and_listings_show_no_token(api, apps, tenant, person):
    scheduling = api("scheduling")
    created = scheduling.post(f"/v1/people/{person['person_id']}/feed-tokens").get_json()
    runtime = apps["scheduling"].extensions["runtime"]
    table = runtime.outbox.metadata.tables["feed_tokens"]
    with runtime.sessions() as session:
        [row] = session.execute(select(table).where(table.c.tenant_id == tenant)).mappings().all()
    assert row["token_hash"] == hashlib.sha256(created["token"].encode()).hexdigest()
    assert created["token"] not in {str(value) for value in row.values()}
    listing = scheduling.get(f"/v1/people/{person['person_id']}/feed-tokens")
    assert [item["id"] for item in listing.get_json()["items"]] == [created["id"]]
    assert created["token"] not in listing.get_data(as_text=True)
    assert set(listing.get_json()["items"][0]) == {"id", "person_id", "created_at", "revoked_at"}
