"""Profiles' domain rules, with no server: people, programs, cohorts and enrollments."""

from datetime import UTC, date, datetime

import pytest

from mentoring_shared.contracts import profiles as contracts
from mentoring_shared.errors import Conflict, InvalidField
from profiles.domain import cohorts, enrollments, programs
from profiles.domain.people import change_person, check_manager_chain, register_person

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def register(**overrides):
    fields = dict(person_id="p-1", tenant_id="acme", employee_id="E-1", name=" Ada Lovelace ",
                  email="Ada@Example.COM", time_zone="Europe/London", now=NOW)
    fields.update(overrides)
    return register_person(**fields)


def test_registering_a_person_emits_a_full_snapshot_at_version_1():
    person, events = register(skills=[{"name": "Python", "level": "expert"}], languages=["EN", "fr", "en"])
    assert person.status == "active" and person.version == 1
    assert person.name == "Ada Lovelace" and person.email == "ada@example.com"
    assert person.languages == ("en", "fr")
    [event] = events
    assert event.type == contracts.PERSON_UPSERTED_V1
    assert event.subject == "p-1" and event.tenant_id == "acme"
    assert event.data == person.snapshot()
    assert event.data["skills"] == [{"name": "Python", "level": "expert"}]


@pytest.mark.parametrize("overrides,field", [
    ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
    ({"name": "   "}, "name"),
    ({"skills": [{"name": "Python", "level": "guru"}]}, "skills"),
    ({"roles_offered": ["sensei"]}, "roles_offered"),
    ({"working_hours": {"start": "18:00", "end": "09:00", "days": [1]}}, "working_hours"),
    ({"working_hours": {"start": "09:00", "end": "17:00", "days": [0]}}, "working_hours.days"),
])
def test_invalid_attributes_are_rejected_naming_the_field(overrides, field):
    with pytest.raises(InvalidField) as raised:
        register(**overrides)
    assert raised.value.field == field


def test_a_change_emits_a_new_version_and_nothing_when_nothing_changed():
    person, _ = register(department="Engineering")
    same, events = change_person(person, {"department": "Engineering", "name": "Ada Lovelace"}, NOW)
    assert events == [] and same is person
    changed, events = change_person(person, {"title": "CTO"}, NOW)
    assert changed.version == 2
    assert [event.type for event in events] == [contracts.PERSON_UPSERTED_V1]


def test_a_department_or_manager_change_is_a_move():
    person, _ = register(department="Engineering", manager_employee_id="E-9")
    moved, events = change_person(person, {"department": "Research", "manager_employee_id": "E-7"}, NOW)
    assert [event.type for event in events] == [contracts.PERSON_UPSERTED_V1, contracts.PERSON_MOVED_V1]
    assert events[1].data == {"person_id": "p-1", "version": 2, "from_department": "Engineering",
                              "to_department": "Research", "from_manager_employee_id": "E-9",
                              "to_manager_employee_id": "E-7"}


def test_termination_deactivates_but_leave_does_not():
    person, _ = register()
    on_leave, events = change_person(person, {"status": "on_leave"}, NOW)
    assert [event.type for event in events] == [contracts.PERSON_UPSERTED_V1]
    gone, events = change_person(on_leave, {"status": "terminated"}, NOW)
    assert [event.type for event in events] == [contracts.PERSON_UPSERTED_V1, contracts.PERSON_DEACTIVATED_V1]


def test_the_manager_chain_must_exist_and_not_loop():
    managers = {"E-1": None, "E-2": "E-1", "E-3": "E-2"}
    check_manager_chain("E-4", "E-3", managers)  # a new report at the bottom: fine
    with pytest.raises(InvalidField):
        check_manager_chain("E-4", "E-99", managers)
    with pytest.raises(InvalidField):
        check_manager_chain("E-1", "E-1", managers)
    with pytest.raises(Conflict):
        check_manager_chain("E-1", "E-3", managers)  # E-3 reports to E-2, who reports to E-1


def program(**settings):
    return programs.create_program(program_id="prog-1", tenant_id="acme", now=NOW,
                                   **{"name": "Leaders", "type": "classic", **settings})[0]


