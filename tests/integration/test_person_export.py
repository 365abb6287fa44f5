"""A person's right of access across the platform: matching, scheduling and feedback each export
what they hold about a person at GET /v1/people/{id}/export (org_admin only, within the tenant),
and `mentoring admin person export` joins the four services' exports into one JSON document, never
a partial one."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from mentoring_shared.cli import main
from mentoring_shared.ids import new_id
from mentoring_testing.fixtures import ApiClient, token
from mentoring_testing.polling import eventually
from mentoring_testing.servers import free_port
from tests.integration.helpers import count_rows, new_person
from tests.integration.test_admin_cli import service_urls  # noqa: F401  (the apps behind real HTTP servers)
from tests.integration.test_feedback_submissions import completed_session

SERVICES = ("profiles", "matching", "scheduling", "feedback")
CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
# A CalDAV account as stored: its URL carries a user, a password and a secret path, and the
# account's own password is kept beside it. None of them may leave in an export.
CALDAV_SECRETS = ("hunter2", "secret-path-7f3a", "app-password-9c1e")


@pytest.fixture(scope="module")
def mentee_with_everything(apps, running_workers):
    """In a tenant of its own, a mentee matched through the APIs and events, with a completed
    session, an answered feedback request, a goal, an uploaded calendar, a CalDAV account and a
    feed token. Returns the tenant, the org_admin client maker and the records' ids."""
    tenant = f"tenant-{uuid.uuid4().hex[:12]}"

    def api(service: str, roles: tuple[str, ...] = ("org_admin",), tenant_id: str | None = None,
            subject: str = "tester") -> ApiClient:
        return ApiClient(apps[service], tenant_id or tenant, roles, subject)

    mentorship, session = completed_session(api, apps, tenant)
    mentee_id, match_id = mentorship["mentee_id"], mentorship["id"]

    as_mentee = api("feedback", roles=("mentee",), subject=mentee_id)
    [request] = as_mentee.get("/v1/feedback-requests").get_json()["items"]
    answered = as_mentee.post(f"/v1/feedback-requests/{request['id']}/feedback",
                              json={"rating": 4, "text": "Ada explains decorators patiently"})
    assert answered.status_code == 201, answered.get_json()
    goal = as_mentee.post(f"/v1/pairs/{match_id}/goals", json={
        "title": "Ship a Python library", "target_date": (date.today() + timedelta(days=90)).isoformat(),
        "milestones": [{"title": "Write its tests"}]})
    assert goal.status_code == 201, goal.get_json()

    scheduling = api("scheduling")
    calendar = scheduling.request("PUT", f"/v1/people/{mentee_id}/calendars/upload",
                                  data={"file": (io.BytesIO(CALENDAR), "mine.ics")}, content_type="multipart/form-data")
    assert calendar.status_code == 200, calendar.get_json()
    feed_token = scheduling.post(f"/v1/people/{mentee_id}/feed-tokens").get_json()
    caldav_id = new_id()
    runtime = apps["scheduling"].extensions["runtime"]
    with runtime.sessions() as db:  # adding one through the API needs a live CalDAV server
        db.execute(insert(runtime.outbox.metadata.tables["calendar_sources"]).values(
            source_id=caldav_id, tenant_id=tenant, person_id=mentee_id, kind="caldav",
            url=f"https://mentee:{CALDAV_SECRETS[0]}@cal.example.com/dav/{CALDAV_SECRETS[1]}/", username="mentee",
            secret=CALDAV_SECRETS[2], busy=[[29_000_000, 29_000_060]], horizon_start=28_999_000,
            horizon_end=29_100_000, refreshed_at=datetime.now(UTC)))
        db.commit()
    return {"tenant": tenant, "api": api, "mentee": mentee_id, "mentor": mentorship["mentor_id"], "match": match_id,
            "cohort": mentorship["cohort_id"],
            "session": session["id"], "request": request["id"], "feedback": answered.get_json()["id"],
            "goal": goal.get_json()["id"], "calendar": calendar.get_json()["id"], "caldav": caldav_id,
            "feed_token": feed_token}


