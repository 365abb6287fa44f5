"""Programs, the cohort lifecycle and enrollments through the API."""

from mentoring_shared.contracts import profiles as contracts
from tests.integration.helpers import count_rows, new_person
from tests.integration.test_people_changes import outbox_types

PROBLEM = "application/problem+json"


def make_program(profiles, **settings):
    response = profiles.post("/v1/programs", json={"name": "Rising leaders", "type": "classic", **settings})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def make_cohort(profiles, program, status="draft"):
    cohort = profiles.post("/v1/cohorts", json={"program_id": program["id"], "name": "Spring 2027",
                                                "starts_on": "2027-03-01", "ends_on": "2027-09-01"}).get_json()
    path = {"draft": [], "enrolling": ["enrolling"], "matching": ["enrolling", "matching"]}[status]
    for step in path:
        cohort = profiles.post(f"/v1/cohorts/{cohort['id']}/status", json={"status": step}).get_json()
    return cohort


def test_a_program_keeps_its_settings_and_can_be_duplicated(api):
    profiles = api("profiles")
    program = make_program(profiles, meeting_cadence="biweekly", privacy_threshold=7,
                           matching_weights={"seniority": 0.4})
    assert program["matching_weights"]["seniority"] == 0.4 and program["meeting_minutes"] == 45
    changed = profiles.request("PATCH", f"/v1/programs/{program['id']}", json={"term_months": 9}).get_json()
    assert changed["term_months"] == 9 and changed["version"] == 2
    copy = profiles.post(f"/v1/programs/{program['id']}/duplicate", json={"name": "Rising leaders II"}).get_json()
    assert copy["id"] != program["id"] and copy["version"] == 1
    assert {k: copy[k] for k in ("type", "meeting_cadence", "privacy_threshold", "term_months", "matching_weights")} \
        == {k: changed[k] for k in ("type", "meeting_cadence", "privacy_threshold", "term_months", "matching_weights")}


def test_an_invalid_cohort_transition_is_a_conflict_naming_the_allowed_ones(api, apps, tenant):
    profiles = api("profiles")
    cohort = make_cohort(profiles, make_program(profiles))
    response = profiles.post(f"/v1/cohorts/{cohort['id']}/status", json={"status": "active"})
    assert response.status_code == 409 and response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["current_status"] == "draft"
    assert problem["allowed_statuses"] == ["enrolling", "archived"]
    assert profiles.get(f"/v1/cohorts/{cohort['id']}").get_json()["status"] == "draft"
    assert outbox_types(apps, tenant, cohort["id"]) == [contracts.COHORT_UPSERTED_V1]


def test_a_cohort_runs_its_lifecycle_and_each_step_is_an_event(api, apps, tenant):
    profiles = api("profiles")
    cohort = make_cohort(profiles, make_program(profiles))
    for status in ("enrolling", "matching", "active", "closing", "closed", "archived"):
        response = profiles.post(f"/v1/cohorts/{cohort['id']}/status", json={"status": status})
        assert response.status_code == 200 and response.get_json()["status"] == status
    assert outbox_types(apps, tenant, cohort["id"]).count(contracts.COHORT_STATUS_CHANGED_V1) == 6
    # a closed-then-archived cohort cannot be renamed
    assert profiles.request("PATCH", f"/v1/cohorts/{cohort['id']}", json={"name": "x"}).status_code == 409


def test_several_cohorts_of_several_programs_run_at_once(api):
    profiles = api("profiles")
    first, second = make_program(profiles), make_program(profiles, type="peer")
    cohorts = [make_cohort(profiles, program, "enrolling") for program in (first, second, first)]
    listed = profiles.get("/v1/cohorts", query_string={"status": "enrolling"}).get_json()["items"]
    assert [c["id"] for c in listed] == [c["id"] for c in cohorts]
    by_program = profiles.get("/v1/cohorts", query_string={"program_id": first["id"]}).get_json()["items"]
    assert [c["id"] for c in by_program] == [cohorts[0]["id"], cohorts[2]["id"]]


