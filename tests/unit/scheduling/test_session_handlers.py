"""Booking, moving, calling off and holding sessions (handlers/sessions.py) on fake repositories:
what each refuses, what it stores and publishes, and that a refusal commits nothing."""

from datetime import UTC, datetime, timedelta

import pytest

from mentoring_shared.actors import Actor
from mentoring_shared.contracts import scheduling as contracts
from mentoring_shared.errors import Conflict, InvalidField, NotFound
from scheduling.availability.epoch_minutes import minutes_floor
from scheduling.domain.mentorships import PAUSED
from scheduling.handlers import sessions as handlers
from scheduling.repositories.calendars import CalendarSource
from tests.unit.scheduling.support import AS_ORGANIZER, ORGANIZER, TENANT, a_plan, a_session, next_weekday, pair_uow

ADA, LINUS, GRACE = Actor("ada"), Actor("linus"), Actor("grace")


def test_a_booking_stores_the_session_and_publishes_its_invitation():
    uow = pair_uow()
    start = next_weekday(10)
    [session] = handlers.book(TENANT, "m-1", [start], "kickoff", ADA, uow, ORGANIZER)
    assert uow.sessions.get(TENANT, session.id) == session and session.kind == "kickoff"
    assert uow.published_types() == [contracts.SESSION_SCHEDULED_V1]
    data = uow.published[0].data
    assert data["starts_at"] == start.isoformat() and "Ada@acme.example".lower() in data["invitation"].lower()


def test_a_series_is_booked_whole_with_one_series_id_and_only_the_first_of_its_kind():
    uow = pair_uow()
    starts = [next_weekday(10, days) for days in (7, 14, 21)]
    booked = handlers.book(TENANT, "m-1", starts, "kickoff", AS_ORGANIZER, uow, ORGANIZER)
    assert len({s.series_id for s in booked}) == 1 and booked[0].series_id is not None
    assert [s.kind for s in booked] == ["kickoff", "regular", "regular"]
    assert uow.published_types() == [contracts.SESSION_SCHEDULED_V1] * 3 and uow.committed


def test_a_series_that_overlaps_itself_is_refused_whole():
    uow = pair_uow()
    start = next_weekday(10)
    with pytest.raises(InvalidField) as refused:
        handlers.book(TENANT, "m-1", [start, start + timedelta(minutes=15)], "regular", ADA, uow, ORGANIZER)
    assert refused.value.field == "starts_at[1]" and "does not fit" in refused.value.message
    assert not uow.committed and uow.published == []


@pytest.mark.parametrize("starts_at, field", [([], "starts_at"), ([datetime(2020, 1, 6, 10, tzinfo=UTC)],
                                                                  "starts_at[0]")])
def test_no_start_or_a_past_one_is_refused(starts_at, field):
    uow = pair_uow()
    with pytest.raises(InvalidField) as refused:
        handlers.book(TENANT, "m-1", starts_at, "regular", ADA, uow, ORGANIZER)
    assert refused.value.field == field and not uow.committed


def test_a_time_outside_working_hours_or_in_a_busy_calendar_does_not_fit():
    uow = pair_uow()
    night = next_weekday(22)
    with pytest.raises(InvalidField) as refused:
        handlers.book(TENANT, "m-1", [night], "regular", ADA, uow, ORGANIZER)
    assert "the mentee: outside working hours" in refused.value.message
    ten = next_weekday(10)
    uow.calendars.add(CalendarSource(id="cal-1", tenant_id=TENANT, person_id="linus", kind="ics_upload", url=None,
                                     username=None, secret=None,
                                     busy=((minutes_floor(ten), minutes_floor(ten) + 60),),
                                     horizon_start=0, horizon_end=2**40, refreshed_at=ten))
    with pytest.raises(InvalidField) as refused:
        handlers.book(TENANT, "m-1", [ten], "regular", ADA, uow, ORGANIZER)
    assert "the mentor: overlaps another session or a busy time" in refused.value.message
    assert not uow.committed


def test_someone_outside_the_pair_sees_no_mentorship_and_a_paused_one_takes_no_booking():
    with pytest.raises(NotFound):
        handlers.book(TENANT, "m-1", [next_weekday(10)], "regular", GRACE, pair_uow(), ORGANIZER)
    uow = pair_uow(plan=a_plan(status=PAUSED))
    with pytest.raises(Conflict):
        handlers.book(TENANT, "m-1", [next_weekday(10)], "regular", ADA, uow, ORGANIZER)
    assert not uow.committed


def test_a_move_saves_the_new_time_and_publishes_the_previous_one():
    held = a_session(a_plan(), next_weekday(10))
    uow = pair_uow(held)
    moved = handlers.reschedule(TENANT, "s-1", held.starts_at + timedelta(hours=3), LINUS, uow, ORGANIZER)
    assert uow.sessions.get(TENANT, "s-1").starts_at == moved.starts_at == held.starts_at + timedelta(hours=3)
    assert uow.published_types() == [contracts.SESSION_RESCHEDULED_V1]
    assert uow.published[0].data["previous_starts_at"] == held.starts_at.isoformat()