def exported(case, service: str) -> dict:
    response = case["api"](service).get(f"/v1/people/{case['mentee']}/export")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_matching_exports_the_persons_copy_enrollment_match_and_the_run_pair_naming_them(mentee_with_everything):
    case = mentee_with_everything
    export = exported(case, "matching")
    assert export["person"]["person_id"] == case["mentee"]
    assert "python" in export["profile"]["profile"]["goals"]  # the mentoring attributes matching scores on
    [enrollment] = export["enrollments"]
    assert (enrollment["cohort_id"], enrollment["role"]) == (case["cohort"], "mentee")
    [match] = export["matches"]
    assert (match["id"], match["mentee_id"], match["mentor_id"]) == (case["match"], case["mentee"], case["mentor"])
    [pair] = export["run_pairs"]
    assert (pair["mentee_id"], pair["mentor_id"]) == (case["mentee"], case["mentor"])
    assert pair["run_id"] == match["run_id"] and pair["factors"]  # with the explanation of its score
    assert export["match_requests"] == []


def test_scheduling_exports_sessions_and_describes_calendars_and_feed_tokens_without_their_secrets(
        mentee_with_everything):
    case = mentee_with_everything
    export = exported(case, "scheduling")
    assert export["person"]["person_id"] == case["mentee"]
    assert export["schedule"]["working_hours"]  # when they can meet, as profiles sent it
    assert [m["id"] for m in export["mentorships"]] == [case["match"]]
    [session] = export["sessions"]
    assert session["id"] == case["session"] and session["status"] == "completed"
    sources = {source["id"]: source for source in export["calendar_sources"]}
    assert sources[case["calendar"]]["kind"] == "ics_upload" and sources[case["calendar"]]["server"] is None
    caldav = sources[case["caldav"]]
    assert caldav["server"] == "cal.example.com" and caldav["username"] == "mentee"
    assert caldav["password_stored"] is True and len(caldav["busy"]) == 1
    assert [t["id"] for t in export["feed_tokens"]] == [case["feed_token"]["id"]]
    text = json.dumps(export)
    for secret in (*CALDAV_SECRETS, case["feed_token"]["token"]):
        assert secret not in text


def test_feedback_exports_requests_to_the_person_their_words_and_their_pairs_goals_and_health(
        mentee_with_everything):
    case = mentee_with_everything
    export = exported(case, "feedback")
    assert export["person"]["person_id"] == case["mentee"]
    assert [r["id"] for r in export["feedback_requests"]] == [case["request"]]
    assert all(r["author_id"] == case["mentee"] for r in export["feedback_requests"])
    [given] = export["feedback_given"]
    assert given["id"] == case["feedback"] and given["text"] == "Ada explains decorators patiently"
    [pair] = export["pairs"]
    assert pair["match_id"] == case["match"] and pair["health"] in ("on_track", "needs_check_in", "at_risk")
    [goal] = pair["goals"]
    assert goal["id"] == case["goal"] and [m["title"] for m in goal["milestones"]] == ["Write its tests"]
    assert pair["check_ins"]  # the pair's planned check-ins


@pytest.mark.parametrize("service", SERVICES[1:])
def test_another_tenant_or_an_unknown_person_gets_404(mentee_with_everything, service):
    case = mentee_with_everything
    other_tenant = case["api"](service, tenant_id=f"tenant-b-{uuid.uuid4().hex[:12]}")
    response = other_tenant.get(f"/v1/people/{case['mentee']}/export")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert case["api"](service).get(f"/v1/people/{new_id()}/export").status_code == 404


@pytest.mark.parametrize("service", SERVICES[1:])
@pytest.mark.parametrize("role", ["program_manager", "mentee", "service"])
def test_only_an_org_admin_exports_a_person(mentee_with_everything, service, role):
    case = mentee_with_everything
    # Not even the person themself: an export goes through the organization's admin.
    client = case["api"](service, roles=(role,), subject=case["mentee"])
    assert client.get(f"/v1/people/{case['mentee']}/export").status_code == 403


@pytest.mark.parametrize("service", SERVICES[1:])
def test_the_export_route_is_in_the_openapi_document(apps, service):
    spec = apps[service].test_client().get("/openapi.json").get_json()
    operation = spec["paths"]["/v1/people/{person_id}/export"]["get"]
    assert set(operation["responses"]) >= {"200", "404"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]