def test_program_weights_are_completed_and_validated():
    assert program(matching_weights={"seniority": 1.0}).matching_weights["goals_skills"] == 0.5
    with pytest.raises(InvalidField):
        program(matching_weights={"astrology": 1.0})
    with pytest.raises(InvalidField):
        program(matching_weights={"goals_skills": 0, "seniority": 0, "working_hours_overlap": 0,
                                  "cross_department": 0})


def test_a_duplicated_program_keeps_the_settings_under_a_new_name_and_id():
    original = program(meeting_cadence="weekly", privacy_threshold=8)
    copy, events = programs.duplicate_program(original, program_id="prog-2", name="Leaders 2027", now=NOW)
    assert (copy.id, copy.name, copy.version) == ("prog-2", "Leaders 2027", 1)
    assert (copy.meeting_cadence, copy.privacy_threshold, copy.type) == ("weekly", 8, "classic")


def cohort(status="draft"):
    created, _ = cohorts.create_cohort(cohort_id="c-1", tenant_id="acme", program_id="prog-1", name="Spring",
                                       now=NOW, starts_on=date(2026, 3, 1), ends_on=date(2026, 9, 1))
    from dataclasses import replace
    return replace(created, status=status)


def test_the_cohort_lifecycle_runs_from_draft_to_archived():
    current = cohort()
    for status in ("enrolling", "matching", "active", "closing", "closed", "archived"):
        current, events = cohorts.transition(current, status, NOW)
        assert events[1].data["to_status"] == status
    assert current.version == 7


def test_an_invalid_transition_names_the_allowed_ones():
    with pytest.raises(Conflict) as raised:
        cohorts.transition(cohort("draft"), "active", NOW)
    assert raised.value.extensions["allowed_statuses"] == ["enrolling", "archived"]
    with pytest.raises(Conflict) as raised:
        cohorts.transition(cohort("archived"), "draft", NOW)
    assert raised.value.extensions["allowed_statuses"] == []


def enroll(person_status="active", cohort_status="enrolling", role="mentee", program_type="classic",
           already_enrolled=False, **details):
    person, _ = register()
    from dataclasses import replace
    return enrollments.enroll(enrollment_id="e-1", person=replace(person, status=person_status),
                              cohort=cohort(cohort_status), program=program(type=program_type), role=role, now=NOW,
                              already_enrolled=already_enrolled, **details)


def test_an_active_person_enrolls_in_an_enrolling_cohort():
    enrollment, events = enroll(goals=["Public Speaking"], preferences={"avoid_person_ids": ["p-7"]},
                                mentors_wanted=2)
    assert enrollment.status == "enrolled" and enrollment.mentors_wanted == 2
    assert enrollment.goals == ("public speaking",)
    assert events[0].type == contracts.ENROLLMENT_CREATED_V1


@pytest.mark.parametrize("kwargs,error", [
    ({"person_status": "on_leave"}, Conflict),
    ({"cohort_status": "draft"}, Conflict),
    ({"already_enrolled": True}, Conflict),
    ({"role": "peer"}, InvalidField),                      # a classic program has mentors and mentees
    ({"program_type": "peer", "role": "mentee"}, InvalidField),
    ({"mentors_wanted": 5}, InvalidField),
    ({"preferences": {"avoid_person_ids": ["p-1"]}}, InvalidField),  # themselves
])
def test_enrollment_rules(kwargs, error):
    with pytest.raises(error):
        enroll(**kwargs)


def test_erasure_keeps_only_the_id_and_ends_change():
    from profiles.domain.people import erase_person

    person, _ = register(department="R&D", skills=[{"name": "Go", "level": "expert"}], goals_text="Become CTO")
    erased, events = erase_person(person, NOW)
    assert erased.id == person.id and erased.version == person.version + 1
    assert (erased.name, erased.employee_id, erased.department, erased.skills, erased.goals_text) == \
        (contracts.ERASED_PERSON_NAME, None, None, (), None)
    assert "ada" not in erased.email.lower() and erased.snapshot()["status"] == "terminated"
    assert [event.type for event in events] == [contracts.PERSON_ERASED_V1]
    assert erase_person(erased, NOW) == (erased, [])
    with pytest.raises(Conflict):
        change_person(erased, {"name": "Ada again"}, NOW)
