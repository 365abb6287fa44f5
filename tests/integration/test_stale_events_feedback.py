"""Feedback ignores an event older than what it holds. After a broker loses its log, matching,
scheduling and profiles republish their recent events: one can arrive behind a newer event of the
same aggregate (delivered here straight to feedback's handlers, in the order under test). And the
pair health verdicts feedback publishes carry a version, so that matching can do the same."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from mentoring_shared.contracts import feedback as feedback_events
from mentoring_shared.contracts import matching, profiles, scheduling
from mentoring_shared.ids import new_id
from tests.integration.event_delivery import deliver, payload, subscribed_handlers
from tests.integration.feedback_records import insert_pair
from tests.integration.helpers import count_rows
from tests.integration.matching_cohorts import outbox_events

UTC = UTC


def a_match() -> dict:
    return {"match_id": new_id(), "cohort_id": new_id(), "program_id": new_id(), "mentee_id": new_id(),
            "mentor_id": new_id()}


def pair_row(app, match_id: str) -> dict:
    runtime = app.extensions["runtime"]
    pairs = runtime.outbox.metadata.tables["pairs"]
    with runtime.sessions() as db:
        return dict(db.execute(select(pairs).where(pairs.c.match_id == match_id)).mappings().one())


def test_a_match_that_ended_before_its_confirmation_arrived_stays_ended_and_gets_its_exit_survey(apps, tenant):
    app, handlers, match = apps["feedback"], subscribed_handlers("feedback"), a_match()
    deliver(app, handlers, matching.MATCH_ENDED_V1, tenant, payload(matching.MATCH_ENDED_V1, **match, reason="asked"))
    deliver(app, handlers, matching.MATCH_CONFIRMED_V1, tenant, payload(matching.MATCH_CONFIRMED_V1, **match))

    pair = pair_row(app, match["match_id"])
    assert (pair["status"], pair["end_reason"], pair["match_version"]) == ("ended", "asked", 2)
    assert count_rows(app, "check_ins", match_id=match["match_id"]) == 0  # the confirmation was ignored
    assert count_rows(app, "feedback_requests", match_id=match["match_id"], kind="exit") == 2


def test_a_republished_end_of_an_ended_pair_asks_nobody_again(apps, tenant):
    app, handlers, match = apps["feedback"], subscribed_handlers("feedback"), a_match()
    deliver(app, handlers, matching.MATCH_CONFIRMED_V1, tenant, payload(matching.MATCH_CONFIRMED_V1, **match))
    deliver(app, handlers, matching.MATCH_ENDED_V1, tenant, payload(matching.MATCH_ENDED_V1, **match, reason="asked"))
    deliver(app, handlers, matching.MATCH_ENDED_V1, tenant, payload(matching.MATCH_ENDED_V1, **match, reason="asked"))

    assert pair_row(app, match["match_id"])["status"] == "ended"
    assert count_rows(app, "feedback_requests", match_id=match["match_id"], kind="exit") == 2


def test_a_completion_older_than_the_session_held_asks_nobody_for_feedback(apps, tenant):
    app, handlers = apps["feedback"], subscribed_handlers("feedback")
    pair = insert_pair(app, tenant)
    session = {"session_id": new_id(), "mentorship_id": pair["match_id"], "cohort_id": pair["cohort_id"],
               "program_id": pair["program_id"], "mentee_id": pair["mentee_id"], "mentor_id": pair["mentor_id"]}
    deliver(app, handlers, scheduling.SESSION_CANCELLED_V1, tenant,
            payload(scheduling.SESSION_CANCELLED_V1, **session, version=3))
    deliver(app, handlers, scheduling.SESSION_COMPLETED_V1, tenant,
            payload(scheduling.SESSION_COMPLETED_V1, **session, version=2))

    assert count_rows(app, "sessions", session_id=session["session_id"], status="cancelled") == 1
    assert count_rows(app, "feedback_requests", session_id=session["session_id"]) == 0


def test_a_deactivation_older_than_the_persons_return_closes_none_of_their_requests(apps, tenant):
    app, handlers = apps["feedback"], subscribed_handlers("feedback")
    pair = insert_pair(app, tenant)
    mentee = pair["mentee_id"]
    deliver(app, handlers, scheduling.SESSION_COMPLETED_V1, tenant, payload(
        scheduling.SESSION_COMPLETED_V1, session_id=new_id(), mentorship_id=pair["match_id"],
        cohort_id=pair["cohort_id"], program_id=pair["program_id"], mentee_id=mentee, mentor_id=pair["mentor_id"]))
    assert count_rows(app, "feedback_requests", author_id=mentee, status="open") == 1
    runtime = app.extensions["runtime"]
    people = runtime.outbox.metadata.tables["people"]
    with runtime.sessions() as db:  # the mentee left at version 2 and came back at version 3
        db.execute(update(people).where(people.c.person_id == mentee).values(version=3))
        db.commit()

    def deactivated(version: int) -> dict:
        return payload(profiles.PERSON_DEACTIVATED_V1, person_id=mentee, version=version)

    deliver(app, handlers, profiles.PERSON_DEACTIVATED_V1, tenant, deactivated(2))
    assert count_rows(app, "feedback_requests", author_id=mentee, status="open") == 1

    deliver(app, handlers, profiles.PERSON_DEACTIVATED_V1, tenant, deactivated(3))  # not older: it applies
    assert count_rows(app, "feedback_requests", author_id=mentee, status="open") == 0


def test_each_change_of_a_pairs_verdict_is_published_with_the_next_health_version(apps, tenant):
    from feedback.pair_health import PairHealthClock

    app = apps["feedback"]
    runtime = app.extensions["runtime"]
    pair = insert_pair(app, tenant)
    clock = PairHealthClock(runtime)
    later = datetime.now(UTC) + timedelta(days=70)  # no session for 70 days: at risk
    clock.tick(later)
    with runtime.sessions() as db:  # then they meet
        db.execute(insert(runtime.outbox.metadata.tables["sessions"]).values(
            session_id=new_id(), tenant_id=tenant, match_id=pair["match_id"], cohort_id=pair["cohort_id"],
            program_id=pair["program_id"], starts_at=later - timedelta(days=2), minutes=45, status="completed",
            version=2))
        db.commit()
    clock.tick(later + timedelta(minutes=5))

    [at_risk] = outbox_events(app, tenant, feedback_events.PAIR_AT_RISK_V1)
    [recovered] = outbox_events(app, tenant, feedback_events.PAIR_RECOVERED_V1)
    assert (at_risk["version"], recovered["version"]) == (1, 2)
    assert pair_row(app, pair["match_id"])["health_version"] == 2
