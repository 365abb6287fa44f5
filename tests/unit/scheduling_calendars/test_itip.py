import icalendar
import pytest

from scheduling.calendars.itip import CANCEL_CONTENT_TYPE, REQUEST_CONTENT_TYPE, NotCancelled, cancellation, invitation
from tests.unit.scheduling_calendars.support import NOW, emails, make_entry, only_event, physical_lines


def attendees(event):
    values = event["ATTENDEE"]
    return values if isinstance(values, list) else [values]


def test_invitation_is_an_itip_request_with_organizer_and_every_attendee():
    entry = make_entry()
    raw = invitation(entry)
    assert str(icalendar.Calendar.from_ical(raw)["METHOD"]) == "REQUEST"
    event = only_event(raw)
    for required in ("UID", "DTSTAMP", "DTSTART", "SEQUENCE", "SUMMARY", "ORGANIZER"):
        assert required in event, required
    assert emails(event["ORGANIZER"]) == ["sessions@mentoring.example"]
    assert emails(event["ATTENDEE"]) == ["ada@acme.example", "grace@acme.example"]


def test_invitation_asks_each_attendee_to_reply():
    for attendee in attendees(only_event(invitation(make_entry()))):
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"


def test_resending_the_same_revision_gives_the_same_bytes():
    assert invitation(make_entry()) == invitation(make_entry())


def test_an_update_is_a_request_with_a_higher_sequence_for_the_same_uid():
    first = make_entry()
    moved = first.changed(NOW, start=first.start.replace(hour=16), end=first.end.replace(hour=16))
    before, after = only_event(invitation(first)), only_event(invitation(moved))
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["DTSTART"].dt.hour == 16


def test_cancellation_keeps_the_uid_and_raises_the_sequence():
    entry = make_entry(sequence=2)
    invited = only_event(invitation(entry))
    cancelled_raw = cancellation(entry.cancelled(NOW))
    assert str(icalendar.Calendar.from_ical(cancelled_raw)["METHOD"]) == "CANCEL"
    cancelled = only_event(cancelled_raw)
    assert str(cancelled["UID"]) == str(invited["UID"])
    assert cancelled["SEQUENCE"] > invited["SEQUENCE"]
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_cancellation_names_the_organizer_and_every_attendee_without_asking_for_replies():
    event = only_event(cancellation(make_entry().cancelled(NOW)))
    assert emails(event["ORGANIZER"]) == ["sessions@mentoring.example"]
    assert emails(event["ATTENDEE"]) == ["ada@acme.example", "grace@acme.example"]
    assert all("RSVP" not in a.params for a in attendees(event))


def test_cancelling_an_entry_that_is_not_cancelled_is_refused():
    with pytest.raises(NotCancelled):
        cancellation(make_entry())


def test_inviting_to_a_cancelled_entry_is_refused():
    with pytest.raises(ValueError):
        invitation(make_entry().cancelled(NOW))


def test_a_message_without_attendees_is_refused():
    with pytest.raises(ValueError):
        invitation(make_entry(attendees=()))


def test_itip_messages_are_valid_rfc_5545_text():
    raw = invitation(make_entry(summary="Sesión de mentoría — Zoë Ærøskøbing " * 4))
    lines = physical_lines(raw)
    assert max(len(line) for line in lines) <= 75
    assert all(b"\n" not in line and b"\r" not in line for line in lines)


def test_content_types_name_the_method_as_imip_requires():
    assert "method=REQUEST" in REQUEST_CONTENT_TYPE
    assert "method=CANCEL" in CANCEL_CONTENT_TYPE
