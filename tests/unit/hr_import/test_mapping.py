import pytest

from profiles.hr_import import BAMBOOHR, PRESETS, WORKDAY, ColumnMapping, InvalidColumnMapping


def test_presets_map_every_required_field_and_bamboohr_builds_the_name_from_two_columns():
    for preset in PRESETS.values():
        assert {"employee_id", "name", "email", "time_zone"} <= set(preset.columns())
    assert BAMBOOHR.columns()["name"] == ("First Name", "Last Name")
    assert WORKDAY.columns()["employee_id"] == ("Employee_ID",)


def test_from_dict_accepts_a_split_name_and_leaves_unmapped_fields_out():
    mapping = ColumnMapping.from_dict({"employee_id": "Emp No", "name": ["Given", "Family"], "email": "Mail",
                                       "time_zone": "TZ", "department": None})
    assert mapping.columns() == {"employee_id": ("Emp No",), "name": ("Given", "Family"), "email": ("Mail",),
                                 "time_zone": ("TZ",)}
    hash(mapping)  # immutable configuration


def test_from_dict_names_an_unknown_field():
    with pytest.raises(InvalidColumnMapping) as raised:
        ColumnMapping.from_dict({"employee_id": "A", "name": "B", "email": "C", "time_zone": "D", "mail": "E"})
    assert raised.value.field == "mail"
    assert "unknown field 'mail'" in raised.value.message


def test_from_dict_requires_the_required_fields_to_be_mapped():
    with pytest.raises(InvalidColumnMapping) as raised:
        ColumnMapping.from_dict({"employee_id": "A", "name": "B"})
    assert raised.value.field == "email"
    assert "email, time_zone" in raised.value.message


def test_only_the_name_may_come_from_several_columns():
    with pytest.raises(InvalidColumnMapping) as raised:
        ColumnMapping.from_dict({"employee_id": "A", "name": "B", "email": ["C", "D"], "time_zone": "E"})
    assert raised.value.field == "email"


def test_an_empty_header_name_is_refused():
    with pytest.raises(InvalidColumnMapping) as raised:
        ColumnMapping.from_dict({"employee_id": "A", "name": "B", "email": "C", "time_zone": "  "})
    assert raised.value.field == "time_zone"
