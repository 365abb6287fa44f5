"""Pair health through the worker's clock: a pair that stops meeting goes at risk with its reasons
(one event), matching flags it for the program manager, and both recover once the pair meets again.
Programs set their own thresholds; organizers list a cohort's pairs by health."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from mentoring_shared.contracts import feedback as contracts
from mentoring_shared.ids import new_id
from mentoring_testing.polling import eventually
from tests.integration.feedback_records import insert_pair, insert_program
from tests.integration.helpers import count_rows
from tests.integration.matching_cohorts import outbox_events
from tests.integration.test_scheduling_sessions import PYTHON, confirmed_pairs


def test_a_pair_that_stops_meeting_goes_at_risk_and_recovers_when_it_meets(api, apps, tenant, running_workers):
    from feedback.pair_health import PairHealthClock

    _, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}}, {"linus": {"goals": ["python"]}})
    match_id = mentorship["id"]
    runtime = apps["feedback"].extensions["runtime"]
    tables = runtime.outbox.metadata.tables
    eventually(lambda: count_rows(apps["feedback"], "pairs", tenant_id=tenant, match_id=match_id) == 1)
    clock = PairHealthClock(runtime)
    later = datetime.now(UTC) + timedelta(days=70)
    clock.tick(later)
    clock.tick(later)  # evaluating again changes nothing and publishes nothing twice
    [at_risk] = [e for e in outbox_events(apps["feedback"], tenant, contracts.PAIR_AT_RISK_V1)
                 if e["match_id"] == match_id]
    assert any("no session in" in reason["text"] for reason in at_risk["reasons"])
    organizer, mentee = api("matching"), api("matching", roles=("mentee",), subject=mentorship["mentee_id"])
    flagged = eventually(lambda: organizer.get("/v1/matches", query_string={"health": "at_risk"}).get_json()["items"],
                         message="matching never flagged the pair at risk")
    assert [m["id"] for m in flagged] == [match_id] and flagged[0]["health_reasons"] == at_risk["reasons"]
    mine = mentee.get(f"/v1/matches/{match_id}").get_json()  # the verdict is the organizers' to see
    assert mine["health"] is None and mine["health_reasons"] == []
    assert mentee.get("/v1/matches", query_string={"health": "at_risk"}).status_code == 422
    with runtime.sessions() as db:
        assert db.execute(select(tables["pairs"].c.health).where(
            tables["pairs"].c.match_id == match_id)).scalar_one() == "at_risk"
        db.execute(insert(tables["sessions"]).values(
            session_id=new_id(), tenant_id=tenant, match_id=match_id, cohort_id=mentorship["cohort_id"],
            program_id=mentorship["program_id"], starts_at=later - timedelta(days=2), minutes=45,
            status="completed", version=2))
        db.commit()
    clock.tick(later + timedelta(minutes=5))  # the next round
    [recovered] = [e for e in outbox_events(apps["feedback"], tenant, contracts.PAIR_RECOVERED_V1)
                   if e["match_id"] == match_id]
    assert recovered["status"] == "on_track"
    eventually(lambda: organizer.get(f"/v1/matches/{match_id}").get_json()["health"] == "on_track",
               message="matching never cleared the flag")


def test_a_programs_own_thresholds_judge_its_pairs(api, apps, tenant):
    from feedback.pair_health import PairHealthClock

    app = apps["feedback"]
    strict, lenient = insert_program(app, tenant), insert_program(app, tenant)
    strict_pair = insert_pair(app, tenant, program=strict, confirmed_days_ago=12)
    lenient_pair = insert_pair(app, tenant, program=lenient, confirmed_days_ago=12)
    feedback = api("feedback", roles=("program_manager",))
    path = f"/v1/programs/{strict['program_id']}/health-rules"
    out_of_order = feedback.request("PUT", path, json={"overrides": {"no_session_days_check_in": 9, "no_session_days_at_risk": 5}})
    assert out_of_order.status_code == 422 and out_of_order.mimetype == "application/problem+json"
    assert out_of_order.get_json()["errors"][0]["field"] == "overrides.no_session_days_at_risk"
    unknown = feedback.request("PUT", path, json={"overrides": {"no_sessions_days": 3}})
    assert unknown.status_code == 422
    assert feedback.get(path).get_json()["overrides"] == {}  # the refusals changed nothing
    assert feedback.request("PUT", f"/v1/programs/{new_id()}/health-rules", json={"overrides": {}}).status_code == 404
    rules = {"no_session_days_check_in": 5, "no_session_days_at_risk": 10, "grace_days_after_match": 0}
    saved = feedback.request("PUT", path, json={"overrides": rules})
    assert saved.status_code == 200 and saved.get_json()["rules"]["no_session_days_at_risk"] == 10
    assert saved.get_json()["rules"]["cancellations_at_risk"] == 3  # the rest keep the defaults

    PairHealthClock(app.extensions["runtime"]).tick(datetime.now(UTC))
    cohort_pairs = feedback.get(f"/v1/cohorts/{strict_pair['cohort_id']}/pairs").get_json()["items"]
    assert [(p["match_id"], p["health"]) for p in cohort_pairs] == [(strict_pair["match_id"], "at_risk")]
    assert cohort_pairs[0]["reasons"][0]["code"] == "no_session" and cohort_pairs[0]["evaluated_at"]
    lenient_view = feedback.get(f"/v1/pairs/{lenient_pair['match_id']}").get_json()
    assert lenient_view["health"] == "on_track"
    at_risk_only = feedback.get(f"/v1/cohorts/{lenient_pair['cohort_id']}/pairs", query_string={"health": "at_risk"})
    assert at_risk_only.get_json()["items"] == []
    mentee = api("feedback", roles=("mentee",), subject=strict_pair["mentee_id"])
    assert mentee.get(f"/v1/cohorts/{strict_pair['cohort_id']}/pairs").status_code == 403
