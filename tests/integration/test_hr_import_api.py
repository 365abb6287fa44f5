"""Importing an HR export through the API: dry run, all-or-nothing apply, idempotence, errors."""

import io
import json

from mentoring_shared.contracts import profiles as contracts
from tests.integration.helpers import count_rows

HEADER = "Employee_ID,Worker,Work_Email,Business_Title,Supervisory_Organization,Manager_ID,Location,Time_Zone," \
         "Languages,Job_Level,Skills,Worker_Status\n"


def workday_file(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


# The report before the manager: the file order does not matter.
GOOD = workday_file(
    "E2,Grace Hopper,grace@acme.example,Engineer,Platform,E1,Arlington,America/New_York,en,5,COBOL:expert,Active",
    "E1,Ada Lovelace,ada@acme.example,CTO,Office of the CTO,,London,Europe/London,en; fr,9,Python:expert,Active",
)


def upload(api, data: bytes, **form):
    fields = {"file": (io.BytesIO(data), "workers.csv"), **{k: str(v).lower() if isinstance(v, bool) else v
                                                            for k, v in form.items()}}
    return api("profiles").post("/v1/hr-imports", data=fields, content_type="multipart/form-data")


def test_a_dry_run_reports_and_writes_nothing(api, apps, tenant):
    response = upload(api, GOOD, preset="workday", dry_run=True)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["applied"] is False and report["summary"]["creates"] == 2 and report["errors"] == []
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant) == 0


def test_an_import_creates_people_and_a_second_one_changes_nothing(api, apps, tenant):
    report = upload(api, GOOD, preset="workday").get_json()
    assert report["applied"] is True and report["summary"]["creates"] == 2
    people = api("profiles").get("/v1/people").get_json()["items"]
    grace = next(person for person in people if person["employee_id"] == "E2")
    assert grace["manager_employee_id"] == "E1" and grace["skills"] == [{"name": "COBOL", "level": "expert"}]
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant, event_type=contracts.PERSON_UPSERTED_V1) == 2

    again = upload(api, GOOD, preset="workday").get_json()
    assert again["summary"]["unchanged"] == 2 and again["summary"]["creates"] == 0
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant) == 2


def test_movers_and_leavers_become_events(api, apps, tenant):
    upload(api, GOOD, preset="workday")
    changed = workday_file(
        "E2,Grace Hopper,grace@acme.example,Engineer,Research,E1,Arlington,America/New_York,en,5,COBOL:expert,Active",
        "E1,Ada Lovelace,ada@acme.example,CTO,Office of the CTO,,London,Europe/London,en; fr,9,Python:expert,"
        "Terminated",
    )
    report = upload(api, changed, preset="workday").get_json()
    assert report["summary"] | {"errors": 0} == {"creates": 0, "updates": 1, "deactivations": 1, "moves": 1,
                                                   "unchanged": 0, "errors": 0}
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant, event_type=contracts.PERSON_MOVED_V1) == 1
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant, event_type=contracts.PERSON_DEACTIVATED_V1) == 1


def test_a_file_with_any_error_is_refused_whole_with_line_numbers(api, apps, tenant):
    bad = workday_file(
        "E1,Ada Lovelace,ada@acme.example,CTO,Office,,London,Europe/London,en,9,Python:expert,Active",
        "E2,Grace Hopper,grace@acme.example,Engineer,Platform,E99,Arlington,Mars/Base,en,5,COBOL:guru,Active",
        "E1,Ada Again,ada2@acme.example,CTO,Office,,London,Europe/London,en,9,,Active",
    )
    response = upload(api, bad, preset="workday")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    by_line = {(error["line"], error["field"]) for error in problem["errors"]}
    assert {(3, "time_zone"), (3, "skills"), (4, "employee_id")} <= by_line
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0
    assert count_rows(apps["profiles"], "outbox", tenant_id=tenant) == 0


def test_a_manager_loop_and_a_missing_manager_are_refused(api, apps, tenant):
    looped = workday_file(
        "E1,A,a@acme.example,,,E2,,UTC,,,,Active",
        "E2,B,b@acme.example,,,E1,,UTC,,,,Active",
        "E3,C,c@acme.example,,,E404,,UTC,,,,Active",
    )
    problem = upload(api, looped, preset="workday").get_json()
    fields = [(error["line"], error["field"]) for error in problem["errors"]]
    assert (2, "manager_employee_id") in fields and (3, "manager_employee_id") in fields
    assert (4, "manager_employee_id") in fields
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0


