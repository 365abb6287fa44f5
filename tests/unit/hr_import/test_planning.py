from profiles.hr_import import BAMBOOHR, WORKDAY, ColumnMapping, ExistingPerson, parse_hr_file, plan_file, plan_import
from tests.unit.hr_import.support import SAMPLES, applied, csv_bytes, person, plan_csv


def errors_of(plan):
    return [(error.line, error.field, error.message) for error in plan.errors]


# --- creates, updates, idempotence -------------------------------------------------------------

def test_new_employee_ids_are_creates_and_the_plan_is_ok():
    plan = plan_csv([person("E1"), person("E2", manager_employee_id="E1")])
    assert plan.ok
    assert [row.employee_id for row in plan.creates] == ["E1", "E2"]
    assert plan.summary() == {"creates": 2, "updates": 0, "deactivations": 0, "moves": 0, "unchanged": 0,
                              "errors": 0}


def test_importing_the_same_file_twice_changes_nothing_the_second_time():
    for sample, mapping in (("workday.csv", WORKDAY), ("bamboohr.csv", BAMBOOHR)):
        parsed = parse_hr_file((SAMPLES / sample).read_bytes(), mapping)
        first = plan_file(parsed, {})
        assert first.ok and len(first.creates) == len(parsed.rows)
        again = plan_file(parse_hr_file((SAMPLES / sample).read_bytes(), mapping), applied(first.creates))
        assert again.summary() == {"creates": 0, "updates": 0, "deactivations": 0, "moves": 0,
                                   "unchanged": len(parsed.rows), "errors": 0}


def test_existing_people_given_as_tuples_and_pairs_compare_equal_to_the_file():
    existing = {"E1": ExistingPerson(person_id="p-1", employee_id="E1", name="Person E1", email="e1@example.com",
                                     time_zone="Europe/Paris", title="Engineer", department="Engineering",
                                     location="Paris", languages=("en",), seniority_band=3,
                                     skills=(("Python", "advanced"),))}
    assert plan_csv([person("E1")], existing).unchanged == 1


def test_an_update_lists_the_changed_fields_in_field_order():
    existing = applied(plan_csv([person("E1")]).creates)
    plan = plan_csv([person("E1", title="Staff Engineer", skills="Python:expert", languages="en; de")], existing)
    [change] = plan.updates
    assert change.person_id == "p-E1" and change.employee_id == "E1"
    assert change.changed == ("title", "languages", "skills")
    assert change.changes() == {"title": "Staff Engineer", "languages": ["en", "de"],
                                "skills": [{"name": "Python", "level": "expert"}]}
    assert plan.moves == [] and plan.deactivations == []


def test_fields_the_mapping_does_not_carry_are_left_alone():
    existing = applied(plan_csv([person("E1", department="Sales", skills="Go:expert")]).creates)
    mapping = ColumnMapping.from_dict({"employee_id": "employee_id", "name": "name", "email": "email",
                                       "time_zone": "time_zone"})
    data = csv_bytes([person("E1")], header=["employee_id", "name", "email", "time_zone"])
    plan = plan_file(parse_hr_file(data, mapping), existing)
    assert plan.unchanged == 1  # department, skills and status are not in the file: not cleared, not reset


# --- deactivations and moves -------------------------------------------------------------------

def test_a_status_word_meaning_terminated_deactivates_an_existing_person():
    existing = applied(plan_csv([person("E1"), person("E2"), person("E3", status="Terminated")]).creates)
    plan = plan_csv([person("E1", status="Inactive", title="Gone"), person("E2", status="LOA"),
                     person("E3", status="T")], existing)
    [deactivation] = plan.deactivations
    assert deactivation.employee_id == "E1" and deactivation.changed == ("title", "status")
    assert [(change.employee_id, change.changed) for change in plan.updates] == [("E2", ("status",))]
    assert plan.unchanged == 1  # already terminated: nothing to do


def test_a_terminated_person_who_returns_is_an_update():
    existing = applied(plan_csv([person("E1", status="Terminated")]).creates)
    plan = plan_csv([person("E1", status="Active")], existing)
    assert [change.changed for change in plan.updates] == [("status",)] and plan.deactivations == []


def test_a_changed_department_or_manager_is_a_move():
    existing = applied(plan_csv([person("M1"), person("M2"), person("E1", manager_employee_id="M1"),
                                 person("E2", manager_employee_id="M1"), person("E3")]).creates)
    plan = plan_csv([person("M1"), person("M2"), person("E1", manager_employee_id="M2"),
                     person("E2", manager_employee_id="M1", title="Lead"), person("E3", department="Sales")],
                    existing)
    assert [change.employee_id for change in plan.moves] == ["E1", "E3"]
    assert [change.employee_id for change in plan.updates] == ["E1", "E2", "E3"]
    assert plan.summary()["moves"] == 2 and plan.unchanged == 2


def test_a_leaver_who_also_changes_department_is_both_a_deactivation_and_a_move():
    existing = applied(plan_csv([person("E1")]).creates)
    plan = plan_csv([person("E1", status="left", department="Alumni")], existing)
    assert plan.deactivations == plan.moves and len(plan.moves) == 1 and plan.updates == []


# --- managers ----------------------------------------------------------------------------------

def test_a_manager_may_appear_after_the_report_or_already_be_known():
    existing = applied(plan_csv([person("CEO")]).creates)
    plan = plan_csv([person("E1", manager_employee_id="M1"), person("M1", manager_employee_id="CEO")], existing)
    assert plan.ok and len(plan.creates) == 2


