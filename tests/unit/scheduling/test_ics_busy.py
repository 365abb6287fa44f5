"""Busy time from iCalendar files: recurrence across DST, exceptions, all-day and floating times,
events that do not block time, and files that must be refused."""

import pytest

from scheduling.availability import CalendarFileError, busy_intervals_from_ics
from tests.unit.scheduling.support import as_local_pairs, as_utc_pairs, calendar, utc

MARCH = (utc(2026, 3, 1), utc(2026, 4, 13))

WEEKLY_NEW_YORK = """
UID:standup-ny
SUMMARY:Weekly 1:1
DTSTART;TZID=America/New_York:20260302T100000
DTEND;TZID=America/New_York:20260302T103000
RRULE:FREQ=WEEKLY;COUNT=6
"""


def busy(ics: bytes, zone: str = "UTC", start=MARCH[0], end=MARCH[1], **limits):
    return busy_intervals_from_ics(ics, zone, start, end, **limits)


def test_a_weekly_meeting_stays_at_ten_local_across_the_us_dst_change():
    meetings = busy(calendar(WEEKLY_NEW_YORK))
    assert {start for start, _ in as_local_pairs(meetings, "America/New_York")} == {
        f"2026-{day} 10:00" for day in ("03-02", "03-09", "03-16", "03-23", "03-30", "04-06")}
    # in UTC it moves an hour earlier once New York switches on 8 March
    assert [start.hour for start, _ in as_utc_pairs(meetings)] == [15, 14, 14, 14, 14, 14]


def test_a_weekly_meeting_stays_at_ten_local_across_the_eu_dst_change_for_a_person_elsewhere():
    weekly_berlin = """
    UID:weekly-berlin
    DTSTART;TZID=Europe/Berlin:20260316T100000
    DTEND;TZID=Europe/Berlin:20260316T110000
    RRULE:FREQ=WEEKLY;UNTIL=20260413T000000Z
    """
    meetings = busy(calendar(weekly_berlin), zone="America/New_York")  # the owner's zone does not move it
    assert as_local_pairs(meetings, "Europe/Berlin") == [
        ("2026-03-16 10:00", "2026-03-16 11:00"), ("2026-03-23 10:00", "2026-03-23 11:00"),
        ("2026-03-30 10:00", "2026-03-30 11:00"), ("2026-04-06 10:00", "2026-04-06 11:00")]
    assert [start.hour for start, _ in as_utc_pairs(meetings)] == [9, 9, 8, 8]  # EU changes on 29 March


def test_a_google_export_in_utc_with_x_wr_timezone_recurs_on_local_time():
    google = calendar("""
    UID:google-weekly
    DTSTART:20260302T150000Z
    DTEND:20260302T160000Z
    RRULE:FREQ=WEEKLY;COUNT=3
    """, header="X-WR-TIMEZONE:America/New_York")
    assert [start for start, _ in as_local_pairs(busy(google), "America/New_York")] == [
        "2026-03-02 10:00", "2026-03-09 10:00", "2026-03-16 10:00"]


def test_an_outlook_export_with_a_windows_zone_name_recurs_on_that_zones_clock():
    outlook = calendar("""
    UID:outlook-weekly
    DTSTART;TZID=W. Europe Standard Time:20260316T100000
    DTEND;TZID=W. Europe Standard Time:20260316T110000
    RRULE:FREQ=WEEKLY;COUNT=3
    """, header="""
    BEGIN:VTIMEZONE
    TZID:W. Europe Standard Time
    BEGIN:STANDARD
    DTSTART:16010101T030000
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100
    RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
    END:STANDARD
    BEGIN:DAYLIGHT
    DTSTART:16010101T020000
    TZOFFSETFROM:+0100
    TZOFFSETTO:+0200
    RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
    END:DAYLIGHT
    END:VTIMEZONE
    """)
    assert [start for start, _ in as_local_pairs(busy(outlook), "UTC")] == [
        "2026-03-16 09:00", "2026-03-23 09:00", "2026-03-30 08:00"]


def test_an_exdate_removes_one_occurrence():
    with_exdate = WEEKLY_NEW_YORK + "EXDATE;TZID=America/New_York:20260316T100000\n"
    days = [start[:10] for start, _ in as_local_pairs(busy(calendar(with_exdate)), "America/New_York")]
    assert "2026-03-16" not in days and len(days) == 5


