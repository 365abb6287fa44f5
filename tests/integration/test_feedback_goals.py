"""Goals, milestones and check-ins of a pair through feedback's API: the pair's two people and the
organizers set and revisit goals, reach milestones (one event each), and complete check-ins;
anyone else finds nothing, and an ended pair's goals no longer change."""

from datetime import date, timedelta

from sqlalchemy import update

from mentoring_shared.contracts import feedback as contracts
from mentoring_testing.polling import eventually
from tests.integration.feedback_records import insert_pair
from tests.integration.helpers import count_rows
from tests.integration.matching_cohorts import outbox_events
from tests.integration.scheduling_records import insert_person
from tests.integration.test_scheduling_sessions import PYTHON, confirmed_pairs

PROBLEM = "application/problem+json"


def member(api, pair, side: str):
    return api("feedback", roles=(side,), subject=pair[f"{side}_id"])


def new_goal(client, pair, **overrides):
    body = {"title": "Lead a design review", "target_date": (date.today() + timedelta(days=90)).isoformat(),
            "milestones": [{"title": "Shadow two reviews"}, {"title": "Run one with support"}], **overrides}
    return client.post(f"/v1/pairs/{pair['match_id']}/goals", json=body)


def test_a_mentee_sets_a_goal_with_milestones_and_both_sides_see_it(api, apps, tenant):
    pair = insert_pair(apps["feedback"], tenant)
    created = new_goal(member(api, pair, "mentee"), pair)
    assert created.status_code == 201, created.get_json()
    goal = created.get_json()
    assert goal["status"] == "open" and goal["progress"] == 0 and goal["version"] == 1
    assert [m["title"] for m in goal["milestones"]] == ["Shadow two reviews", "Run one with support"]
    for client in (member(api, pair, "mentor"), api("feedback", roles=("program_manager",))):
        [seen] = client.get(f"/v1/pairs/{pair['match_id']}/goals").get_json()["items"]
        assert seen["id"] == goal["id"] and len(seen["milestones"]) == 2


def test_revisiting_a_goal_and_achieving_it(api, apps, tenant):
    pair = insert_pair(apps["feedback"], tenant)
    mentee = member(api, pair, "mentee")
    goal = new_goal(mentee, pair).get_json()
    progressed = mentee.request("PATCH", f"/v1/goals/{goal['id']}", json={"progress": 60})
    assert progressed.status_code == 200 and progressed.get_json()["progress"] == 60
    achieved = mentee.request("PATCH", f"/v1/goals/{goal['id']}", json={"status": "achieved"}).get_json()
    assert achieved["status"] == "achieved" and achieved["progress"] == 100 and achieved["achieved_at"]
    assert achieved["version"] == 3
    reopened = mentee.request("PATCH", f"/v1/goals/{goal['id']}", json={"status": "open"}).get_json()
    assert reopened["achieved_at"] is None


def test_reaching_a_milestone_is_celebrated_once(api, apps, tenant):
    pair = insert_pair(apps["feedback"], tenant)
    mentor = member(api, pair, "mentor")
    goal = new_goal(mentor, pair).get_json()
    milestone = goal["milestones"][0]
    reached = mentor.post(f"/v1/milestones/{milestone['id']}/reached")
    assert reached.status_code == 200 and reached.get_json()["reached_at"]
    again = mentor.post(f"/v1/milestones/{milestone['id']}/reached")
    assert again.status_code == 409 and again.mimetype == PROBLEM and "reached_at" in again.get_json()
    [event] = outbox_events(apps["feedback"], tenant, contracts.MILESTONE_REACHED_V1)
    assert (event["milestone_id"], event["goal_id"], event["match_id"]) == (milestone["id"], goal["id"],
                                                                            pair["match_id"])
    assert (event["mentee_id"], event["mentor_id"]) == (pair["mentee_id"], pair["mentor_id"])
    added = mentor.post(f"/v1/goals/{goal['id']}/milestones", json={"title": "Run one alone"})
    assert added.status_code == 201
    assert len(mentor.get(f"/v1/goals/{goal['id']}").get_json()["milestones"]) == 3


