"""Leavers and erasure, through the real pipeline from profiles: a deactivated person's open
feedback requests close; an erased person's feedback loses its words and names but keeps its
numbers, so the program's figures stay what they were."""

from sqlalchemy import select

from mentoring_testing.polling import eventually
from tests.integration.helpers import count_rows
from tests.integration.test_feedback_submissions import as_person, completed_session


def feedback_rows(apps, tenant):
    runtime = apps["feedback"].extensions["runtime"]
    table = runtime.outbox.metadata.tables["feedback"]
    with runtime.sessions() as db:
        return {row["direction"]: dict(row) for row in db.execute(
            select(table).where(table.c.tenant_id == tenant)).mappings()}


def answer_both(api, mentorship):
    for side, rating in (("mentee", 5), ("mentor", 3)):
        person = as_person(api, mentorship[f"{side}_id"], side)
        [request] = person.get("/v1/feedback-requests", query_string={"status": "open"}).get_json()["items"]
        answer = {"rating": rating, "text": f"words of the {side}", "goal_progress": [{"goal": "python",
                                                                                      "progress": 30}]}
        assert person.post(f"/v1/feedback-requests/{request['id']}/feedback", json=answer).status_code == 201


def test_an_erased_persons_feedback_is_anonymized_and_the_figures_stay_correct(api, apps, tenant, running_workers):
    mentorship, _ = completed_session(api, apps, tenant, program={"privacy_threshold": 1})
    answer_both(api, mentorship)
    organizer = api("feedback")
    before = organizer.get(f"/v1/cohorts/{mentorship['cohort_id']}/report").get_json()["groups"][0]
    assert before["average_rating"]["value"] == 4.0 and before["average_rating"]["respondents"] == 2

    assert api("profiles").post(f"/v1/people/{mentorship['mentee_id']}/erasure").status_code in (200, 202)
    eventually(lambda: feedback_rows(apps, tenant)["mentee_to_mentor"]["anonymized"],
               message="feedback never anonymized the erased mentee's answers")
    rows = feedback_rows(apps, tenant)
    given, received = rows["mentee_to_mentor"], rows["mentor_to_mentee"]
    # the erased person's id and every word go; the other side's id stays (they were not erased)
    assert (given["author_id"], given["subject_id"], given["text"], given["goal_progress"]) == (
        None, mentorship["mentor_id"], None, [])
    assert (received["author_id"], received["subject_id"], received["text"]) == (mentorship["mentor_id"], None, None)
    assert given["anonymous_author"] and given["anonymous_author"] != mentorship["mentee_id"]
    assert (given["rating"], given["recommend"], received["rating"]) == (5, None, 3)  # the numbers stay

    after = organizer.get(f"/v1/cohorts/{mentorship['cohort_id']}/report").get_json()["groups"][0]
    assert after["average_rating"]["value"] == before["average_rating"]["value"]
    assert after["average_rating"]["ratings"] == before["average_rating"]["ratings"] == 2
    assert after["response_rate"]["answered"] == before["response_rate"]["answered"]
    assert after["sessions"] == before["sessions"] and after["mentoring_hours"] == before["mentoring_hours"]
    assert after["average_rating"]["respondents"] == 2  # the erased author still counts, once, as nobody


def test_a_leavers_open_requests_close_and_the_other_sides_stay_open(api, apps, tenant, running_workers):
    mentorship, session = completed_session(api, apps, tenant)
    left = api("profiles").request("PATCH", f"/v1/people/{mentorship['mentor_id']}", json={"status": "terminated"})
    assert left.status_code == 200, left.get_json()
    eventually(lambda: count_rows(apps["feedback"], "feedback_requests", tenant_id=tenant,
                                  author_id=mentorship["mentor_id"], status="closed") == 1,
               message="the leaver's open request never closed")
    # the match ends with the leaver: only the mentee gets an exit survey, and keeps their session request
    eventually(lambda: count_rows(apps["feedback"], "feedback_requests", tenant_id=tenant, kind="exit") == 1,
               message="the mentee never got an exit survey")
    assert count_rows(apps["feedback"], "feedback_requests", tenant_id=tenant, author_id=mentorship["mentee_id"],
                      status="open") == 2
    assert count_rows(apps["feedback"], "feedback_requests", tenant_id=tenant, author_id=mentorship["mentor_id"],
                      status="open") == 0
