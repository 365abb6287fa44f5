"""Whole-cohort matching through the API: a dry run proposes optimal, explained pairs; a program
manager pins, forbids and re-runs; approval confirms the latest proposal; bad input changes nothing."""

from mentoring_shared.contracts import matching as contracts
from mentoring_testing.polling import eventually
from tests.integration.helpers import count_rows
from tests.integration.matching_cohorts import build_cohort, outbox_events

PROBLEM = "application/problem+json"
PYTHON = [{"name": "python", "level": "expert"}]
LEADERSHIP = [{"name": "leadership", "level": "expert"}]

MENTORS = {"ada": {"skills": PYTHON, "title": "Principal engineer"},
           "grace": {"skills": LEADERSHIP, "title": "Engineering director"}}
MENTEES = {"linus": {"goals": ["python"], "goals_text": "write better python services"},
           "margaret": {"goals": ["leadership"], "goals_text": "lead a team for the first time"}}


def start_run(matching, cohort, **body):
    return matching.post(f"/v1/cohorts/{cohort.id}/matching-runs", json=body)


def pairs_of(matching, run) -> set[tuple[str, str]]:
    items = matching.get(f"/v1/matching-runs/{run['id']}/pairs").get_json()["items"]
    return {(pair["mentee_id"], pair["mentor_id"]) for pair in items}


def test_a_dry_run_proposes_the_best_pairs_with_their_reasons_and_confirms_nothing(api, apps, tenant,
                                                                                     running_workers):
    cohort = build_cohort(api, apps, tenant, MENTORS, MENTEES)
    matching = api("matching")
    response = start_run(matching, cohort)
    assert response.status_code == 201, response.get_json()
    run = response.get_json()
    assert run["status"] == "proposed"
    assert run["summary"]["pairs"] == 2 and run["summary"]["unmatched"] == []
    assert run["summary"]["proof"]["proven"] is True
    ids = {name: person["id"] for name, person in {**cohort.mentors, **cohort.mentees}.items()}
    assert pairs_of(matching, run) == {(ids["linus"], ids["ada"]), (ids["margaret"], ids["grace"])}

    pair = next(p for p in matching.get(f"/v1/matching-runs/{run['id']}/pairs").get_json()["items"]
                if p["mentee_id"] == ids["linus"])
    goals = next(f for f in pair["factors"] if f["name"] == "goals_skills")
    assert "python" in goals["detail"] and goals["value"] > 0.5
    assert {f["name"] for f in pair["factors"]} == {"goals_skills", "seniority", "working_hours_overlap",
                                                    "cross_department"}
    assert count_rows(apps["matching"], "matches", tenant_id=tenant) == 0
    [completed] = outbox_events(apps["matching"], tenant, contracts.RUN_COMPLETED_V1)
    assert completed["run_id"] == run["id"] and completed["pairs"] == 2 and completed["proven_optimal"]


def test_approval_confirms_every_proposed_pair_with_one_event_each(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant, MENTORS, MENTEES)
    matching = api("matching")
    run = start_run(matching, cohort).get_json()
    approved = matching.post(f"/v1/matching-runs/{run['id']}/approval")
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    matches = matching.get("/v1/matches", query_string={"cohort_id": cohort.id}).get_json()["items"]
    assert {(m["mentee_id"], m["mentor_id"]) for m in matches} == pairs_of(matching, run)
    assert all(m["status"] == "active" and m["origin"] == "run" and m["run_id"] == run["id"] for m in matches)
    confirmed = outbox_events(apps["matching"], tenant, contracts.MATCH_CONFIRMED_V1)
    assert sorted(e["match_id"] for e in confirmed) == sorted(m["id"] for m in matches)
    assert all(e["top_factors"] and 0 <= e["score"] <= 1 for e in confirmed)
    assert b'matching_matches_confirmed_total{origin="run"}' in apps["matching"].test_client().get("/metrics").data
    again = matching.post(f"/v1/matching-runs/{run['id']}/approval")
    assert again.status_code == 409 and again.mimetype == PROBLEM
    assert count_rows(apps["matching"], "matches", tenant_id=tenant) == 2


def test_the_same_input_gives_the_same_proposal(api, apps, tenant, running_workers):
    mentors = {f"mentor{i}": {"skills": PYTHON if i % 2 else LEADERSHIP} for i in range(4)}
    mentees = {f"mentee{i}": {"goals": ["python" if i % 3 else "leadership"]} for i in range(7)}
    cohort = build_cohort(api, apps, tenant, mentors, mentees)
    matching = api("matching")
    first, second = start_run(matching, cohort).get_json(), start_run(matching, cohort).get_json()
    assert pairs_of(matching, first) == pairs_of(matching, second)
    assert first["summary"]["total_score"] == second["summary"]["total_score"]
    assert len(pairs_of(matching, first)) == 7  # capacity 2 x 4 mentors: everyone is matched


