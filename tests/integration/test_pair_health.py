"""Pair health through the worker's clock: a pair that stops meeting goes at risk with its reasons
(one event), and recovers once it meets again (one event)."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from mentoring_shared.contracts import feedback as contracts
from mentoring_shared.ids import new_id
from mentoring_shared.testing.polling import eventually
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
    later = datetime.now(timezone.utc) + timedelta(days=70)
    clock.evaluate_all(later)
    clock.evaluate_all(later)  # evaluating again changes nothing and publishes nothing twice
    [at_risk] = [e for e in outbox_events(apps["feedback"], tenant, contracts.PAIR_AT_RISK_V1)
                 if e["match_id"] == match_id]
    assert any("no session in" in reason["text"] for reason in at_risk["reasons"])
    with runtime.sessions() as db:
        assert db.execute(select(tables["pairs"].c.health).where(
            tables["pairs"].c.match_id == match_id)).scalar_one() == "at_risk"
        db.execute(insert(tables["sessions"]).values(
            session_id=new_id(), tenant_id=tenant, match_id=match_id, cohort_id=mentorship["cohort_id"],
            program_id=mentorship["program_id"], starts_at=later - timedelta(days=2), minutes=45,
            status="completed", version=2))
        db.commit()
    clock.evaluate_all(later)
    [recovered] = [e for e in outbox_events(apps["feedback"], tenant, contracts.PAIR_RECOVERED_V1)
                   if e["match_id"] == match_id]
    assert recovered["status"] == "on_track"
