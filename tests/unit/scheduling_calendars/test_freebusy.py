import datetime as dt

import pytest

from scheduling.calendars.freebusy import FreeBusyError, busy_periods

UTC = dt.UTC


def reply(*lines: str) -> bytes:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VFREEBUSY",
                        "DTSTART:20260104T000000Z", "DTEND:20260111T000000Z", *lines,
                        "END:VFREEBUSY", "END:VCALENDAR", ""]).encode()


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def test_busy_periods_are_read_with_ends_or_durations():
    data = reply("FREEBUSY;FBTYPE=BUSY:20260105T090000Z/20260105T100000Z,20260106T090000Z/PT30M",
                 "FREEBUSY:20260107T090000Z/20260107T100000Z")
    assert busy_periods(data) == [(at(5, 9), at(5, 10)), (at(6, 9), at(6, 9, 30)), (at(7, 9), at(7, 10))]


def test_free_periods_are_not_busy_but_unavailable_and_tentative_ones_are():
    data = reply("FREEBUSY;FBTYPE=FREE:20260105T090000Z/20260105T100000Z",
                 "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20260106T090000Z/20260106T100000Z",
                 "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20260107T090000Z/20260107T100000Z")
    assert busy_periods(data) == [(at(6, 9), at(6, 10)), (at(7, 9), at(7, 10))]


def test_a_reply_with_no_busy_time_is_empty():
    assert busy_periods(reply()) == []


@pytest.mark.parametrize("data", [b"<html>oops</html>", reply("FREEBUSY:tomorrow/later"),
                                  reply("FREEBUSY:20260105T090000/20260105T100000")])
def test_an_unreadable_reply_is_an_error(data):
    with pytest.raises(FreeBusyError):
        busy_periods(data)
