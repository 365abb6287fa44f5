"""Calendars from outside: ICS files fetched from a URL (against a local HTTP server on a thread)
and CalDAV busy times and write-back (against a real Radicale server the tests start)."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import icalendar
import pytest
import requests

from mentoring_testing.servers import free_port
from scheduling.availability import busy_intervals_from_ics
from scheduling.availability.intervals import to_intervals
from scheduling.calendars.caldav_client import (
    CalDavAccount,
    CalDavError,
    busy_intervals,
    create_calendar,
    delete_entry,
    discover_calendars,
    entry_url,
    put_entry,
)
from scheduling.calendars.entries import CalendarEntry, EntryStatus, Participant
from scheduling.calendars.fetching import CalendarFetchError, FetchPolicy, fetch_calendar

UTC = dt.UTC

CALENDAR = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
            b"BEGIN:VEVENT\r\nUID:standup\r\nDTSTAMP:20260101T000000Z\r\n"
            b"DTSTART:20260105T090000Z\r\nDTEND:20260105T093000Z\r\nRRULE:FREQ=DAILY;COUNT=2\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n")


# --- a calendar host on a thread -----------------------------------------------------------------

class CalendarHost:
    """A local HTTP server whose paths each behave like one kind of calendar URL, recording the
    paths it was asked for."""

    def __init__(self) -> None:
        self.requested: list[str] = []
        self.release = threading.Event()  # ends the slow answers when the tests are done
        host = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                host.requested.append(self.path)
                route = getattr(host, "route_" + self.path.strip("/").replace("-", "_").replace(".", "_"), None)
                if route is None:
                    self.send_error(404)
                    return
                try:
                    route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    @staticmethod
    def answer(handler, body: bytes, content_type: str = "text/calendar; charset=utf-8", status: int = 200,
               length: int | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body) if length is None else length))
        handler.end_headers()
        handler.wfile.write(body)

    def route_calendar_ics(self, handler) -> None:
        self.answer(handler, CALENDAR)

    def route_page_html(self, handler) -> None:
        self.answer(handler, b"<!doctype html><html><body>Sign in to see this calendar</body></html>", "text/html")

    def route_declared_huge_ics(self, handler) -> None:
        self.answer(handler, CALENDAR, length=50_000_000)

    def route_endless_ics(self, handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/calendar")
        handler.end_headers()  # no length: the body runs until the connection closes
        handler.wfile.write(CALENDAR[:-len(b"END:VCALENDAR\r\n")])
        filler = b"X-FILLER:" + b"x" * 1000 + b"\r\n"
        for _ in range(5_000):
            handler.wfile.write(filler)

    def route_slow_ics(self, handler) -> None:
        self.release.wait(10)  # says nothing at all
        self.answer(handler, CALENDAR)

    def route_drip_ics(self, handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/calendar")
        handler.end_headers()
        handler.wfile.write(b"BEGIN:VCALENDAR\r\n")
        for _ in range(200):  # a line now and then, each well inside the read timeout
            handler.wfile.write(b"X-DRIP:1\r\n")
            handler.wfile.flush()
            if self.release.wait(0.05):
                return

    def route_redirect_home(self, handler) -> None:
        self.redirect(handler, "/calendar.ics")

    def route_redirect_away(self, handler) -> None:
        self.redirect(handler, self.url("/calendar.ics", host="localhost"))

    def route_redirect_loop(self, handler) -> None:
        self.redirect(handler, "/redirect-loop")

    @staticmethod
    def redirect(handler, location: str) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()


@pytest.fixture(scope="module")
def calendar_host() -> Iterator[CalendarHost]:
    host = CalendarHost()
    host.thread.start()
    yield host
    host.release.set()
    host.server.shutdown()
    host.server.server_close()


@pytest.fixture
def host(calendar_host) -> CalendarHost:
    calendar_host.requested.clear()
    return calendar_host


def local_policy(**overrides) -> FetchPolicy:
    settings = dict(allowed_hosts=("127.0.0.1",), allow_http=True, max_bytes=64 * 1024,
                    connect_timeout_s=2, read_timeout_s=2, total_timeout_s=10)
    settings.update(overrides)
    return FetchPolicy(**settings)


def fetch_error(url: str, policy: FetchPolicy) -> CalendarFetchError:
    with pytest.raises(CalendarFetchError) as raised:
        fetch_calendar(url, policy)
    return raised.value


@pytest.fixture
def fake_dns(monkeypatch):
    """Answers for made-up names (a list of addresses is used up one answer per lookup, the last
    one repeating); every other name resolves for real."""
    real = socket.getaddrinfo
    answers: dict[str, list[str]] = {}

    def getaddrinfo(name, port, *args, **kwargs):
        if name not in answers:
            return real(name, port, *args, **kwargs)
        queue = answers[name]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


# --- fetching ------------------------------------------------------------------------------------

def test_a_calendar_on_an_allowed_host_is_fetched_and_gives_busy_time(host):
    data = fetch_calendar(host.url("/calendar.ics"), local_policy())
    assert data == CALENDAR
    busy = busy_intervals_from_ics(data, "UTC", dt.datetime(2026, 1, 4, tzinfo=UTC), dt.datetime(2026, 1, 8, tzinfo=UTC))
    assert [(i.start.isoformat(), i.end.isoformat()) for i in to_intervals(busy)] == [
        ("2026-01-05T09:00:00+00:00", "2026-01-05T09:30:00+00:00"),
        ("2026-01-06T09:00:00+00:00", "2026-01-06T09:30:00+00:00")]


def test_a_host_off_the_allow_list_is_refused_before_any_connection():
    with socket.socket() as listener:  # something listening, to see whether it is called
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        error = fetch_error(f"http://localhost:{port}/calendar.ics", local_policy())
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # no connection is waiting
    assert error.code == "disallowed"


def test_a_redirect_within_the_allow_list_is_followed(host):
    assert fetch_calendar(host.url("/redirect-home"), local_policy()) == CALENDAR
    assert host.requested == ["/redirect-home", "/calendar.ics"]


def test_a_redirect_to_a_host_off_the_allow_list_is_refused(host):
    error = fetch_error(host.url("/redirect-away"), local_policy())
    assert error.code == "disallowed"
    assert host.requested == ["/redirect-away"]


def test_more_than_three_redirects_are_refused(host):
    error = fetch_error(host.url("/redirect-loop"), local_policy())
    assert error.code == "bad_status" and "redirects" in error.message
    assert host.requested == ["/redirect-loop"] * 4


def test_a_calendar_declared_larger_than_the_limit_is_refused_unread(host):
    assert fetch_error(host.url("/declared-huge.ics"), local_policy()).code == "too_large"


def test_a_calendar_that_keeps_coming_past_the_limit_is_cut_off(host):
    assert fetch_error(host.url("/endless.ics"), local_policy(max_bytes=200_000)).code == "too_large"


def test_a_server_that_does_not_answer_times_out(host):
    assert fetch_error(host.url("/slow.ics"), local_policy(read_timeout_s=0.3)).code == "timeout"


def test_a_server_that_drips_the_calendar_out_slowly_times_out(host):
    assert fetch_error(host.url("/drip.ics"), local_policy(read_timeout_s=5, total_timeout_s=0.3)).code == "timeout"


def test_a_missing_calendar_is_a_bad_status(host):
    error = fetch_error(host.url("/no-such.ics"), local_policy())
    assert error.code == "bad_status" and "404" in error.message


def test_a_web_page_is_not_a_calendar(host):
    error = fetch_error(host.url("/page.html"), local_policy())
    assert error.code == "not_a_calendar" and "text/html" in error.message


def test_a_port_nobody_listens_on_is_unreachable():
    assert fetch_error(f"http://127.0.0.1:{free_port()}/calendar.ics", local_policy()).code == "unreachable"


def test_a_name_that_turns_private_between_check_and_connect_is_refused(host, fake_dns):
    fake_dns["calendar.example.test"] = ["93.184.216.34", "127.0.0.1"]  # public when checked, then local
    error = fetch_error(host.url("/calendar.ics", host="calendar.example.test"),
                        local_policy(allowed_hosts=("*.example.test",)))
    assert error.code == "disallowed" and "non-public" in error.message
    assert host.requested == []


def test_a_name_listed_exactly_may_point_at_a_private_address(host, fake_dns):
    fake_dns["calendar.example.test"] = ["127.0.0.1"]
    policy = local_policy(allowed_hosts=("calendar.example.test",))
    assert fetch_calendar(host.url("/calendar.ics", host="calendar.example.test"), policy) == CALENDAR


# --- CalDAV against Radicale ---------------------------------------------------------------------

@pytest.fixture
def account(radicale_server) -> CalDavAccount:
    return CalDavAccount(radicale_server.home_url, radicale_server.username, radicale_server.password)


@pytest.fixture
def calendar_path(account) -> str:
    path = f"calendar-{uuid.uuid4().hex[:8]}/"
    assert create_calendar(account, path, "Test calendar") is True
    return path


def put_raw(account: CalDavAccount, calendar_path: str, uid: str, *lines: str) -> None:
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT", f"UID:{uid}",
                        "DTSTAMP:20260101T000000Z", *lines, "END:VEVENT", "END:VCALENDAR", ""])
    response = requests.put(entry_url(account, calendar_path, uid), data=body.encode(),
                            auth=(account.username, account.password),
                            headers={"Content-Type": "text/calendar; charset=utf-8"}, timeout=10)
    assert response.status_code in (201, 204), response.text


def stored(account: CalDavAccount, calendar_path: str, uid: str) -> requests.Response:
    return requests.get(entry_url(account, calendar_path, uid), auth=(account.username, account.password), timeout=10)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def put_week_of_events(account: CalDavAccount, calendar_path: str, year: int) -> None:
    put_raw(account, calendar_path, "one-off", f"DTSTART:{year}0104T090000Z", f"DTEND:{year}0104T100000Z")
    put_raw(account, calendar_path, "daily-berlin", f"DTSTART;TZID=Europe/Berlin:{year}0105T100000",
            f"DTEND;TZID=Europe/Berlin:{year}0105T103000", "RRULE:FREQ=DAILY;COUNT=4",
            f"EXDATE;TZID=Europe/Berlin:{year}0107T100000")
    put_raw(account, calendar_path, "transparent", f"DTSTART:{year}0106T140000Z", f"DTEND:{year}0106T150000Z",
            "TRANSP:TRANSPARENT")
    put_raw(account, calendar_path, "cancelled", f"DTSTART:{year}0106T160000Z", f"DTEND:{year}0106T170000Z",
            "STATUS:CANCELLED")
    put_raw(account, calendar_path, "elsewhen", f"DTSTART:{year}0301T090000Z", f"DTEND:{year}0301T100000Z")


def expected_week(year: int) -> list[tuple[dt.datetime, dt.datetime]]:
    # Berlin is UTC+1 in January; the 7th is excepted; transparent and cancelled events are free.
    return [(at(year, 1, 4, 9), at(year, 1, 4, 10)), (at(year, 1, 5, 9), at(year, 1, 5, 9, 30)),
            (at(year, 1, 6, 9), at(year, 1, 6, 9, 30)), (at(year, 1, 8, 9), at(year, 1, 8, 9, 30))]


def week(year: int) -> tuple[dt.datetime, dt.datetime]:
    return at(year, 1, 3, 0), at(year, 1, 10, 0)


@pytest.mark.parametrize("query", ["free-busy", "events", "auto"])
def test_busy_intervals_come_from_the_calendar_with_recurrences_expanded(account, calendar_path, query):
    put_week_of_events(account, calendar_path, 2027)
    busy = busy_intervals(account, *week(2027), calendar_paths=[calendar_path], query=query)
    assert busy == expected_week(2027)


def test_radicale_answers_the_free_busy_query_itself(account, calendar_path):
    put_week_of_events(account, calendar_path, 2027)
    response = requests.request(
        "REPORT", account.url + calendar_path, auth=(account.username, account.password), timeout=10,
        headers={"Depth": "1", "Content-Type": "application/xml"},
        data=b'<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav">'
             b'<c:time-range start="20270103T000000Z" end="20270110T000000Z"/></c:free-busy-query>')
    assert response.status_code == 200
    reply = icalendar.Calendar.from_ical(response.content)
    assert reply.walk("VFREEBUSY") and not reply.walk("VEVENT")  # periods only, no event details


def test_busy_intervals_cover_every_calendar_found_from_the_server_root(radicale_server, account, calendar_path):
    other_path = f"other-{uuid.uuid4().hex[:8]}/"
    create_calendar(account, other_path, "Another calendar")
    put_raw(account, calendar_path, "first", "DTSTART:20280105T090000Z", "DTEND:20280105T100000Z")
    put_raw(account, other_path, "second", "DTSTART:20280105T093000Z", "DTEND:20280105T110000Z")
    from_root = CalDavAccount(radicale_server.base_url + "/", account.username, account.password)
    assert account.url + calendar_path in discover_calendars(from_root)
    assert busy_intervals(from_root, at(2028, 1, 4, 0), at(2028, 1, 6, 0)) == [(at(2028, 1, 5, 9), at(2028, 1, 5, 11))]


def test_creating_a_calendar_that_exists_is_harmless(account, calendar_path):
    assert create_calendar(account, calendar_path, "Test calendar") is False


def session_entry(**overrides) -> CalendarEntry:
    fields = dict(uid=f"session-{uuid.uuid4().hex[:8]}@mentoring.example", sequence=0,
                  start=at(2029, 2, 5, 14), end=at(2029, 2, 5, 15), summary="Mentoring: Ada and Grace",
                  description="", status=EntryStatus.CONFIRMED,
                  organizer=Participant("Mentoring Platform", "sessions@mentoring.example"),
                  attendees=(Participant("Ada Lovelace", "ada@acme.example"),), last_modified=at(2029, 1, 1, 9))
    fields.update(overrides)
    return CalendarEntry(**fields)


def stored_event(account, calendar_path, uid) -> icalendar.Event:
    response = stored(account, calendar_path, uid)
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert "METHOD" not in calendar  # CalDAV stores take none
    return calendar.walk("VEVENT")[0]


def test_write_back_creates_updates_and_deletes_a_session(account, calendar_path):
    entry = session_entry()
    assert put_entry(account, calendar_path, entry) == "created"
    assert put_entry(account, calendar_path, entry) == "unchanged"  # a retry writes nothing
    event = stored_event(account, calendar_path, entry.uid)
    assert event["SEQUENCE"] == 0 and event["DTSTART"].dt == at(2029, 2, 5, 14)

    moved = entry.changed(at(2029, 1, 2, 9), start=at(2029, 2, 6, 16), end=at(2029, 2, 6, 17))
    assert put_entry(account, calendar_path, moved) == "updated"
    event = stored_event(account, calendar_path, entry.uid)
    assert event["SEQUENCE"] == 1 and event["DTSTART"].dt == at(2029, 2, 6, 16)
    assert busy_intervals(account, at(2029, 2, 1, 0), at(2029, 2, 10, 0), calendar_paths=[calendar_path]) == [
        (at(2029, 2, 6, 16), at(2029, 2, 6, 17))]

    assert delete_entry(account, calendar_path, entry.uid) is True
    assert delete_entry(account, calendar_path, entry.uid) is False  # a retry finds it gone
    assert stored(account, calendar_path, entry.uid).status_code == 404


def test_a_late_older_revision_does_not_overwrite_a_newer_one(account, calendar_path):
    entry = session_entry()
    newer = entry.changed(at(2029, 1, 2, 9), summary="Moved")
    assert put_entry(account, calendar_path, newer) == "created"
    assert put_entry(account, calendar_path, entry) == "stale"
    assert str(stored_event(account, calendar_path, entry.uid)["SUMMARY"]) == "Moved"


def test_a_written_back_cancellation_frees_the_time(account, calendar_path):
    entry = session_entry()
    put_entry(account, calendar_path, entry)
    assert put_entry(account, calendar_path, entry.cancelled(at(2029, 1, 3, 9))) == "updated"
    assert str(stored_event(account, calendar_path, entry.uid)["STATUS"]) == "CANCELLED"
    assert busy_intervals(account, at(2029, 2, 1, 0), at(2029, 2, 10, 0), calendar_paths=[calendar_path]) == []


def test_written_back_sessions_tell_the_server_not_to_send_invitations(account, calendar_path):
    entry = session_entry()
    put_entry(account, calendar_path, entry)
    event = stored_event(account, calendar_path, entry.uid)
    attendee = event["ATTENDEE"] if not isinstance(event["ATTENDEE"], list) else event["ATTENDEE"][0]
    assert attendee.params["SCHEDULE-AGENT"] == "CLIENT"
    assert event["ORGANIZER"].params["SCHEDULE-AGENT"] == "CLIENT"


def caldav_error(call) -> CalDavError:
    with pytest.raises(CalDavError) as raised:
        call()
    return raised.value


def test_a_wrong_password_is_unauthorized(radicale_server, calendar_path):
    wrong = CalDavAccount(radicale_server.home_url, radicale_server.username, "not-the-password")
    window = week(2027)
    assert caldav_error(lambda: busy_intervals(wrong, *window, calendar_paths=[calendar_path])).code == "unauthorized"
    assert caldav_error(lambda: busy_intervals(wrong, *window)).code == "unauthorized"
    assert caldav_error(lambda: put_entry(wrong, calendar_path, session_entry())).code == "unauthorized"


def test_a_calendar_that_does_not_exist_is_not_found(account):
    error = caldav_error(lambda: busy_intervals(account, *week(2027), calendar_paths=["no-such-calendar/"]))
    assert error.code == "not_found"


def test_a_server_nobody_runs_is_unreachable():
    nowhere = CalDavAccount(f"http://127.0.0.1:{free_port()}/mentor/", "mentor", "x", timeout_s=2)
    assert caldav_error(lambda: busy_intervals(nowhere, *week(2027))).code == "unreachable"
