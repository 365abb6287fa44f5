"""People's calendars, feed tokens and feeds (handlers/calendars.py, handlers/feeds.py) and CalDAV
write-back of scheduling's own session events (handlers/scheduling_events.py), on fake repositories
with the network replaced: who may, what is stored, what a failure leaves."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from mentoring_shared.actors import Actor
from mentoring_shared.contracts import scheduling as contracts
from mentoring_shared.errors import Conflict, Forbidden, NotFound
from mentoring_shared.messaging.envelope import Envelope
from scheduling.calendars import caldav_client
from scheduling.calendars.fetching import CalendarFetchError
from scheduling.handlers import calendars, feeds
from scheduling.handlers.scheduling_events import scheduling_event_handlers
from scheduling.handlers.sessions import cancel_future_sessions
from scheduling.repositories.calendars import CalendarSource
from scheduling.settings import load_scheduling_settings
from tests.unit.scheduling.support import (
    AS_ORGANIZER,
    ORGANIZER,
    TENANT,
    a_plan,
    a_session,
    calendar,
    next_weekday,
    pair_uow,
)

ADA, GRACE = Actor("ada"), Actor("grace")
SETTINGS = load_scheduling_settings({})


def ics_busy_at(start: datetime) -> bytes:
    return calendar(f"UID:e-1\nDTSTART:{start:%Y%m%dT%H%M%SZ}\nDTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}")


@pytest.fixture
def served(monkeypatch):
    """The calendar a URL answers with (`served.body`), or the fetch error it raises (`served.error`)."""
    class Served:
        body = ics_busy_at(next_weekday(10, 2))
        error: CalendarFetchError | None = None

    def fetch(url, policy):
        if Served.error:
            raise Served.error
        return Served.body
    monkeypatch.setattr(calendars, "fetch_calendar", fetch)
    return Served


# --- calendars ------------------------------------------------------------------------------------

def test_an_upload_replaces_the_previous_one_and_is_read_as_busy_time():
    uow = pair_uow()
    first = calendars.upload_calendar(TENANT, "ada", ics_busy_at(next_weekday(10, 2)), ADA, SETTINGS, uow)
    second = calendars.upload_calendar(TENANT, "ada", ics_busy_at(next_weekday(11, 2)), ADA, SETTINGS, uow)
    assert [s.id for s in uow.calendars.sources_of(TENANT, "ada", limit=10)] == [second.id] != [first.id]
    assert second.busy_minutes == 60 and second.kind == "ics_upload" and uow.commits == 2


def test_an_unreadable_upload_names_the_file_and_stores_nothing():
    uow = pair_uow()
    with pytest.raises(calendars.CalendarUnusable) as refused:
        calendars.upload_calendar(TENANT, "ada", b"not a calendar", ADA, SETTINGS, uow)
    assert refused.value.field == "file" and refused.value.code
    assert uow.calendars.rows == {} and not uow.committed


def test_only_the_person_or_an_organizer_manages_their_calendars():
    uow = pair_uow()
    with pytest.raises(Forbidden):
        calendars.upload_calendar(TENANT, "ada", ics_busy_at(next_weekday(10)), GRACE, SETTINGS, uow)
    with pytest.raises(NotFound):
        calendars.calendars_of(TENANT, "nobody", AS_ORGANIZER, 10, None, uow)
    assert not uow.committed


def test_a_calendar_url_is_read_at_once_listed_refreshed_and_removed(served):
    uow = pair_uow()
    account = calendars.CalendarAccount("ics_url", " https://cal.example/ada.ics ")
    source = calendars.add_calendar(TENANT, "ada", account, ADA, SETTINGS, uow)
    assert source.url == "https://cal.example/ada.ics" and source.busy_minutes == 60
    assert calendars.calendars_of(TENANT, "ada", ADA, 10, None, uow) == [source]
    served.body = ics_busy_at(next_weekday(10, 3))
    refreshed = calendars.refresh_calendar(TENANT, source.id, ADA, SETTINGS, uow)
    assert uow.calendars.source(TENANT, source.id) == refreshed and refreshed.last_error is None
    calendars.remove_calendar(TENANT, source.id, ADA, uow)
    assert uow.calendars.rows == {} and uow.commits == 3


def test_a_failed_refresh_records_why_and_keeps_the_busy_time_read_before(served):
    uow = pair_uow()
    source = calendars.add_calendar(TENANT, "ada", calendars.CalendarAccount("ics_url", "https://cal.example/a.ics"),
                                    ADA, SETTINGS, uow)
    served.error = CalendarFetchError("unreachable", "no answer")
    with pytest.raises(calendars.CalendarUnusable) as refused:
        calendars.refresh_calendar(TENANT, source.id, ADA, SETTINGS, uow)
    assert refused.value.field == "url" and refused.value.code == "unreachable"
    kept = uow.calendars.source(TENANT, source.id)
    assert kept.last_error == "unreachable: no answer" and kept.busy == source.busy


def test_an_upload_cannot_be_refreshed_and_anothers_calendar_is_not_removed():
    uow = pair_uow()
    upload = calendars.upload_calendar(TENANT, "ada", ics_busy_at(next_weekday(10, 2)), ADA, SETTINGS, uow)
    with pytest.raises(Conflict):
        calendars.refresh_calendar(TENANT, upload.id, ADA, SETTINGS, uow)
    with pytest.raises(Forbidden):
        calendars.remove_calendar(TENANT, upload.id, GRACE, uow)
    with pytest.raises(NotFound):
        calendars.remove_calendar(TENANT, "cal-unknown", ADA, uow)
    assert len(uow.calendars.rows) == 1 and uow.commits == 1


def test_forgetting_a_persons_calendars_drops_them_all():
    uow = pair_uow()
    calendars.upload_calendar(TENANT, "ada", ics_busy_at(next_weekday(10, 2)), ADA, SETTINGS, uow)
    assert calendars.forget_calendars(uow, TENANT, "ada") == 1 and uow.calendars.rows == {}


# --- feeds ----------------------------------------------------------------------------------------

def test_a_feed_token_opens_the_persons_sessions_until_it_is_revoked():
    held = a_session(a_plan(), next_weekday(10))
    uow = pair_uow(held)
    row, token = feeds.create_feed_token(TENANT, "ada", ADA, uow)
    assert "token" not in row and row["token_hash"] != token
    assert [r["token_id"] for r in feeds.feed_tokens_of(TENANT, "ada", ADA, 10, None, uow)] == [row["token_id"]]
    feed = feeds.feed_for_token(token, SETTINGS, uow).decode()
    assert "BEGIN:VCALENDAR" in feed and "Mentoring: Ada" in feed and "Ada & Linus" in feed
    revoked = feeds.revoke_feed_token(TENANT, row["token_id"], ADA, uow)
    assert revoked["revoked_at"] is not None
    with pytest.raises(NotFound):
        feeds.feed_for_token(token, SETTINGS, uow)
    assert feeds.revoke_feed_token(TENANT, row["token_id"], ADA, uow)["revoked_at"] == revoked["revoked_at"]


def test_a_feed_leaves_out_cancelled_sessions_and_closes_when_its_person_is_gone():
    uow = pair_uow(a_session(a_plan(), next_weekday(10)))
    _, token = feeds.create_feed_token(TENANT, "ada", AS_ORGANIZER, uow)
    with uow:
        cancel_future_sessions(uow, TENANT, "paused", None, ORGANIZER, person_id="ada")
        uow.commit()
    assert "BEGIN:VEVENT" not in feeds.feed_for_token(token, SETTINGS, uow).decode()
    uow.people.add_person(TENANT, "ada", status="terminated")
    with pytest.raises(NotFound):
        feeds.feed_for_token(token, SETTINGS, uow)


def test_feed_tokens_are_the_persons_own_and_unknown_ones_are_not_found():
    uow = pair_uow()
    row, _ = feeds.create_feed_token(TENANT, "ada", ADA, uow)
    with pytest.raises(Forbidden):
        feeds.create_feed_token(TENANT, "ada", GRACE, uow)
    with pytest.raises(Forbidden):
        feeds.revoke_feed_token(TENANT, row["token_id"], GRACE, uow)
    with pytest.raises(NotFound):
        feeds.revoke_feed_token(TENANT, "t-unknown", ADA, uow)
    with pytest.raises(NotFound):
        feeds.feed_for_token("guessed", SETTINGS, uow)
    assert uow.commits == 1 and feeds.forget_feed_tokens(uow, TENANT, "ada") == 1


# --- write-back of session events -----------------------------------------------------------------

def caldav_source(person_id: str = "ada", last_error: str | None = None) -> CalendarSource:
    return CalendarSource(id=f"cal-{person_id}", tenant_id=TENANT, person_id=person_id, kind="caldav",
                          url="https://dav.example/", username=person_id, secret="pw", busy=(), horizon_start=0,
                          horizon_end=1, refreshed_at=datetime.now(UTC), last_error=last_error,
                          write_back_path="/cal/")


def session_event(event_type: str, session_id: str = "s-1") -> Envelope:
    return Envelope.new(type=event_type, source="/scheduling", subject=session_id, tenant_id=TENANT,
                        data={"session_id": session_id})


@pytest.fixture
def dav(monkeypatch):
    """The CalDAV server: what was written (`dav.calls`) and the error it answers with (`dav.error`)."""
    class Dav:
        calls: list[tuple] = []
        error: caldav_client.CalDavError | None = None

    def put(account, path, entry):
        if Dav.error:
            raise Dav.error
        Dav.calls.append(("put", account.username, path, entry.uid, entry.status.value))
        return "created"

    def delete(account, path, uid):
        Dav.calls.append(("delete", account.username, path, uid))
        return True
    monkeypatch.setattr(caldav_client, "put_entry", put)
    monkeypatch.setattr(caldav_client, "delete_entry", delete)
    return Dav


def write_back(uow, event_type: str) -> None:
    with uow:
        scheduling_event_handlers(ORGANIZER)[event_type](session_event(event_type), uow)
        uow.commit()


def test_a_scheduled_session_is_written_to_the_write_back_calendar_and_a_cancelled_one_deleted(dav):
    uow = pair_uow(a_session(a_plan(), next_weekday(10)))
    uow.calendars.add(caldav_source(last_error="write-back: unauthorized: no"))
    write_back(uow, contracts.SESSION_SCHEDULED_V1)
    assert [call[:3] for call in dav.calls] == [("put", "ada", "/cal/")]
    assert uow.calendars.source(TENANT, "cal-ada").last_error is None  # it works again
    uow.sessions.save(dataclasses.replace(uow.sessions.get(TENANT, "s-1"), status="cancelled"))
    write_back(uow, contracts.SESSION_CANCELLED_V1)
    assert dav.calls[-1][0] == "delete" and uow.published == []


def test_a_refusal_is_recorded_on_the_source_and_a_transient_failure_raises_for_a_retry(dav):
    uow = pair_uow(a_session(a_plan(), next_weekday(10)))
    uow.calendars.add(caldav_source())
    dav.error = caldav_client.CalDavError("unauthorized", "wrong password")
    write_back(uow, contracts.SESSION_RESCHEDULED_V1)
    assert uow.calendars.source(TENANT, "cal-ada").last_error == "write-back: unauthorized: wrong password"
    dav.error = caldav_client.CalDavError("unreachable", "timeout")
    with pytest.raises(caldav_client.CalDavError):
        write_back(uow, contracts.SESSION_SCHEDULED_V1)


def test_nothing_is_written_for_an_unknown_session_a_pair_without_write_back_or_a_completion(dav):
    uow = pair_uow(a_session(a_plan(), next_weekday(10)))
    write_back(uow, contracts.SESSION_SCHEDULED_V1)  # no write-back calendar
    uow.calendars.add(caldav_source())
    write_back(uow, contracts.SESSION_COMPLETED_V1)
    with uow:
        scheduling_event_handlers(ORGANIZER)[contracts.SESSION_SCHEDULED_V1](session_event(
            contracts.SESSION_SCHEDULED_V1, "s-gone"), uow)
    assert dav.calls == []