def test_a_manager_neither_in_the_file_nor_known_is_a_row_error():
    plan = plan_csv([person("E1"), person("E2", manager_employee_id="E99")])
    assert not plan.ok
    assert errors_of(plan) == [(3, "manager_employee_id", "manager E99 is neither in this file nor already known")]
    assert [row.employee_id for row in plan.creates] == ["E1"]  # the dry run still shows the rest


def test_a_manager_whose_own_row_has_an_error_is_not_reported_as_unknown():
    plan = plan_csv([person("E1", manager_employee_id="M1"), person("M1", time_zone="Nowhere")])
    assert [(line, field) for line, field, _ in errors_of(plan)] == [(3, "time_zone")]


def test_a_person_cannot_be_their_own_manager():
    plan = plan_csv([person("E1", manager_employee_id="E1")])
    assert errors_of(plan) == [(2, "manager_employee_id", "a person cannot be their own manager")]


def test_a_two_person_loop_is_reported_on_both_rows():
    plan = plan_csv([person("E1", manager_employee_id="E2"), person("E2", manager_employee_id="E1"), person("E3")])
    assert errors_of(plan) == [(2, "manager_employee_id", "manager chain loops: E1 -> E2 -> E1"),
                               (3, "manager_employee_id", "manager chain loops: E2 -> E1 -> E2")]
    assert [row.employee_id for row in plan.creates] == ["E3"]


def test_a_three_person_loop_is_reported_on_every_row_of_it():
    plan = plan_csv([person("E1", manager_employee_id="E2"), person("E2", manager_employee_id="E3"),
                     person("E3", manager_employee_id="E1"), person("E4", manager_employee_id="E1")])
    assert errors_of(plan) == [(2, "manager_employee_id", "manager chain loops: E1 -> E2 -> E3 -> E1"),
                               (3, "manager_employee_id", "manager chain loops: E2 -> E3 -> E1 -> E2"),
                               (4, "manager_employee_id", "manager chain loops: E3 -> E1 -> E2 -> E3")]


def test_a_loop_closed_through_people_already_known_is_rejected():
    existing = applied(plan_csv([person("A"), person("B", manager_employee_id="A"),
                                 person("C", manager_employee_id="B")]).creates)
    plan = plan_csv([person("A", manager_employee_id="C")], existing)  # A's report's report becomes A's manager
    assert errors_of(plan) == [(2, "manager_employee_id", "manager chain loops: A -> C -> B -> A")]
    assert plan.updates == []


def test_the_file_can_break_a_loop_people_were_in():
    existing = applied(plan_csv([person("A"), person("B", manager_employee_id="A")]).creates)
    plan = plan_csv([person("A", manager_employee_id="B"), person("B")], existing)  # swap: no loop after
    assert plan.ok and len(plan.moves) == 2


def test_a_100k_deep_manager_chain_is_fine_and_needs_no_recursion():
    size = 100_000
    rows = [person(f"E{i}", manager_employee_id=f"E{i + 1}" if i + 1 < size else "") for i in range(size)]
    plan = plan_csv(rows)  # every manager comes after their report
    assert plan.ok and len(plan.creates) == size


def test_a_100k_person_loop_is_reported_on_every_row_with_a_short_description():
    size = 100_000
    rows = [person(f"E{i}", manager_employee_id=f"E{(i + 1) % size}") for i in range(size)]
    plan = plan_csv(rows)
    assert len(plan.errors) == size and plan.creates == []
    assert plan.errors[0].message == ("manager chain loops through 100000 people: E0 -> E1 -> E2 -> E3 -> E4 -> ... "
                                      "-> E99999 -> E0")
    assert max(len(error.message) for error in plan.errors) < 200


# --- emails and all-or-nothing -----------------------------------------------------------------

def test_an_email_used_twice_in_the_file_is_an_error_on_the_later_row():
    plan = plan_csv([person("E1", email="same@example.com"), person("E2", email="Same@Example.com")])
    assert errors_of(plan) == [(3, "email", "email same@example.com is also used by E1 on line 2")]


def test_an_email_of_someone_not_in_the_file_is_an_error_but_a_swap_is_fine():
    existing = applied(plan_csv([person("E1"), person("E2"), person("E3")]).creates)
    plan = plan_csv([person("E1", email="e3@example.com")], existing)
    assert errors_of(plan) == [(2, "email", "email e3@example.com already belongs to E3, who is not in this file")]
    swap = plan_csv([person("E1", email="e2@example.com"), person("E2", email="e1@example.com")], existing)
    assert swap.ok and len(swap.updates) == 2


def test_an_email_reserved_by_a_person_outside_the_sync_is_an_error():
    parsed = parse_hr_file(csv_bytes([person("E1", email="ceo@example.com")]), ColumnMapping.from_dict(
        {name: name for name in ("employee_id", "name", "email", "time_zone")}))
    plan = plan_file(parsed, {}, reserved_emails={"CEO@example.com"})
    assert [error.field for error in plan.errors] == ["email"]


def test_row_errors_from_parsing_make_the_plan_not_ok_and_come_in_line_order():
    plan = plan_csv([person("E1", manager_employee_id="X"), person("E2", time_zone="Nowhere"), person("E3")])
    assert not plan.ok
    assert [(line, field) for line, field, _ in errors_of(plan)] == [(2, "manager_employee_id"), (3, "time_zone")]
    assert plan.summary() == {"creates": 1, "updates": 0, "deactivations": 0, "moves": 0, "unchanged": 0,
                              "errors": 2}


def test_plan_import_refuses_duplicate_rows_given_directly():
    rows = parse_hr_file(csv_bytes([person("E1")]), ColumnMapping.from_dict(
        {name: name for name in ("employee_id", "name", "email", "time_zone")})).rows
    plan = plan_import(rows + rows, {})
    assert [error.message for error in plan.errors] == ["employee id E1 already appears on line 2"]
