"""Scheduling's own session events, consumed to write sessions back to the CalDAV calendar a person
opted into (`calendar_sources.write_back_path`).

Each handler makes the calendars agree with the session row as it is NOW (read by the event's
session id), not with the event's payload: delivery is at-least-once and a redelivered or late
event must not undo a later change. Writes are idempotent by UID + SEQUENCE (`caldav_client.put_entry`
answers "unchanged" for a copy already there and "stale" for a newer one), so a redelivery writes
nothing.

A cancelled session is DELETEd from the calendar, not rewritten as STATUS:CANCELLED: the same
account is read back as the person's busy time, and a server's free-busy answer may count a
cancelled event as busy; a cancelled entry would also linger in the person's calendar forever.
Deleting is safe against reordering because every handler reads the current row: a late
"scheduled" event for a session since cancelled deletes too, and never brings it back.

Failures: a server that cannot be reached (or answers nonsense, e.g. a 5xx) raises, so the
consumer retries with backoff and finally dead-letters the event. A refusal that retrying cannot
fix (wrong password, no such calendar) is recorded in the source's `last_error` ("write-back: ...")
and skipped, so one person's broken account never holds up a partition.

The network calls run inside the consumer's transaction (a handler is `(event, uow)`): the
server's timeout bounds how long the transaction stays open."""

from __future__ import annotations

import logging
from collections.abc import Callable

import mentoring_shared.contracts.scheduling as contracts
from mentoring_shared.messaging.envelope import Envelope
from scheduling.calendar_entries import entry_for_session, session_row
from scheduling.calendars import caldav_client
from scheduling.calendars.entries import Participant
from scheduling.calendars.fetching import CalendarFetchError, FetchPolicy, check_destination
from scheduling.metrics import WRITE_BACKS
from scheduling.repositories.calendars import CalendarSource
from scheduling.unit_of_work import SchedulingUnitOfWork

log = logging.getLogger(__name__)

# Refusals that retrying the same event cannot fix (disallowed: the URL left the allow-list):
# recorded on the source and skipped. Anything
# else (unreachable, bad_response) raises for the consumer's bounded retries and dead letter.
RECORDED_ERRORS = {"unauthorized", "not_found", "disallowed"}
ERROR_PREFIX = "write-back: "

Handler = Callable[[Envelope, SchedulingUnitOfWork], None]


def scheduling_event_handlers(organizer: Participant, *, fetch_policy: FetchPolicy | None = None,
                              timeout_s: float = 15.0) -> dict[str, Handler]:
    """Handlers for scheduling's session events that keep write-back calendars in step.

    `organizer` is the ORGANIZER written into entries (the platform's mailbox, as in invitations).
    With `fetch_policy`, each account URL is checked against the calendar allow-list again before
    credentials are sent to it (it was checked when the source was added; the list may have
    changed since); a URL no longer allowed is recorded like a refusal."""

    def sync(event: Envelope, uow: SchedulingUnitOfWork) -> None:
        _sync_session(uow, event.tenant_id, event.data["session_id"], organizer, fetch_policy, timeout_s)

    def completed(event: Envelope, uow: SchedulingUnitOfWork) -> None:
        """A held session stays in the calendar as it was written."""

    return {
        contracts.SESSION_SCHEDULED_V1: sync,
        contracts.SESSION_RESCHEDULED_V1: sync,
        contracts.SESSION_CANCELLED_V1: sync,
        contracts.SESSION_COMPLETED_V1: completed,
    }


def _sync_session(uow: SchedulingUnitOfWork, tenant_id: str, session_id: str, organizer: Participant,
                  fetch_policy: FetchPolicy | None, timeout_s: float) -> None:
    session = uow.sessions.get(tenant_id, session_id)
    if session is None:
        return  # gone (e.g. its people were erased): nothing to write
    sources = uow.calendars.write_back_sources(tenant_id, session.attendees())
    if not sources:
        return
    names = uow.people.participants(tenant_id, session.attendees())
    entry = entry_for_session(session_row(session), names[session.mentee_id]._asdict(),
                              names[session.mentor_id]._asdict(), organizer=organizer)
    for source in sources:
        path = source.write_back_path
        assert path is not None, "write_back_sources returns only sources with a write-back path"
        try:
            account = _account(source, fetch_policy, timeout_s)
            if session.status == "cancelled":
                outcome = "deleted" if caldav_client.delete_entry(account, path, entry.uid) else "absent"
            else:
                outcome = caldav_client.put_entry(account, path, entry)
        except caldav_client.CalDavError as error:
            if error.code == "bad_response":
                error = _missing_calendar(account, path) or error
            WRITE_BACKS.labels(error.code).inc()
            if error.code not in RECORDED_ERRORS:
                raise  # transient or unknown: the consumer retries, then dead-letters
            log.warning("calendar write-back refused (%s); recorded on the source", error.code)
            _record(uow, source, f"{ERROR_PREFIX}{error.code}: {error.message}")
            continue
        WRITE_BACKS.labels(outcome).inc()
        if source.last_error and source.last_error.startswith(ERROR_PREFIX):
            _record(uow, source, None)  # it works again; a refresh's own error is left alone


def _account(source: CalendarSource, fetch_policy: FetchPolicy | None, timeout_s: float) -> caldav_client.CalDavAccount:
    url = source.url or ""
    if fetch_policy is not None:
        try:
            url, _ = check_destination(url, fetch_policy)
        except CalendarFetchError as error:
            # Not a server's refusal, but just as permanent for this event: recorded, skipped.
            raise caldav_client.CalDavError("disallowed", f"the account URL is no longer allowed: {error.message}") \
                from None
    return caldav_client.CalDavAccount(url, source.username or "", source.secret or "", timeout_s=timeout_s)


def _missing_calendar(account: caldav_client.CalDavAccount, path: str) -> caldav_client.CalDavError | None:
    """A not_found error if `path` is not a calendar on the server (a PUT into a missing collection is
    a 409, which the client reports as bad_response); None if it is one, so the original error stands.
    A server that cannot be reached now raises, like the write."""
    url = caldav_client.calendar_url(account, path)
    try:
        found = caldav_client.discover_calendars(caldav_client.CalDavAccount(
            url, account.username, account.password, timeout_s=account.timeout_s))
    except caldav_client.CalDavError as error:
        if error.code == "not_found":
            return caldav_client.CalDavError("not_found", f"there is no calendar at {path}")
        if error.code == "unreachable":
            raise
        return None
    if url in found:
        return None
    return caldav_client.CalDavError("not_found", f"{path} is not a calendar")


def _record(uow: SchedulingUnitOfWork, source: CalendarSource, message: str | None) -> None:
    uow.calendars.record_error(source.tenant_id, source.id, message)