# --- mentoring admin person export ------------------------------------------------------------

@pytest.fixture
def admin_of(service_urls, monkeypatch, capsys):  # noqa: F811
    """`admin_of(tenant, "person", "export", id)` runs `mentoring admin ...` in this process as an
    org_admin of that tenant, against the services' real HTTP servers."""
    monkeypatch.delenv("MENTORING_GATEWAY_URL", raising=False)
    for service, url in service_urls.items():
        monkeypatch.setenv(f"MENTORING_{service.upper()}_URL", url)

    def run(tenant: str, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setenv("MENTORING_TOKEN", token(tenant, "org_admin", subject="dpo@acme.example"))
        capsys.readouterr()
        code = main(["admin", *argv])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_the_admin_command_writes_one_document_with_all_four_services_parts(mentee_with_everything, admin_of,
                                                                             tmp_path):
    case = mentee_with_everything
    code, out, err = admin_of(case["tenant"], "person", "export", case["mentee"])
    assert code == 0, err
    document = json.loads(out)
    assert document["person_id"] == case["mentee"] and datetime.fromisoformat(document["exported_at"])
    parts = document["services"]
    assert list(parts) == list(SERVICES)
    assert parts["profiles"]["person"]["id"] == case["mentee"]
    assert [m["id"] for m in parts["matching"]["matches"]] == [case["match"]]
    assert [s["id"] for s in parts["scheduling"]["sessions"]] == [case["session"]]
    assert [f["text"] for f in parts["feedback"]["feedback_given"]] == ["Ada explains decorators patiently"]
    assert [g["id"] for g in parts["feedback"]["pairs"][0]["goals"]] == [case["goal"]]

    target = tmp_path / "export.json"
    code, out, err = admin_of(case["tenant"], "person", "export", case["mentee"], "--output", str(target))
    assert code == 0, err
    assert json.loads(target.read_text())["services"].keys() == parts.keys()
    assert target.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    assert str(target) in out


def test_a_service_that_cannot_be_reached_fails_the_export_and_writes_nothing(mentee_with_everything, admin_of,
                                                                              monkeypatch, tmp_path):
    case = mentee_with_everything
    nowhere = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("MENTORING_FEEDBACK_URL", nowhere)
    target = tmp_path / "export.json"
    code, out, err = admin_of(case["tenant"], "person", "export", case["mentee"], "--output", str(target))
    assert code == 3
    assert f"cannot reach feedback at {nowhere}/v1/people/{case['mentee']}/export" in err
    assert not target.exists() and list(tmp_path.iterdir()) == []
    code, out, _ = admin_of(case["tenant"], "person", "export", case["mentee"])
    assert code == 3 and out == ""  # no partial document on standard output either


def test_a_person_another_tenant_cannot_see_is_refused_not_exported_empty(mentee_with_everything, admin_of):
    case = mentee_with_everything
    code, out, err = admin_of(f"tenant-b-{uuid.uuid4().hex[:12]}", "person", "export", case["mentee"])
    assert code == 1 and out == ""
    assert "404" in err and "profiles" in err


def test_an_erased_person_exports_their_anonymized_records(api, apps, tenant, admin_of, running_workers):
    person = api("profiles").post("/v1/people", json=new_person()).get_json()
    for service in SERVICES[1:]:
        eventually(lambda: count_rows(apps[service], "people", tenant_id=tenant, person_id=person["id"]) == 1)
    assert api("profiles").post(f"/v1/people/{person['id']}/erasure").status_code == 200
    for service in SERVICES[1:]:
        eventually(lambda: count_rows(apps[service], "people", tenant_id=tenant, person_id=person["id"],
                                      status="erased") == 1, message=f"{service} never applied the erasure")
    code, out, err = admin_of(tenant, "person", "export", person["id"])
    assert code == 0, err
    parts = json.loads(out)["services"]
    assert parts["profiles"]["person"]["name"] == "Erased person"
    for service in SERVICES[1:]:
        copy = parts[service]["person"]
        assert (copy["name"], copy["status"]) == ("Erased person", "erased"), service
        assert person["email"] not in json.dumps(parts[service]), service
