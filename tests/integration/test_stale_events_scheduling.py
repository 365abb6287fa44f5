"""Scheduling ignores an event older than what it holds. After a broker loses its log, matching and
profiles republish their recent events: one can arrive behind a newer event of the same aggregate
(delivered here straight to scheduling's handlers, in the order under test)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mentoring_shared.contracts import matching, profiles
from mentoring_shared.ids import new_id
from tests.integration.event_delivery import deliver, payload, subscribed_handlers
from tests.integration.scheduling_records import insert_mentorship, insert_person, insert_session

UTC = UTC


def a_match() -> dict:
    return {"match_id": new_id(), "cohort_id": new_id(), "program_id": new_id(), "mentee_id": new_id(),
            "mentor_id": new_id()}


def mentorship(app, tenant: str, match_id: str):
    from scheduling.repositories.mentorships import MentorshipsRepository

    with app.extensions["runtime"].sessions() as session:
        return MentorshipsRepository(session).get(tenant, match_id)


def session_status(app, session_id: str) -> str:
    runtime = app.extensions["runtime"]
    sessions = runtime.outbox.metadata.tables["sessions"]
    with runtime.sessions() as db:
        return db.execute(select(sessions.c.status).where(sessions.c.session_id == session_id)).scalar_one()


def test_a_match_that_ended_before_its_confirmation_arrived_stays_ended(apps, tenant):
    app, handlers, match = apps["scheduling"], subscribed_handlers("scheduling"), a_match()
    deliver(app, handlers, matching.MATCH_ENDED_V1, tenant, payload(matching.MATCH_ENDED_V1, **match, reason="asked"))
    deliver(app, handlers, matching.MATCH_CONFIRMED_V1, tenant, payload(matching.MATCH_CONFIRMED_V1, **match))

    ended = mentorship(app, tenant, match["match_id"])
    assert (ended.status, ended.end_reason, ended.match_version) == ("ended", "asked", 2)


def test_a_republished_end_of_an_ended_mentorship_changes_nothing(apps, tenant):
    app, handlers, match = apps["scheduling"], subscribed_handlers("scheduling"), a_match()
    deliver(app, handlers, matching.MATCH_CONFIRMED_V1, tenant, payload(matching.MATCH_CONFIRMED_V1, **match))
    deliver(app, handlers, matching.MATCH_ENDED_V1, tenant, payload(matching.MATCH_ENDED_V1, **match, reason="asked"))
    ended = mentorship(app, tenant, match["match_id"])

    deliver(app, handlers, matching.MATCH_ENDED_V1, tenant,
            payload(matching.MATCH_ENDED_V1, **match, reason="person_left"))
    deliver(app, handlers, matching.MATCH_CONFIRMED_V1, tenant, payload(matching.MATCH_CONFIRMED_V1, **match))

    assert mentorship(app, tenant, match["match_id"]) == ended
    assert (ended.status, ended.end_reason, ended.match_version) == ("ended", "asked", 2)


def test_a_deactivation_older_than_the_persons_return_cancels_none_of_their_sessions(apps, tenant):
    app, handlers = apps["scheduling"], subscribed_handlers("scheduling")
    returned = insert_person(app, tenant, version=3)  # left at version 2, came back at version 3
    other = insert_person(app, tenant)
    booked = insert_session(app, tenant, returned["person_id"], other["person_id"],
                            datetime.now(UTC) + timedelta(days=7))
    insert_mentorship(app, tenant, booked)

    def deactivated(version: int) -> dict:
        return payload(profiles.PERSON_DEACTIVATED_V1, person_id=returned["person_id"], version=version,
                       employee_id=returned["employee_id"])

    deliver(app, handlers, profiles.PERSON_DEACTIVATED_V1, tenant, deactivated(2))
    assert session_status(app, booked["session_id"]) == "scheduled"

    deliver(app, handlers, profiles.PERSON_DEACTIVATED_V1, tenant, deactivated(3))  # not older: it applies
    assert session_status(app, booked["session_id"]) == "cancelled"
