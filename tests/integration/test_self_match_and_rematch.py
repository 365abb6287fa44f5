"""Self-match (suggestions, requests, answers, expiry, capacity), rematch after a match ends, and
leavers: every pair a leaver was in ends with the reason, and their mentees get a new proposal."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from mentoring_shared.contracts import matching as contracts
from mentoring_testing.polling import eventually
from tests.integration.helpers import count_rows
from tests.integration.matching_cohorts import build_cohort, outbox_events

PROBLEM = "application/problem+json"
PYTHON = [{"name": "python", "level": "expert"}]
DATA = [{"name": "data engineering", "level": "advanced"}]


def as_person(api, person, role):
    return api("matching", roles=(role,), subject=person["id"])


def test_a_mentee_sees_ranked_suggestions_with_reasons(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant, {"ada": {"skills": PYTHON}, "edgar": {"skills": DATA}},
                          {"linus": {"goals": ["python"]}}, status="active")
    linus = as_person(api, cohort.mentees["linus"], "mentee")
    response = linus.get(f"/v1/cohorts/{cohort.id}/suggestions")
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    assert [item["mentor_id"] for item in items] == [cohort.mentors["ada"]["id"], cohort.mentors["edgar"]["id"]]
    assert items[0]["score"] > items[1]["score"] and items[0]["factors"][0]["name"] == "goals_skills"
    # A mentee sees only their own; an organizer names the mentee.
    other = linus.get(f"/v1/cohorts/{cohort.id}/suggestions", query_string={"mentee_id": cohort.mentors["ada"]["id"]})
    assert other.status_code == 422 and other.get_json()["errors"][0]["field"] == "mentee_id"
    assert api("matching").get(f"/v1/cohorts/{cohort.id}/suggestions").status_code == 422


def test_a_request_accepted_by_the_mentor_becomes_a_match_and_capacity_holds(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant, {"ada": {"skills": PYTHON, "mentor_capacity": 1}},
                          {"linus": {"goals": ["python"]}, "guido": {"goals": ["python"]}}, status="active")
    ada = as_person(api, cohort.mentors["ada"], "mentor")
    requests = {}
    for name in ("linus", "guido"):
        response = as_person(api, cohort.mentees[name], "mentee").post(
            f"/v1/cohorts/{cohort.id}/match-requests", json={"mentor_id": cohort.mentors["ada"]["id"]})
        assert response.status_code == 201, response.get_json()
        requests[name] = response.get_json()
    assert requests["linus"]["status"] == "pending"
    proposed = outbox_events(apps["matching"], tenant, contracts.MATCH_PROPOSED_V1)
    assert {p["proposal_id"] for p in proposed} == {r["id"] for r in requests.values()}

    # Only the mentor (or an organizer) answers.
    by_mentee = as_person(api, cohort.mentees["linus"], "mentee").post(
        f"/v1/match-requests/{requests['linus']['id']}/accept", json={})
    assert by_mentee.status_code == 403 and by_mentee.mimetype == PROBLEM

    accepted = ada.post(f"/v1/match-requests/{requests['linus']['id']}/accept", json={})
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    match = api("matching").get(f"/v1/matches/{requests['linus']['id']}").get_json()
    assert match["origin"] == "self_match" and match["status"] == "active"

    full = ada.post(f"/v1/match-requests/{requests['guido']['id']}/accept", json={})
    assert full.status_code == 409 and "capacity" in full.get_json()["detail"]
    assert count_rows(apps["matching"], "matches", tenant_id=tenant) == 1
    declined = ada.post(f"/v1/match-requests/{requests['guido']['id']}/decline", json={"note": "full this term"})
    assert declined.get_json()["status"] == "declined"


def test_a_request_past_its_time_has_expired_and_cannot_be_accepted(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant, {"ada": {"skills": PYTHON}}, {"linus": {"goals": ["python"]}},
                          status="active")
    request = as_person(api, cohort.mentees["linus"], "mentee").post(
        f"/v1/cohorts/{cohort.id}/match-requests", json={"mentor_id": cohort.mentors["ada"]["id"]}).get_json()
    expires = datetime.fromisoformat(request["expires_at"])
    assert timedelta(hours=71) < expires - datetime.now(UTC) <= timedelta(hours=72)
    runtime = apps["matching"].extensions["runtime"]
    table = runtime.outbox.metadata.tables["match_requests"]
    with runtime.sessions() as session:  # the mentor let the time run out
        session.execute(update(table).where(table.c.request_id == request["id"])
                        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        session.commit()
    ada = as_person(api, cohort.mentors["ada"], "mentor")
    assert ada.get(f"/v1/match-requests/{request['id']}").get_json()["status"] == "expired"
    response = ada.post(f"/v1/match-requests/{request['id']}/accept", json={})
    assert response.status_code == 409 and response.get_json()["current_status"] == "expired"
    assert count_rows(apps["matching"], "matches", tenant_id=tenant) == 0


def test_a_request_that_breaks_a_hard_rule_is_refused(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant, {"ada": {"skills": PYTHON}}, {"linus": {"goals": ["python"]}},
                          status="active", enrollment={"linus": {"avoid": ["ada"]}})
    response = as_person(api, cohort.mentees["linus"], "mentee").post(
        f"/v1/cohorts/{cohort.id}/match-requests", json={"mentor_id": cohort.mentors["ada"]["id"]})
    assert response.status_code == 409 and response.get_json()["rules"] == ["avoid"]
    assert count_rows(apps["matching"], "match_requests", tenant_id=tenant) == 0


def approved_matches(api, cohort) -> dict[str, dict]:
    matching = api("matching")
    run = matching.post(f"/v1/cohorts/{cohort.id}/matching-runs", json={}).get_json()
    assert matching.post(f"/v1/matching-runs/{run['id']}/approval").status_code == 200
    matches = matching.get("/v1/matches", query_string={"cohort_id": cohort.id}).get_json()["items"]
    return {match["mentee_id"]: match for match in matches}


def test_ending_a_match_proposes_a_new_mentor_and_leaves_other_pairs_alone(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant,
                          {"ada": {"skills": PYTHON}, "grace": {"skills": PYTHON}, "edgar": {"skills": DATA}},
                          {"linus": {"goals": ["python"]}, "guido": {"goals": ["python"]}})
    matches = approved_matches(api, cohort)
    linus_match = matches[cohort.mentees["linus"]["id"]]
    response = api("matching").post(f"/v1/matches/{linus_match['id']}/end",
                                    json={"reason": "pair_at_risk", "note": "no sessions in 60 days"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["match"]["status"] == "ended" and body["match"]["end_reason"] == "pair_at_risk"
    proposal = body["rematch_proposal"]
    assert proposal["origin"] == "rematch" and proposal["replaces_match_id"] == linus_match["id"]
    assert proposal["mentor_id"] not in (linus_match["mentor_id"],)
    ended = outbox_events(apps["matching"], tenant, contracts.MATCH_ENDED_V1)
    assert [(e["match_id"], e["reason"]) for e in ended] == [(linus_match["id"], "pair_at_risk")]
    guido_match = api("matching").get(f"/v1/matches/{matches[cohort.mentees['guido']['id']]['id']}").get_json()
    assert guido_match["status"] == "active" and guido_match["version"] == 1
    again = api("matching").post(f"/v1/matches/{linus_match['id']}/end", json={})
    assert again.status_code == 409


def test_a_leaving_mentors_pairs_end_and_their_mentees_get_a_new_proposal(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant,
                          {"ada": {"skills": PYTHON, "mentor_capacity": 1}, "grace": {"skills": DATA}},
                          {"linus": {"goals": ["python"]}})
    match = approved_matches(api, cohort)[cohort.mentees["linus"]["id"]]
    assert match["mentor_id"] == cohort.mentors["ada"]["id"]
    api("profiles").request("PATCH", f"/v1/people/{cohort.mentors['ada']['id']}", json={"status": "terminated"})
    matching = api("matching")
    eventually(lambda: matching.get(f"/v1/matches/{match['id']}").get_json()["status"] == "ended",
               message="the leaver's match never ended")
    ended = matching.get(f"/v1/matches/{match['id']}").get_json()
    assert ended["end_reason"] == "person_left"
    proposals = matching.get("/v1/match-requests", query_string={"cohort_id": cohort.id}).get_json()["items"]
    assert [(p["origin"], p["mentor_id"], p["replaces_match_id"]) for p in proposals] == [
        ("rematch", cohort.mentors["grace"]["id"], match["id"])]


def test_an_erased_persons_pairs_end_and_their_explanations_lose_the_details(api, apps, tenant, running_workers):
    cohort = build_cohort(api, apps, tenant, {"ada": {"skills": PYTHON}}, {"linus": {"goals": ["python"]}})
    match = approved_matches(api, cohort)[cohort.mentees["linus"]["id"]]
    api("profiles").post(f"/v1/people/{cohort.mentees['linus']['id']}/erasure", json={})
    matching = api("matching")
    eventually(lambda: matching.get(f"/v1/matches/{match['id']}").get_json()["status"] == "ended",
               message="the erased person's match never ended")
    # Profiles withdraws the erased person's enrollments too, on another topic: whichever event
    # arrives first ends the pair.
    assert matching.get(f"/v1/matches/{match['id']}").get_json()["end_reason"] in ("person_erased", "withdrawn")
    eventually(lambda: {factor["detail"] for factor in matching.get(f"/v1/matches/{match['id']}").get_json()[
        "factors"]} == {"erased"}, message="the explanation still holds the erased person's details")
