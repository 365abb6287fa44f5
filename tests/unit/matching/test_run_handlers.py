"""Whole-cohort runs (handlers/runs.py) on a fake unit of work: propose, re-run, approve."""

import pytest

from matching.handlers.runs import approve_run, start_run
from mentoring_shared.contracts import matching as contracts
from mentoring_shared.errors import Conflict, InvalidField, NotFound
from tests.unit.matching.fakes import COHORT, TENANT, cohort_uow, enroll

PAIRS = ("mentee-1", "mentee-2"), ("mentor-1", "mentor-2")


def test_a_run_stores_its_proposal_with_every_pair_and_publishes_run_completed():
    uow = cohort_uow(mentees=PAIRS[0], mentors=PAIRS[1])
    run = start_run(TENANT, COHORT, {}, "pm-1", uow)
    assert run.status == "proposed" and uow.runs.get(TENANT, run.id) == run
    assert {pair["mentee_id"] for pair in uow.runs.pairs(run.id)} == set(PAIRS[0])
    assert uow.published_types() == [contracts.RUN_COMPLETED_V1] and uow.commits == 1
    assert uow.published[0].data["pairs"] == 2 and uow.published[0].data["run_id"] == run.id
    assert uow.reads == 1  # the inputs were read before the write transaction


def test_a_new_run_supersedes_the_cohorts_earlier_proposal():
    uow = cohort_uow()
    first = start_run(TENANT, COHORT, {}, "pm-1", uow)
    start_run(TENANT, COHORT, {}, "pm-1", uow)
    assert uow.runs.get(TENANT, first.id).status == "superseded"


@pytest.mark.parametrize("status, retry", [("enrolling", True), ("active", False)])
def test_a_cohort_not_in_matching_is_refused_and_nothing_is_stored(status, retry):
    uow = cohort_uow(status=status)
    with pytest.raises(Conflict) as refused:
        start_run(TENANT, COHORT, {}, "pm-1", uow)
    assert (refused.value.retry_after_s is not None) == retry
    assert uow.runs.items == {} and not uow.committed


def test_an_unknown_cohort_is_not_found():
    with pytest.raises(NotFound):
        start_run(TENANT, "no-such-cohort", {}, "pm-1", cohort_uow())


def test_pins_and_forbids_are_checked_before_running():
    uow = cohort_uow(mentees=PAIRS[0], mentors=PAIRS[1])
    pair = {"mentee_id": "mentee-1", "mentor_id": "mentor-1"}
    refusals = [({"pinned_pairs": [pair], "forbidden_pairs": [pair]}, "pinned_pairs[0]", "also forbidden"),
                ({"pinned_pairs": [{"mentee_id": "mentor-1", "mentor_id": "mentor-2"}]}, "pinned_pairs[0].mentee_id",
                 "not an active mentee"),
                ({"based_on_run_id": "no-such-run"}, "based_on_run_id", "no matching run")]
    for decisions, field, message in refusals:
        with pytest.raises(InvalidField) as refused:
            start_run(TENANT, COHORT, decisions, "pm-1", uow)
        assert refused.value.field == field and message in refused.value.message
    assert not uow.committed


def test_a_rerun_keeps_the_pins_of_the_run_it_is_based_on():
    uow = cohort_uow(mentees=PAIRS[0], mentors=PAIRS[1])
    pin = {"mentee_id": "mentee-1", "mentor_id": "mentor-1"}
    first = start_run(TENANT, COHORT, {"pinned_pairs": [pin]}, "pm-1", uow)
    second = start_run(TENANT, COHORT, {"based_on_run_id": first.id}, "pm-1", uow)
    assert second.inputs["pinned_pairs"] == [pin]
    assert {(p["mentee_id"], p["mentor_id"]) for p in uow.runs.pairs(second.id) if p["pinned"]} == {
        ("mentee-1", "mentor-1")}


def test_approval_confirms_every_proposed_pair_as_a_match():
    uow = cohort_uow(mentees=PAIRS[0], mentors=PAIRS[1])
    run = start_run(TENANT, COHORT, {}, "pm-1", uow)
    approved = approve_run(TENANT, run.id, "pm-2", uow)
    assert approved.status == "approved" and approved.approved_by == "pm-2"
    assert uow.runs.get(TENANT, run.id).status == "approved"
    matches = uow.matches.list(TENANT, limit=10)
    assert sorted(m.mentee_id for m in matches) == list(PAIRS[0]) and {m.run_id for m in matches} == {run.id}
    assert uow.published_types()[1:] == [contracts.MATCH_CONFIRMED_V1] * 2 and uow.commits == 2


def test_approval_of_a_stale_proposal_is_refused():
    uow = cohort_uow()
    run = start_run(TENANT, COHORT, {}, "pm-1", uow)
    enroll(uow, "mentee-late", "mentee")
    with pytest.raises(Conflict, match="stale"):
        approve_run(TENANT, run.id, "pm-2", uow)
    assert uow.matches.items == {} and uow.commits == 1


def test_approving_an_unknown_run_is_not_found():
    with pytest.raises(NotFound):
        approve_run(TENANT, "no-such-run", "pm-1", cohort_uow())
