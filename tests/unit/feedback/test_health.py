"""Pair health: each rule's thresholds, the worst verdict winning, the new pairs' grace period, reasons
with their numbers, at-risk / recovered transitions, and the rules' validation."""

from datetime import UTC, datetime, timedelta

import pytest

from feedback.health import (
    HealthRules,
    InvalidRule,
    PairFacts,
    PairFactsTable,
    PairHealth,
    Reason,
    Status,
    evaluate,
    transitions,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
RULES = HealthRules()


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def pair(match_id="m1", matched_days_ago=200, last_session_days_ago=5, **facts) -> PairFacts:
    last = None if last_session_days_ago is None else ago(last_session_days_ago)
    return PairFacts(match_id, ago(matched_days_ago), last, **facts)


def health_of(facts: PairFacts, rules: HealthRules = RULES) -> PairHealth:
    [result] = evaluate(PairFactsTable.from_rows([facts]), rules, NOW)
    return result


def status_of(facts: PairFacts, rules: HealthRules = RULES) -> Status:
    return health_of(facts, rules).status


def codes(health: PairHealth) -> list[str]:
    return [reason.code for reason in health.reasons]


# --- each rule's thresholds ----------------------------------------------------------------------

def test_a_pair_meeting_regularly_with_good_ratings_is_on_track_with_no_reasons():
    health = health_of(pair(recent_ratings=[4, 5], cancellations_in_window=1))
    assert health == PairHealth("m1", Status.ON_TRACK, ())


@pytest.mark.parametrize("days, expected", [(29, Status.ON_TRACK), (30, Status.NEEDS_CHECK_IN),
                                            (59, Status.NEEDS_CHECK_IN), (60, Status.AT_RISK)])
def test_days_without_a_session_move_a_pair_to_check_in_then_at_risk(days, expected):
    assert status_of(pair(last_session_days_ago=days)) == expected


def test_part_of_a_day_does_not_count_as_a_whole_day_without_a_session():
    assert status_of(pair(last_session_days_ago=29.9)) == Status.ON_TRACK


@pytest.mark.parametrize("count, expected", [(1, Status.ON_TRACK), (2, Status.NEEDS_CHECK_IN),
                                             (3, Status.AT_RISK), (7, Status.AT_RISK)])
def test_cancellations_in_the_window_move_a_pair_to_check_in_then_at_risk(count, expected):
    assert status_of(pair(cancellations_in_window=count)) == expected


@pytest.mark.parametrize("latest, expected", [(3, Status.ON_TRACK), (2.5, Status.ON_TRACK), (2, Status.NEEDS_CHECK_IN),
                                              (1.5, Status.NEEDS_CHECK_IN), (1, Status.AT_RISK)])
def test_the_latest_rating_at_or_below_the_low_mark_needs_a_check_in_and_the_lowest_is_at_risk(latest, expected):
    assert status_of(pair(recent_ratings=[5, 5, latest])) == expected


def test_only_the_latest_rating_counts_by_default():
    assert status_of(pair(recent_ratings=[1, 1, 4])) == Status.ON_TRACK


def test_with_the_mean_basis_the_last_three_ratings_are_averaged():
    rules = HealthRules(rating_basis="mean")
    assert status_of(pair(recent_ratings=[5, 1, 2, 3]), rules) == Status.NEEDS_CHECK_IN  # mean of 1, 2, 3
    assert status_of(pair(recent_ratings=[1, 1, 5, 4, 4]), rules) == Status.ON_TRACK  # the early 1s are too old


def test_with_the_mean_basis_fewer_ratings_than_the_window_are_averaged_as_they_are():
    health = health_of(pair(recent_ratings=[1, 2]), HealthRules(rating_basis="mean"))
    assert health.reasons == (Reason("low_rating", "mean of last 2 ratings 1.5/5", Status.NEEDS_CHECK_IN),)


def test_a_pair_with_no_ratings_is_not_judged_on_ratings():
    assert status_of(pair(recent_ratings=[])) == Status.ON_TRACK
    assert status_of(pair(recent_ratings=[]), HealthRules(rating_basis="mean")) == Status.ON_TRACK


@pytest.mark.parametrize("count, expected", [(0, Status.ON_TRACK), (1, Status.NEEDS_CHECK_IN),
                                             (2, Status.NEEDS_CHECK_IN), (3, Status.AT_RISK)])
def test_unanswered_feedback_requests_move_a_pair_to_check_in_then_at_risk(count, expected):
    assert status_of(pair(unanswered_feedback_requests=count)) == expected


def test_a_program_override_changes_the_thresholds():
    strict = HealthRules.from_mapping({"no_session_days_check_in": 14, "no_session_days_at_risk": 28})
    assert status_of(pair(last_session_days_ago=20), strict) == Status.NEEDS_CHECK_IN
    assert status_of(pair(last_session_days_ago=20)) == Status.ON_TRACK


# --- worst wins ----------------------------------------------------------------------------------

def test_the_status_is_the_worst_verdict_and_every_failed_rule_gives_a_reason_worst_first():
    health = health_of(pair(last_session_days_ago=35, cancellations_in_window=3, recent_ratings=[2],
                            unanswered_feedback_requests=1))
    assert health.status == Status.AT_RISK
    assert codes(health) == ["cancellations", "no_session", "low_rating", "unanswered_feedback"]
    assert [reason.status for reason in health.reasons] == [Status.AT_RISK] + [Status.NEEDS_CHECK_IN] * 3


def test_several_check_in_verdicts_do_not_add_up_to_at_risk():
    health = health_of(pair(last_session_days_ago=30, cancellations_in_window=2, unanswered_feedback_requests=1))
    assert health.status == Status.NEEDS_CHECK_IN
    assert codes(health) == ["no_session", "cancellations", "unanswered_feedback"]


# --- grace period --------------------------------------------------------------------------------

def test_a_new_pair_without_a_session_is_not_judged_on_sessions_during_the_grace_period():
    rules = HealthRules(no_session_days_check_in=5, no_session_days_at_risk=10, grace_days_after_match=21)
    assert status_of(pair(matched_days_ago=20, last_session_days_ago=None), rules) == Status.ON_TRACK
    assert status_of(pair(matched_days_ago=21, last_session_days_ago=None), rules) == Status.AT_RISK


def test_after_the_grace_period_a_pair_that_never_met_counts_days_from_the_match():
    health = health_of(pair(matched_days_ago=45, last_session_days_ago=None))
    assert health.status == Status.NEEDS_CHECK_IN
    assert health.reasons[0].text == "no session in 45 days since the match"


def test_the_grace_period_does_not_excuse_other_rules():
    assert status_of(pair(matched_days_ago=3, last_session_days_ago=None, cancellations_in_window=3)) == Status.AT_RISK


# --- reasons with numbers ------------------------------------------------------------------------

def test_reasons_state_the_numbers_behind_each_failed_rule():
    health = health_of(pair(last_session_days_ago=67, cancellations_in_window=3, recent_ratings=[4, 1],
                            unanswered_feedback_requests=4))
    assert {reason.code: reason.text for reason in health.reasons} == {
        "no_session": "no session in 67 days",
        "cancellations": "3 sessions cancelled in 60 days",
        "low_rating": "last rating 1/5",
        "unanswered_feedback": "4 feedback requests unanswered for 14+ days",
    }


def test_reasons_follow_the_configured_windows_and_singular_counts():
    rules = HealthRules.from_mapping({"cancellations_window_days": 30, "cancellations_check_in": 1,
                                      "unanswered_feedback_days": 7})
    health = health_of(pair(cancellations_in_window=1, unanswered_feedback_requests=1), rules)
    assert [reason.text for reason in health.reasons] == ["1 session cancelled in 30 days",
                                                          "1 feedback request unanswered for 7+ days"]


def test_a_mean_rating_is_shown_with_one_decimal():
    health = health_of(pair(recent_ratings=[2, 1, 2]), HealthRules(rating_basis="mean"))
    assert health.reasons[0].text == "mean of last 3 ratings 1.7/5"


# --- the cohort ----------------------------------------------------------------------------------

def test_a_cohort_is_judged_pair_by_pair_in_the_table_order():
    facts = [pair("healthy"), pair("silent", last_session_days_ago=90), pair("unhappy", recent_ratings=[2]),
             pair("new", matched_days_ago=2, last_session_days_ago=None)]
    results = evaluate(PairFactsTable.from_rows(facts), RULES, NOW)
    assert [(result.match_id, result.status) for result in results] == [
        ("healthy", Status.ON_TRACK), ("silent", Status.AT_RISK), ("unhappy", Status.NEEDS_CHECK_IN),
        ("new", Status.ON_TRACK)]


def test_evaluation_is_deterministic():
    facts = [pair(f"m{n}", last_session_days_ago=n * 7, cancellations_in_window=n % 4, recent_ratings=[n % 5 + 1],
                  unanswered_feedback_requests=n % 3) for n in range(30)]
    table = PairFactsTable.from_rows(facts)
    assert evaluate(table, RULES, NOW) == evaluate(PairFactsTable.from_rows(facts), RULES, NOW)


def test_an_empty_cohort_has_no_results():
    assert evaluate(PairFactsTable.from_rows([]), RULES, NOW) == []


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        PairFactsTable.from_rows([PairFacts("m1", datetime(2026, 1, 1))])
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate(PairFactsTable.from_rows([pair()]), RULES, datetime(2026, 6, 1))


def test_duplicate_match_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        PairFactsTable.from_rows([pair("m1"), pair("m1")])


# --- transitions ---------------------------------------------------------------------------------

def health(match_id: str, status: Status) -> PairHealth:
    return PairHealth(match_id, status, ())


def test_a_pair_newly_at_risk_is_reported_once_and_a_pair_leaving_at_risk_has_recovered():
    previous = {"a": "on_track", "b": "needs_check_in", "c": "at_risk", "d": "at_risk", "e": "at_risk"}
    current = [health("a", Status.AT_RISK), health("b", Status.AT_RISK), health("c", Status.AT_RISK),
               health("d", Status.NEEDS_CHECK_IN), health("e", Status.ON_TRACK)]
    became_at_risk, recovered = transitions(previous, current)
    assert [pair.match_id for pair in became_at_risk] == ["a", "b"]
    assert [pair.match_id for pair in recovered] == ["d", "e"]


def test_moving_between_on_track_and_check_in_is_no_transition():
    previous = {"a": Status.ON_TRACK, "b": Status.NEEDS_CHECK_IN}
    assert transitions(previous, [health("a", Status.NEEDS_CHECK_IN), health("b", Status.ON_TRACK)]) == ([], [])


def test_a_pair_first_seen_at_risk_became_at_risk_and_an_ended_pair_is_not_recovered():
    became_at_risk, recovered = transitions({"gone": Status.AT_RISK}, [health("new", Status.AT_RISK)])
    assert [pair.match_id for pair in became_at_risk] == ["new"]
    assert recovered == []


def test_transitions_carry_the_current_reasons_for_the_event():
    reason = Reason("no_session", "no session in 61 days", Status.AT_RISK)
    current = PairHealth("a", Status.AT_RISK, (reason,))
    assert transitions({}, [current])[0][0].reasons == (reason,)


# --- rules validation ----------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, field", [
    ({"no_session_days_check_in": 0}, "no_session_days_check_in"),
    ({"cancellations_at_risk": -1}, "cancellations_at_risk"),
    ({"unanswered_feedback_days": "14"}, "unanswered_feedback_days"),
    ({"cancellations_check_in": True}, "cancellations_check_in"),
    ({"grace_days_after_match": -1}, "grace_days_after_match"),
    ({"no_session_days_check_in": 70}, "no_session_days_at_risk"),  # check-in after at risk
    ({"cancellations_check_in": 4}, "cancellations_at_risk"),
    ({"unanswered_check_in": 5}, "unanswered_at_risk"),
    ({"low_rating_at_risk": 3}, "low_rating"),  # at-risk rating above the check-in one
    ({"low_rating": 5, "low_rating_at_risk": 1}, "low_rating"),  # every rating would be low
    ({"rating_basis": "median"}, "rating_basis"),
    ({"ratings_in_mean": 0}, "ratings_in_mean"),
    ({"ratings_in_mean": 11}, "ratings_in_mean"),  # more than a pair's facts keep
])
def test_invalid_rules_are_refused_naming_the_field(overrides, field):
    with pytest.raises(InvalidRule, match=field) as refused:
        HealthRules.from_mapping(overrides)
    assert refused.value.setting == field


def test_an_unknown_setting_is_refused_by_name():
    with pytest.raises(ValueError, match="no_sesion_days"):
        HealthRules.from_mapping({"no_sesion_days": 10})


def test_a_tenant_override_applies_over_the_program_rules():
    program = HealthRules.from_mapping({"cancellations_check_in": 1, "grace_days_after_match": 0})
    tenant = HealthRules.from_mapping({"grace_days_after_match": 14}, base=program)
    assert (tenant.cancellations_check_in, tenant.grace_days_after_match) == (1, 14)


def test_grace_period_may_be_switched_off():
    assert HealthRules(grace_days_after_match=0).grace_days_after_match == 0


def test_rules_are_immutable():
    with pytest.raises(AttributeError):
        RULES.low_rating = 3  # type: ignore[misc]