def test_a_recurrence_id_override_moves_one_occurrence():
    moved = """
    UID:standup-ny
    RECURRENCE-ID;TZID=America/New_York:20260323T100000
    DTSTART;TZID=America/New_York:20260324T150000
    DTEND;TZID=America/New_York:20260324T160000
    """
    meetings = as_local_pairs(busy(calendar(WEEKLY_NEW_YORK, moved)), "America/New_York")
    assert ("2026-03-24 15:00", "2026-03-24 16:00") in meetings
    assert not any(start.startswith("2026-03-23") for start, _ in meetings)
    assert len(meetings) == 6


def test_a_cancelled_occurrence_of_a_series_is_not_busy():
    cancelled = """
    UID:standup-ny
    RECURRENCE-ID;TZID=America/New_York:20260309T100000
    DTSTART;TZID=America/New_York:20260309T100000
    DTEND;TZID=America/New_York:20260309T103000
    STATUS:CANCELLED
    """
    days = [start[:10] for start, _ in as_local_pairs(busy(calendar(WEEKLY_NEW_YORK, cancelled)), "America/New_York")]
    assert "2026-03-09" not in days and len(days) == 5


def test_transparent_and_cancelled_events_do_not_block_time():
    free_event = "UID:free\nDTSTART:20260305T100000Z\nDTEND:20260305T110000Z\nTRANSP:TRANSPARENT"
    cancelled = "UID:off\nDTSTART:20260305T120000Z\nDTEND:20260305T130000Z\nSTATUS:CANCELLED"
    opaque = "UID:busy\nDTSTART:20260305T140000Z\nDTEND:20260305T150000Z\nTRANSP:OPAQUE"
    assert as_utc_pairs(busy(calendar(free_event, cancelled, opaque))) == [(utc(2026, 3, 5, 14), utc(2026, 3, 5, 15))]


def test_outlook_events_shown_as_free_do_not_block_time():
    free = "UID:o1\nDTSTART:20260305T100000Z\nDTEND:20260305T110000Z\nX-MICROSOFT-CDO-BUSYSTATUS:FREE"
    tentative = "UID:o2\nDTSTART:20260305T120000Z\nDTEND:20260305T130000Z\nX-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE"
    assert as_utc_pairs(busy(calendar(free, tentative))) == [(utc(2026, 3, 5, 12), utc(2026, 3, 5, 13))]


def test_descriptions_attendees_and_folded_lines_do_not_disturb_the_times():
    chatty = r"""
    UID:chatty
    SUMMARY:Quarterly planning
    DESCRIPTION:A long agenda that an exporter folds over several lines because it is far longer than seventy-
     five octets\, with commas\; and semicolons: DTSTART:20990101T000000Z is just text here
    ORGANIZER;CN="Ada":mailto:ada@example.com
    ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.com
    X-GOOGLE-CONFERENCE:https://meet.example/abc
    DTSTART;TZID=Europe/Paris:20260305T090000
    DTEND;TZID=Europe/Paris:20260305T100000
    """
    assert as_utc_pairs(busy(calendar(chatty))) == [(utc(2026, 3, 5, 8), utc(2026, 3, 5, 9))]


def test_an_all_day_event_blocks_the_whole_local_day_of_the_person():
    holiday = "UID:holiday\nDTSTART;VALUE=DATE:20260311\nDTEND;VALUE=DATE:20260312"
    # Tokyo is UTC+9: its 11 March runs from 10 March 15:00 to 11 March 15:00 UTC
    assert as_utc_pairs(busy(calendar(holiday), zone="Asia/Tokyo")) == [(utc(2026, 3, 10, 15), utc(2026, 3, 11, 15))]


def test_an_all_day_event_without_an_end_lasts_one_day():
    assert as_utc_pairs(busy(calendar("UID:d\nDTSTART;VALUE=DATE:20260311"))) == [(utc(2026, 3, 11), utc(2026, 3, 12))]


def test_a_floating_time_is_read_on_the_persons_clock():
    floating = "UID:floating\nDTSTART:20260310T100000\nDTEND:20260310T113000"
    assert as_utc_pairs(busy(calendar(floating), zone="Asia/Kolkata")) == [
        (utc(2026, 3, 10, 4, 30), utc(2026, 3, 10, 6))]


