import datetime as dt

import icalendar
import pytest
import vobject

from scheduling.calendars.feeds import personal_feed
from tests.unit.scheduling_calendars.support import NOW, UTC, emails, make_entry, physical_lines, unfolded_lines

LONG_NON_ASCII = "Mentoring — Zoë Ærøskøbing und Jürgen Müller: Karriereplanung 日本語のセッション 🚀 " * 3


def feed(*entries, **kwargs) -> bytes:
    return personal_feed("Mentoring — Ada Lovelace", entries or [make_entry()], NOW, **kwargs)


def test_feed_declares_a_published_gregorian_calendar_with_its_name():
    calendar = icalendar.Calendar.from_ical(feed())
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Mentoring — Ada Lovelace"


def test_feed_asks_subscribers_to_refresh_hourly_in_both_dialects():
    lines = unfolded_lines(feed())
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines


def test_feed_event_carries_every_property_calendars_need():
    entry = make_entry(sequence=3)
    event = icalendar.Calendar.from_ical(feed(entry)).walk("VEVENT")[0]
    assert str(event["UID"]) == entry.uid
    assert event["DTSTAMP"].dt == NOW
    assert event["DTSTART"].dt == entry.start
    assert event["DTEND"].dt == entry.end
    assert event["SEQUENCE"] == 3
    assert str(event["SUMMARY"]) == entry.summary
    assert str(event["DESCRIPTION"]) == entry.description
    assert str(event["STATUS"]) == "CONFIRMED"
    assert emails(event["ORGANIZER"]) == ["sessions@mentoring.example"]
    assert event["ORGANIZER"].params["CN"] == "Mentoring Platform"
    assert emails(event["ATTENDEE"]) == ["ada@acme.example", "grace@acme.example"]


def test_feed_writes_times_in_utc_with_z():
    lines = unfolded_lines(feed())
    assert "DTSTART:20260310T140000Z" in lines
    assert "DTEND:20260310T144500Z" in lines
    assert "DTSTAMP:20260302T080000Z" in lines


def test_entry_times_in_another_zone_are_written_as_the_same_instant_in_utc():
    berlin = dt.timezone(dt.timedelta(hours=1))
    entry = make_entry(start=dt.datetime(2026, 3, 10, 15, 0, tzinfo=berlin),
                       end=dt.datetime(2026, 3, 10, 15, 45, tzinfo=berlin))
    assert "DTSTART:20260310T140000Z" in unfolded_lines(feed(entry))


def test_feed_uses_crlf_line_ends_only():
    raw = feed()
    lines = physical_lines(raw)
    assert all(b"\n" not in line and b"\r" not in line for line in lines)


def test_long_non_ascii_summary_is_folded_at_75_octets_without_splitting_characters():
    raw = feed(make_entry(summary=LONG_NON_ASCII))
    lines = physical_lines(raw)
    assert max(len(line) for line in lines) <= 75
    assert sum(1 for line in lines if line.startswith(b" ")) >= 3, "the summary should need folding"
    for line in lines:
        line.decode("utf-8")  # a character split across lines would not decode
    assert str(icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]["SUMMARY"]) == LONG_NON_ASCII


def test_feed_text_escapes_commas_semicolons_and_newlines():
    entry = make_entry(summary="Goals; next steps, review", description="one\ntwo")
    lines = unfolded_lines(feed(entry))
    assert r"SUMMARY:Goals\; next steps\, review" in lines
    assert r"DESCRIPTION:one\ntwo" in lines


def test_feed_is_read_by_a_second_independent_parser():
    parsed = vobject.readOne(feed(make_entry(summary=LONG_NON_ASCII)).decode("utf-8"))
    event = parsed.vevent
    assert event.uid.value == make_entry().uid
    assert event.summary.value == LONG_NON_ASCII
    assert event.dtstart.value == make_entry().start


def test_cancelled_sessions_leave_the_feed_unless_asked_for():
    kept = make_entry(uid="kept@mentoring.example")
    cancelled = make_entry(uid="gone@mentoring.example").cancelled(NOW)
    default = icalendar.Calendar.from_ical(feed(kept, cancelled)).walk("VEVENT")
    assert [str(e["UID"]) for e in default] == ["kept@mentoring.example"]
    shown = icalendar.Calendar.from_ical(feed(kept, cancelled, include_cancelled=True)).walk("VEVENT")
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in shown}
    assert statuses == {"kept@mentoring.example": "CONFIRMED", "gone@mentoring.example": "CANCELLED"}


def test_feed_lists_sessions_in_time_order():
    later = make_entry(uid="b@x", start=dt.datetime(2026, 4, 1, 9, tzinfo=UTC), end=dt.datetime(2026, 4, 1, 10, tzinfo=UTC))
    sooner = make_entry(uid="a@x")
    events = icalendar.Calendar.from_ical(feed(later, sooner)).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["a@x", "b@x"]


def test_an_empty_feed_still_holds_a_component_as_rfc_5545_requires():
    raw = personal_feed("Nobody's sessions", [], NOW)
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar.subcomponents and not calendar.walk("VEVENT")
    vobject.readOne(raw.decode("utf-8"))


@pytest.mark.parametrize("bad", [dict(start=dt.datetime(2026, 3, 10, 14)),
                                 dict(end=dt.datetime(2026, 3, 10, 13, tzinfo=UTC)),
                                 dict(status="TENTATIVE"),
                                 dict(attendees=[("No Email", "")]),
                                 dict(sequence=-1)])
def test_an_entry_calendars_could_not_show_is_refused(bad):
    with pytest.raises(ValueError):
        make_entry(**bad)
