"""Matching ignores an event older than what it holds. After a broker loses its log, profiles and
feedback republish their recent events: one can arrive behind a newer event of the same aggregate
(delivered here straight to matching's handlers, in the order under test)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from mentoring_shared.contracts import feedback, profiles
from mentoring_shared.ids import new_id
from tests.integration.event_delivery import deliver, payload, subscribed_handlers
from tests.integration.scheduling_records import insert_person

UTC = UTC
NOW = datetime.now(UTC)


def add_active_match(app, tenant: str, *, mentee_id: str | None = None, cohort_id: str | None = None):
    from matching.domain.matches import confirm_match
    from matching.repositories.matches import MatchesRepository

    match, _ = confirm_match(match_id=new_id(), tenant_id=tenant, cohort_id=cohort_id or new_id(),
                             program_id=new_id(), mentee_id=mentee_id or new_id(), mentor_id=new_id(),
                             origin="run", run_id=None, score=700, factors=(), now=NOW)
    with app.extensions["runtime"].sessions() as session:
        MatchesRepository(session).add([match])
        session.commit()
    return match


def stored_match(app, tenant: str, match_id: str):
    from matching.repositories.matches import MatchesRepository

    with app.extensions["runtime"].sessions() as session:
        return MatchesRepository(session).get(tenant, match_id)


def row(app, table: str, **key) -> dict:
    runtime = app.extensions["runtime"]
    table = runtime.outbox.metadata.tables[table]
    query = select(table)
    for column, value in key.items():
        query = query.where(table.c[column] == value)
    with runtime.sessions() as session:
        return dict(session.execute(query).mappings().one())


def test_an_enrollment_withdrawn_before_its_creation_arrived_stays_withdrawn(apps, tenant):
    app, handlers = apps["matching"], subscribed_handlers("matching")
    enrollment = {"enrollment_id": new_id(), "cohort_id": new_id(), "person_id": new_id()}
    deliver(app, handlers, profiles.ENROLLMENT_WITHDRAWN_V1, tenant,
            payload(profiles.ENROLLMENT_WITHDRAWN_V1, **enrollment, version=2))
    deliver(app, handlers, profiles.ENROLLMENT_CREATED_V1, tenant,
            payload(profiles.ENROLLMENT_CREATED_V1, **enrollment, version=1))

    held = row(app, "enrollments", tenant_id=tenant, enrollment_id=enrollment["enrollment_id"])
    assert (held["status"], held["version"], held["goals"]) == ("withdrawn", 2, [])


def test_a_cohort_status_change_older_than_the_cohort_held_ends_no_pairs(apps, tenant):
    app, handlers = apps["matching"], subscribed_handlers("matching")
    cohort_id = new_id()
    runtime = app.extensions["runtime"]
    with runtime.sessions() as session:
        session.execute(insert(runtime.outbox.metadata.tables["cohorts"]).values(
            tenant_id=tenant, cohort_id=cohort_id, version=7, program_id=new_id(), name="Spring", status="archived",
            starts_on=None))
        session.commit()
    match = add_active_match(app, tenant, cohort_id=cohort_id)

    def status_changed(version: int, from_status: str, to_status: str) -> dict:
        return payload(profiles.COHORT_STATUS_CHANGED_V1, cohort_id=cohort_id, version=version,
                       from_status=from_status, to_status=to_status)

    deliver(app, handlers, profiles.COHORT_STATUS_CHANGED_V1, tenant, status_changed(6, "closing", "closed"))
    assert stored_match(app, tenant, match.id).status == "active"
    assert row(app, "cohorts", tenant_id=tenant, cohort_id=cohort_id)["status"] == "archived"

    deliver(app, handlers, profiles.COHORT_STATUS_CHANGED_V1, tenant, status_changed(7, "closed", "archived"))
    assert stored_match(app, tenant, match.id).end_reason == "cohort_closed"  # not older: it applies


def test_a_deactivation_older_than_the_persons_return_ends_none_of_their_pairs(apps, tenant):
    app, handlers = apps["matching"], subscribed_handlers("matching")
    returned = insert_person(app, tenant, version=3)  # left at version 2, came back at version 3
    match = add_active_match(app, tenant, mentee_id=returned["person_id"])

    def deactivated(version: int) -> dict:
        return payload(profiles.PERSON_DEACTIVATED_V1, person_id=returned["person_id"], version=version,
                       employee_id=returned["employee_id"])

    deliver(app, handlers, profiles.PERSON_DEACTIVATED_V1, tenant, deactivated(2))
    assert stored_match(app, tenant, match.id).status == "active"

    deliver(app, handlers, profiles.PERSON_DEACTIVATED_V1, tenant, deactivated(3))  # not older: it applies
    assert stored_match(app, tenant, match.id).end_reason == "person_left"


def verdict(event_type: str, match, evaluated_at: datetime, version: int | None) -> dict:
    fields = {"match_id": match.id, "cohort_id": match.cohort_id, "program_id": match.program_id,
              "mentee_id": match.mentee_id, "mentor_id": match.mentor_id, "evaluated_at": evaluated_at.isoformat()}
    if version is None:
        return payload(event_type, **fields, without=("version",))
    return payload(event_type, **fields, version=version)


def test_a_pair_verdict_older_than_the_one_held_is_ignored_whatever_its_evaluation_time(apps, tenant):
    app, handlers = apps["matching"], subscribed_handlers("matching")
    match = add_active_match(app, tenant)
    deliver(app, handlers, feedback.PAIR_AT_RISK_V1, tenant, verdict(feedback.PAIR_AT_RISK_V1, match, NOW, 2))
    # an older verdict, from a worker whose clock ran ahead
    deliver(app, handlers, feedback.PAIR_RECOVERED_V1, tenant,
            verdict(feedback.PAIR_RECOVERED_V1, match, NOW + timedelta(minutes=1), 1))

    held = stored_match(app, tenant, match.id)
    assert (held.health, held.health_version) == ("at_risk", 2)


def test_verdicts_without_a_version_go_by_evaluation_time_and_never_override_a_versioned_one(apps, tenant):
    app, handlers = apps["matching"], subscribed_handlers("matching")
    match = add_active_match(app, tenant)
    at_risk, recovered = feedback.PAIR_AT_RISK_V1, feedback.PAIR_RECOVERED_V1
    deliver(app, handlers, at_risk, tenant, verdict(at_risk, match, NOW, None))
    deliver(app, handlers, recovered, tenant, verdict(recovered, match, NOW - timedelta(hours=1), None))
    assert stored_match(app, tenant, match.id).health == "at_risk"  # evaluated earlier: older

    deliver(app, handlers, recovered, tenant, verdict(recovered, match, NOW - timedelta(hours=2), 1))
    assert stored_match(app, tenant, match.id).health == "on_track"  # versioned: newer than any without

    deliver(app, handlers, at_risk, tenant, verdict(at_risk, match, NOW + timedelta(hours=1), None))
    assert stored_match(app, tenant, match.id).health == "on_track"
