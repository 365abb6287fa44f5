"""The worker's chores (pair health, pulse surveys) over a fake unit of work: no database."""

from datetime import timedelta
from types import SimpleNamespace

from feedback.health import PairFacts
from feedback.pair_health import PairHealthClock
from feedback.pulse_surveys import PulseSurveys
from mentoring_shared.contracts import feedback as contracts
from tests.unit.feedback.builders import NOW, pair_row, program_row, request
from tests.unit.feedback.fakes import (
    FakePairsRepository,
    FakeProgramsRepository,
    FakeSubmissionsRepository,
    feedback_uow,
)


def runtime_of(uow):
    return SimpleNamespace(unit_of_work=lambda: uow)


def test_a_pair_without_sessions_goes_at_risk_once_and_recovers_when_it_meets():
    pairs = FakePairsRepository([pair_row(confirmed_at=NOW - timedelta(days=70))])
    uow = feedback_uow(pairs=pairs)
    clock = PairHealthClock(runtime_of(uow))
    assert clock.tick(NOW) == {"at_risk": 1}
    clock.tick(NOW)  # judged again: nothing new to publish
    assert uow.published_types() == [contracts.PAIR_AT_RISK_V1] and uow.published[0].data["version"] == 1
    assert pairs.rows["match-1"]["health"] == "at_risk" and pairs.rows["match-1"]["health_reasons"]
    pairs.facts["match-1"] = PairFacts("match-1", NOW - timedelta(days=70), last_completed_session_at=NOW)
    assert clock.tick(NOW) == {"on_track": 1}
    assert uow.published_types() == [contracts.PAIR_AT_RISK_V1, contracts.PAIR_RECOVERED_V1]
    assert uow.published[1].data["version"] == 2 and uow.commits == 3


def test_a_pulse_round_is_asked_once_when_due():
    programs = FakeProgramsRepository([program_row()])
    uow = feedback_uow(programs=programs, pairs=FakePairsRepository(
        [pair_row(confirmed_at=NOW - timedelta(days=31)), pair_row("match-new", confirmed_at=NOW)], programs))
    surveys = PulseSurveys(runtime_of(uow), timedelta(days=14))
    assert surveys.tick(NOW) == 1 and surveys.tick(NOW) == 0
    assert {(r.kind, r.match_id) for r in uow.submissions.requests_by_id.values()} == {("pulse", "match-1")}
    assert len(uow.submissions.requests_by_id) == 2 and uow.committed


def test_a_round_asked_already_is_not_asked_again():
    programs = FakeProgramsRepository([program_row()])
    uow = feedback_uow(programs=programs, pairs=FakePairsRepository(
        [pair_row(confirmed_at=NOW - timedelta(days=31))], programs),
        submissions=FakeSubmissionsRepository([request(kind="pulse", created_at=NOW - timedelta(hours=1))]))
    assert PulseSurveys(runtime_of(uow), timedelta(days=14)).tick(NOW) == 0