def test_a_duration_sets_the_end_and_partial_minutes_count_as_busy():
    timed = "UID:dur\nDTSTART:20260310T100000Z\nDURATION:PT45M30S"
    assert as_utc_pairs(busy(calendar(timed))) == [(utc(2026, 3, 10, 10), utc(2026, 3, 10, 10, 46))]


def test_events_are_clipped_to_the_horizon():
    straddling = "UID:long\nDTSTART:20260228T220000Z\nDTEND:20260301T020000Z"
    after = "UID:later\nDTSTART:20260501T100000Z\nDTEND:20260501T110000Z"
    assert as_utc_pairs(busy(calendar(straddling, after))) == [(utc(2026, 3, 1), utc(2026, 3, 1, 2))]


def test_text_input_is_accepted():
    assert len(busy(calendar(WEEKLY_NEW_YORK).decode())) == 6


def refusal(ics: bytes | str, **limits) -> CalendarFileError:
    with pytest.raises(CalendarFileError) as raised:
        busy(ics, **limits)
    return raised.value


def test_a_file_that_is_not_a_calendar_is_refused():
    error = refusal(b"name,start,end\nstandup,09:00,09:15\n")
    assert error.code == "not_a_calendar" and "VCALENDAR" in error.message


def test_a_bare_event_without_vcalendar_is_refused():
    assert refusal(b"BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260310T100000Z\r\nEND:VEVENT\r\n").code == "not_a_calendar"


def test_a_truncated_calendar_is_refused_as_malformed():
    error = refusal(calendar(WEEKLY_NEW_YORK)[:-30])
    assert error.code == "malformed"


def test_a_bad_date_is_refused_naming_the_event_and_property():
    error = refusal(calendar("UID:broken\nDTSTART:2026031XT100000Z\nDTEND:20260310T110000Z"))
    assert error.code == "bad_date"
    assert "broken" in error.message and "DTSTART" in error.message


def test_an_event_ending_before_it_starts_is_refused():
    assert refusal(calendar("UID:back\nDTSTART:20260310T110000Z\nDTEND:20260310T100000Z")).code == "bad_event"


def test_a_bad_recurrence_rule_is_refused():
    error = refusal(calendar("UID:r\nDTSTART:20260310T100000Z\nDTEND:20260310T110000Z\nRRULE:FREQ=SOMETIMES"))
    assert error.code == "bad_value" and "RRULE" in error.message


def test_an_event_without_a_start_is_refused():
    assert refusal(calendar("UID:nostart\nSUMMARY:when?")).code == "bad_event"


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    error = refusal(calendar(WEEKLY_NEW_YORK), max_bytes=100)
    assert error.code == "too_large" and "too large" in error.message


def test_more_occurrences_in_the_horizon_than_the_limit_are_refused():
    hourly = "UID:hourly\nDTSTART:20260301T000000Z\nDURATION:PT5M\nRRULE:FREQ=HOURLY"
    error = refusal(calendar(hourly), max_occurrences=500)  # about 1,000 in the horizon
    assert error.code == "too_many_occurrences" and "too many occurrences" in error.message
    assert refusal(calendar(WEEKLY_NEW_YORK), max_occurrences=5).code == "too_many_occurrences"


def test_a_rule_making_far_more_occurrences_than_the_limit_is_refused_before_expanding():
    every_minute = "UID:spam\nDTSTART:20260301T000000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY"
    assert refusal(calendar(every_minute)).code == "too_many_occurrences"


def test_a_rule_that_would_take_long_to_expand_is_refused_before_expanding():
    since_2000 = "UID:old\nDTSTART:20000101T000000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY;BYHOUR=3;BYMINUTE=0"
    assert refusal(calendar(since_2000)).code == "too_many_occurrences"


def test_a_long_running_daily_series_is_still_expanded():
    since_2010 = "UID:daily\nDTSTART:20100104T090000Z\nDTEND:20100104T091500Z\nRRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"
    assert len(busy(calendar(since_2010), start=utc(2026, 3, 2), end=utc(2026, 3, 9))) == 5