def test_pins_and_forbids_shape_the_rerun_and_are_kept_by_the_next_one(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant, MENTORS, MENTEES)
    matching = api("matching")
    ids = {name: person["id"] for name, person in {**cohort.mentors, **cohort.mentees}.items()}
    first = start_run(matching, cohort).get_json()
    pinned = {"mentee_id": ids["linus"], "mentor_id": ids["grace"]}
    forbidden = {"mentee_id": ids["margaret"], "mentor_id": ids["grace"]}
    second = start_run(matching, cohort, pinned_pairs=[pinned], forbidden_pairs=[forbidden]).get_json()
    assert pairs_of(matching, second) == {(ids["linus"], ids["grace"]), (ids["margaret"], ids["ada"])}
    assert second["summary"]["pinned"] == 1
    third = start_run(matching, cohort, based_on_run_id=second["id"]).get_json()
    assert pairs_of(matching, third) == pairs_of(matching, second)
    assert third["pinned_pairs"] == [pinned] and third["forbidden_pairs"] == [forbidden]
    released = start_run(matching, cohort, based_on_run_id=third["id"], released_pairs=[pinned, forbidden]).get_json()
    assert pairs_of(matching, released) == pairs_of(matching, first)
    # Only the latest proposal can be approved.
    stale = matching.post(f"/v1/matching-runs/{first['id']}/approval")
    assert stale.status_code == 409 and "newer run" in stale.get_json()["detail"]


def test_a_pin_that_breaks_a_rule_or_a_capacity_is_refused_naming_the_field(api, apps, tenant, running_workers):
    mentors = {"boss": {"skills": PYTHON, "mentor_capacity": 1}, "ada": {"skills": PYTHON, "mentor_capacity": 1}}
    mentees = {"report": {"goals": ["python"], "manager": "boss"}, "linus": {"goals": ["python"]}}
    cohort = build_cohort(api, apps, tenant, mentors, mentees)
    matching = api("matching")
    ids = {name: person["id"] for name, person in {**cohort.mentors, **cohort.mentees}.items()}
    runs_before = count_rows(apps["matching"], "matching_runs", tenant_id=tenant)

    reporting_line = start_run(matching, cohort, pinned_pairs=[{"mentee_id": ids["report"], "mentor_id": ids["boss"]}])
    assert reporting_line.status_code == 422 and reporting_line.mimetype == PROBLEM
    [error] = reporting_line.get_json()["errors"]
    assert error["field"] == "pinned_pairs[0].mentor_id" and "management chain" in error["message"]

    over_capacity = start_run(matching, cohort, pinned_pairs=[
        {"mentee_id": ids["linus"], "mentor_id": ids["ada"]}, {"mentee_id": ids["report"], "mentor_id": ids["ada"]}])
    assert over_capacity.status_code == 422
    assert over_capacity.get_json()["errors"][0]["field"] == "pinned_pairs[1].mentor_id"

    unknown = start_run(matching, cohort, pinned_pairs=[{"mentee_id": ids["ada"], "mentor_id": ids["boss"]}])
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"][0]["field"] == "pinned_pairs[0].mentee_id"
    assert count_rows(apps["matching"], "matching_runs", tenant_id=tenant) == runs_before

    # And the solver itself never pairs a report with their manager.
    run = start_run(matching, cohort).get_json()
    assert (ids["report"], ids["boss"]) not in pairs_of(matching, run)


def test_a_mentee_nobody_may_mentor_is_reported_with_the_reason(api, apps, tenant, running_workers):
    mentors = {"ada": {"skills": PYTHON, "languages": ["fr"]}}
    mentees = {"linus": {"goals": ["python"], "languages": ["fi"]}, "margaret": {"goals": ["python"],
                                                                               "languages": ["fr"]}}
    cohort = build_cohort(api, apps, tenant, mentors, mentees)
    run = start_run(api("matching"), cohort).get_json()
    [unmatched] = run["summary"]["unmatched"]
    assert unmatched["mentee_id"] == cohort.mentees["linus"]["id"]
    assert unmatched["reason"] == "no_eligible_mentor" and unmatched["excluded_by"]["language"] == 1


def test_matching_a_cohort_outside_the_matching_state_is_a_conflict(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant, MENTORS, MENTEES, status="enrolling")
    matching = api("matching")
    response = start_run(matching, cohort)
    assert response.status_code == 409 and response.mimetype == PROBLEM
    assert response.get_json()["current_status"] == "enrolling"
    # matching may only be catching up with a move to `matching`: the answer says so, and when to retry
    assert response.headers["Retry-After"] == "2"
    assert "matching is catching up" in response.get_json()["detail"]
    assert matching.post("/v1/cohorts/01a20117-0000-7000-8000-000000000000/matching-runs", json={}).status_code == 404
    assert count_rows(apps["matching"], "matching_runs", tenant_id=tenant) == 0


def test_approving_a_proposal_whose_inputs_changed_is_refused_as_stale(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant, MENTORS, MENTEES)
    matching = api("matching")
    run = start_run(matching, cohort).get_json()
    enrollment = cohort.enrollments["margaret"]
    api("profiles").post(f"/v1/enrollments/{enrollment['id']}/withdraw", json={"reason": "changed team"})
    eventually(lambda: count_rows(apps["matching"], "enrollments", tenant_id=tenant, status="withdrawn") == 1)
    response = matching.post(f"/v1/matching-runs/{run['id']}/approval")
    assert response.status_code == 409 and "enrollments" in response.get_json()["changed_inputs"]
    assert count_rows(apps["matching"], "matches", tenant_id=tenant) == 0