def test_a_move_onto_its_own_old_time_fits_but_not_onto_another_session():
    plan = a_plan()
    first, second = a_session(plan, next_weekday(10)), a_session(plan, next_weekday(14), session_id="s-2")
    uow = pair_uow(first, second)
    handlers.reschedule(TENANT, "s-1", first.starts_at + timedelta(minutes=15), ADA, uow, ORGANIZER)
    with pytest.raises(InvalidField) as refused:
        handlers.reschedule(TENANT, "s-1", second.starts_at, ADA, uow, ORGANIZER)
    assert "overlaps" in refused.value.message
    assert uow.commits == 1


def test_a_session_of_someone_else_is_not_found():
    uow = pair_uow(a_session(a_plan(), next_weekday(10)))
    for act in (lambda: handlers.cancel(TENANT, "s-1", None, GRACE, uow, ORGANIZER),
                lambda: handlers.reschedule(TENANT, "s-1", next_weekday(11), GRACE, uow, ORGANIZER),
                lambda: handlers.cancel("other", "s-1", None, ADA, uow, ORGANIZER)):
        with pytest.raises(NotFound):
            act()
    assert not uow.committed


def test_a_cancellation_saves_who_and_why_and_publishes_the_cancel():
    uow = pair_uow(a_session(a_plan(), next_weekday(10)))
    cancelled = handlers.cancel(TENANT, "s-1", "ill", ADA, uow, ORGANIZER)
    assert uow.sessions.get(TENANT, "s-1") == cancelled and cancelled.status == "cancelled"
    [event] = uow.published
    assert event.type == contracts.SESSION_CANCELLED_V1 and event.data["cancelled_by"] == "ada" \
        and event.data["note"] == "ill" and "METHOD:CANCEL" in event.data["cancellation"]
    with pytest.raises(Conflict):
        handlers.cancel(TENANT, "s-1", None, ADA, uow, ORGANIZER)
    assert uow.commits == 1


def test_each_confirms_for_themselves_and_the_second_completes_it():
    started = a_session(a_plan(), datetime.now(UTC) - timedelta(hours=1))
    uow = pair_uow(started)
    once = handlers.confirm_held(TENANT, "s-1", ADA, uow, ORGANIZER)
    assert once.confirmations == ("ada",) and once.status == "scheduled" and uow.published == [] and uow.committed
    both = handlers.confirm_held(TENANT, "s-1", LINUS, uow, ORGANIZER)
    assert both.status == "completed" and uow.published_types() == [contracts.SESSION_COMPLETED_V1]


def test_an_organizer_confirms_for_both_but_not_before_it_starts():
    uow = pair_uow(a_session(a_plan(), datetime.now(UTC) - timedelta(hours=1)))
    assert handlers.confirm_held(TENANT, "s-1", AS_ORGANIZER, uow, ORGANIZER).completion == "confirmed"
    ahead = pair_uow(a_session(a_plan(), next_weekday(10)))
    with pytest.raises(Conflict, match="started"):
        handlers.confirm_held(TENANT, "s-1", AS_ORGANIZER, ahead, ORGANIZER)
    assert not ahead.committed


def test_a_no_show_is_stored_and_withdraws_the_session_from_calendars():
    uow = pair_uow(a_session(a_plan(), datetime.now(UTC) - timedelta(hours=1)))
    missed = handlers.report_no_show(TENANT, "s-1", "never came", LINUS, uow, ORGANIZER)
    assert uow.sessions.get(TENANT, "s-1").status == missed.status == "no_show"
    assert uow.published_types() == [contracts.SESSION_CANCELLED_V1]
    assert uow.published[0].data["reason"] == "no_show"
    ahead = pair_uow(a_session(a_plan(), next_weekday(10)))
    with pytest.raises(Conflict, match="started"):
        handlers.report_no_show(TENANT, "s-1", None, LINUS, ahead, ORGANIZER)
    assert not ahead.committed


def test_cancelling_the_future_calls_off_only_what_is_ahead_within_the_callers_transaction():
    plan = a_plan()
    past = a_session(plan, datetime.now(UTC) - timedelta(days=1), session_id="s-0")
    ahead = a_session(plan, next_weekday(10))
    uow = pair_uow(past, ahead)
    with uow:
        assert handlers.cancel_future_sessions(uow, TENANT, "paused", None, ORGANIZER, mentorship_id="m-1") == 1
        uow.commit()
    assert uow.sessions.get(TENANT, "s-1").cancel_reason == "paused"
    assert uow.sessions.get(TENANT, "s-0").status == "scheduled"
    assert uow.published_types() == [contracts.SESSION_CANCELLED_V1]