def test_bad_goals_are_refused_naming_the_field_and_change_nothing(api, apps, tenant):
    pair = insert_pair(apps["feedback"], tenant)
    mentee = member(api, pair, "mentee")
    past = new_goal(mentee, pair, target_date=(date.today() - timedelta(days=1)).isoformat())
    assert past.status_code == 422 and past.mimetype == PROBLEM
    assert past.get_json()["errors"][0]["field"] == "target_date"
    vague = new_goal(mentee, pair, title="")
    assert vague.status_code == 422 and vague.get_json()["errors"][0]["field"] == "title"
    goal = new_goal(mentee, pair).get_json()
    out_of_range = mentee.request("PATCH", f"/v1/goals/{goal['id']}", json={"progress": 101})
    assert out_of_range.status_code == 422 and out_of_range.get_json()["errors"][0]["field"] == "progress"
    [only] = mentee.get(f"/v1/pairs/{pair['match_id']}/goals").get_json()["items"]
    assert only["progress"] == 0 and only["version"] == 1


def test_someone_outside_the_pair_finds_nothing(api, apps, tenant):
    pair = insert_pair(apps["feedback"], tenant)
    goal = new_goal(member(api, pair, "mentee"), pair).get_json()
    stranger = api("feedback", roles=("mentee",), subject=insert_person(apps["feedback"], tenant)["person_id"])
    assert stranger.get(f"/v1/pairs/{pair['match_id']}/goals").status_code == 404
    assert new_goal(stranger, pair).status_code == 404
    assert stranger.get(f"/v1/goals/{goal['id']}").status_code == 404
    assert stranger.request("PATCH", f"/v1/goals/{goal['id']}", json={"progress": 10}).status_code == 404
    assert stranger.post(f"/v1/milestones/{goal['milestones'][0]['id']}/reached").status_code == 404
    assert stranger.get(f"/v1/pairs/{pair['match_id']}/check-ins").status_code == 404


def test_an_ended_pairs_goals_no_longer_change(api, apps, tenant):
    pair = insert_pair(apps["feedback"], tenant)
    mentee = member(api, pair, "mentee")
    goal = new_goal(mentee, pair).get_json()
    runtime = apps["feedback"].extensions["runtime"]
    table = runtime.outbox.metadata.tables["pairs"]
    with runtime.sessions() as db:
        db.execute(update(table).where(table.c.match_id == pair["match_id"]).values(status="ended"))
        db.commit()
    assert new_goal(mentee, pair).status_code == 409
    refused = mentee.request("PATCH", f"/v1/goals/{goal['id']}", json={"progress": 50})
    assert refused.status_code == 409 and refused.get_json()["current_status"] == "ended"
    assert mentee.post(f"/v1/milestones/{goal['milestones'][0]['id']}/reached").status_code == 409
    assert mentee.get(f"/v1/pairs/{pair['match_id']}/goals").status_code == 200  # still readable


def test_check_ins_at_one_and_three_months_are_completed_once(api, apps, tenant, running_workers):
    _, [mentorship] = confirmed_pairs(api, apps, tenant, {"ada": {"skills": PYTHON}}, {"linus": {"goals": ["python"]}})
    match_id = mentorship["id"]
    eventually(lambda: count_rows(apps["feedback"], "check_ins", tenant_id=tenant, match_id=match_id) == 2)
    mentee = api("feedback", roles=("mentee",), subject=mentorship["mentee_id"])
    check_ins = mentee.get(f"/v1/pairs/{match_id}/check-ins").get_json()["items"]
    assert [c["label"] for c in check_ins] == ["1 month", "3 months"]
    assert all(c["completed_at"] is None for c in check_ins)
    done = mentee.post(f"/v1/check-ins/{check_ins[0]['id']}/completion", json={"note": "On track; next: demo"})
    assert done.status_code == 200 and done.get_json()["completed_at"] and done.get_json()["note"]
    again = mentee.post(f"/v1/check-ins/{check_ins[0]['id']}/completion", json={})
    assert again.status_code == 409 and "completed_at" in again.get_json()