def test_a_cohort_duplicates_as_a_new_draft_without_enrollments(api):
    profiles = api("profiles")
    cohort = make_cohort(profiles, make_program(profiles), "enrolling")
    person = profiles.post("/v1/people", json=new_person()).get_json()
    profiles.post(f"/v1/cohorts/{cohort['id']}/enrollments", json={"person_id": person["id"], "role": "mentee"})
    copy = profiles.post(f"/v1/cohorts/{cohort['id']}/duplicate", json={"name": "Autumn 2027"}).get_json()
    assert copy["status"] == "draft" and copy["program_id"] == cohort["program_id"]
    assert profiles.get(f"/v1/cohorts/{copy['id']}/enrollments").get_json()["items"] == []


def test_enrollment_and_withdrawal(api, apps, tenant):
    profiles = api("profiles")
    cohort = make_cohort(profiles, make_program(profiles), "enrolling")
    person = profiles.post("/v1/people", json=new_person()).get_json()
    body = {"person_id": person["id"], "role": "mentee", "goals": ["Negotiation"], "mentors_wanted": 2,
            "preferences": {"skills": ["sales"], "languages": ["en"], "departments": ["Sales"],
                            "avoid_person_ids": ["someone-else"]}}
    response = profiles.post(f"/v1/cohorts/{cohort['id']}/enrollments", json=body)
    assert response.status_code == 201, response.get_json()
    enrollment = response.get_json()
    assert enrollment["goals"] == ["negotiation"] and enrollment["mentors_wanted"] == 2
    assert enrollment["preferences"]["avoid_person_ids"] == ["someone-else"]

    again = profiles.post(f"/v1/cohorts/{cohort['id']}/enrollments", json=body)
    assert again.status_code == 409

    withdrawn = profiles.post(f"/v1/enrollments/{enrollment['id']}/withdraw", json={"reason": "changed team"})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert profiles.post(f"/v1/enrollments/{enrollment['id']}/withdraw", json={}).status_code == 409
    # after withdrawing, the person may enroll again
    assert profiles.post(f"/v1/cohorts/{cohort['id']}/enrollments", json=body).status_code == 201
    assert outbox_types(apps, tenant, enrollment["id"]) == [contracts.ENROLLMENT_CREATED_V1,
                                                             contracts.ENROLLMENT_WITHDRAWN_V1]


def test_enrollment_refusals_change_nothing(api, apps, tenant):
    profiles = api("profiles")
    program = make_program(profiles)
    draft = make_cohort(profiles, program)
    enrolling = make_cohort(profiles, program, "enrolling")
    person = profiles.post("/v1/people", json=new_person()).get_json()
    on_leave = profiles.post("/v1/people", json=new_person(status="on_leave")).get_json()
    cases = [
        (draft["id"], {"person_id": person["id"], "role": "mentee"}, 409),      # not enrolling
        (enrolling["id"], {"person_id": on_leave["id"], "role": "mentee"}, 409),  # not active
        (enrolling["id"], {"person_id": "nobody", "role": "mentee"}, 422),       # unknown person
        (enrolling["id"], {"person_id": person["id"], "role": "peer"}, 422),     # role not in a classic program
        (enrolling["id"], {"person_id": person["id"], "role": "mentee", "mentors_wanted": 9}, 422),
    ]
    for cohort_id, body, status in cases:
        response = profiles.post(f"/v1/cohorts/{cohort_id}/enrollments", json=body)
        assert response.status_code == status, (body, response.get_json())
        assert response.mimetype == PROBLEM
    assert count_rows(apps["profiles"], "enrollments", tenant_id=tenant) == 0


def test_only_organizers_change_programs(api):
    mentor = api("profiles", roles=("mentor",))
    assert mentor.post("/v1/programs", json={"name": "x", "type": "classic"}).status_code == 403
    assert mentor.get("/v1/programs").status_code == 403