def test_file_level_problems_name_what_is_wrong(api, apps, tenant):
    latin1 = upload(api, HEADER.encode() + "E1,Amélie,a@acme.example,,,,,UTC,,,,Active\n".encode("latin-1"),
                    preset="workday")
    assert latin1.status_code == 422 and "UTF-8" in latin1.get_json()["errors"][0]["message"]
    missing_header = upload(api, b"Employee_ID,Worker\nE1,Ada\n", preset="workday")
    assert missing_header.status_code == 422
    assert missing_header.get_json()["errors"][0]["field"] in {"email", "time_zone"}
    neither = upload(api, GOOD)
    assert neither.status_code == 422 and neither.get_json()["errors"][0]["field"] == "mapping"
    unknown_field = upload(api, GOOD, mapping=json.dumps({"employee_id": "Employee_ID", "shoe_size": "X"}))
    assert unknown_field.status_code == 422
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0


def test_a_custom_mapping_reads_any_export(api, tenant):
    data = b"Emp No;Given;Family;Mail;TZ\nX1;Katherine;Johnson;kj@acme.example;America/New_York\n"
    mapping = {"employee_id": "Emp No", "name": ["Given", "Family"], "email": "Mail", "time_zone": "TZ"}
    report = upload(api, data, mapping=json.dumps(mapping)).get_json()
    assert report["summary"]["creates"] == 1, report
    assert api("profiles").get("/v1/people", query_string={"q": "kj"}).get_json()["items"][0]["name"] == \
        "Katherine Johnson"


def test_only_admins_and_integrations_import(api, apps, tenant):
    response = api("profiles", roles=("program_manager",)).post(
        "/v1/hr-imports", data={"file": (io.BytesIO(GOOD), "w.csv"), "preset": "workday"},
        content_type="multipart/form-data")
    assert response.status_code == 403
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0


def test_an_import_reports_its_progress_under_the_id_its_client_chose(api, tenant):
    assert upload(api, GOOD, preset="workday", progress_id="import-1").status_code == 200
    progress = api("profiles").get("/v1/hr-imports/progress/import-1").get_json()
    assert (progress["phase"], progress["done"], progress["total"]) == ("applied", 2, 2)

    refused = workday_file("E9,No Email,,Engineer,Platform,,London,Europe/London,en,5,,Active")
    assert upload(api, refused, preset="workday", progress_id="import-2").status_code == 422
    assert api("profiles").get("/v1/hr-imports/progress/import-2").get_json()["phase"] == "refused"
    assert upload(api, GOOD, preset="workday", dry_run=True, progress_id="import-3").status_code == 200
    assert api("profiles").get("/v1/hr-imports/progress/import-3").get_json()["phase"] == "dry_run"
    assert api("profiles").get("/v1/hr-imports/progress/never-sent").status_code == 404


def test_a_progress_id_that_is_not_an_id_is_refused_and_nothing_is_imported(api, apps, tenant):
    response = upload(api, GOOD, preset="workday", progress_id="not an id!")
    assert response.status_code == 422 and "progress_id" in json.dumps(response.get_json())
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 0


def test_progress_is_readable_while_the_import_transaction_is_still_open(apps, tenant):
    """Why progress has a table of its own: each report commits on its own, beside the import's
    transaction (which has written people and commits all or nothing), and another connection sees it."""
    from profiles.handlers.hr_import import import_people
    from profiles.hr_import import PRESETS
    from profiles.repositories.import_progress import ImportProgressRepository

    runtime = apps["profiles"].extensions["runtime"]
    reports = ImportProgressRepository(runtime.engine)
    seen = []

    def written(done: int, total: int) -> None:  # called inside the import, before its commit
        reports.report(tenant, "open-import", "writing", done, total)
        seen.append((reports.get(tenant, "open-import")["done"], count_rows(apps["profiles"], "people",
                                                                             tenant_id=tenant)))

    import_people(tenant, GOOD, PRESETS["workday"], False, runtime.unit_of_work(), progress=written)
    assert seen == [(2, 0)]  # progress visible, the people not yet
    assert count_rows(apps["profiles"], "people", tenant_id=tenant) == 2
    assert reports.get("another-tenant", "open-import") is None
