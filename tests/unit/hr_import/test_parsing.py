import pytest

from profiles.hr_import import BAMBOOHR, WORKDAY, ColumnMapping, HrFileError, parse_hr_file
from tests.unit.hr_import.support import PLAIN, SAMPLES, csv_bytes, person


def errors_of(parsed):
    return [(error.line, error.field, error.message) for error in parsed.errors]


# --- realistic exports ------------------------------------------------------------------------

def test_workday_export_parses_with_line_numbers_that_count_a_multi_line_cell():
    parsed = parse_hr_file((SAMPLES / "workday.csv").read_bytes(), WORKDAY)
    assert parsed.errors == []
    by_id = {row.employee_id: row for row in parsed.rows}
    assert [(row.employee_id, row.line) for row in parsed.rows] == [
        ("21001", 2), ("21002", 4), ("21000", 5), ("21003", 6), ("21004", 7)]
    amelie = by_id["21001"]
    assert amelie.name == "Amélie Laurent" and amelie.email == "amelie.laurent@example.com"
    assert amelie.location == "Paris La Défense"  # a multi-line cell becomes one line
    assert amelie.languages == ["fr", "en"] and amelie.seniority_band == 4
    assert amelie.skills == [{"name": "Python", "level": "expert"}, {"name": "SQL", "level": "advanced"}]
    assert amelie.manager_employee_id == "21000"  # listed after her
    assert by_id["21002"].title == "Data Analyst, Finance" and by_id["21002"].status == "active"
    assert by_id["21000"].manager_employee_id is None
    assert by_id["21003"].status == "on_leave" and by_id["21003"].languages == ["sv", "en"]
    assert by_id["21004"].status == "terminated" and by_id["21004"].skills == []


def test_bamboohr_export_parses_split_names_crlf_lines_and_a_multi_line_skills_cell():
    parsed = parse_hr_file((SAMPLES / "bamboohr.csv").read_bytes(), BAMBOOHR)
    assert parsed.errors == []
    assert [(row.employee_id, row.line) for row in parsed.rows] == [("102", 2), ("101", 4), ("103", 5), ("104", 6)]
    tom, maria, yuki, _ = parsed.rows
    assert tom.name == "Tom O'Neil" and tom.manager_employee_id == "104"
    assert tom.skills == [{"name": "Zendesk", "level": "advanced"}, {"name": "SQL", "level": "beginner"}]
    assert maria.name == "María García" and maria.languages == ["en", "es"]
    assert yuki.status == "terminated"  # BambooHR says Inactive


def test_header_matching_ignores_case_and_surrounding_spaces():
    data = csv_bytes([person("E1")]).replace(b"employee_id,name", b"  EMPLOYEE_ID ,Name  ", 1)
    assert [row.employee_id for row in parse_hr_file(data, PLAIN).rows] == ["E1"]


def test_semicolon_separated_files_are_read():
    data = b"employee_id;name;email;time_zone\nE1;Ada Lovelace;ada@example.com;Europe/London\n"
    mapping = ColumnMapping.from_dict({"employee_id": "employee_id", "name": "name", "email": "email",
                                       "time_zone": "time_zone"})
    [row] = parse_hr_file(data, mapping).rows
    assert row.name == "Ada Lovelace" and row.fields_in_file == {"employee_id", "name", "email", "time_zone"}
    assert row.status == "active" and row.skills == []  # defaults for what the file does not carry


def test_blank_lines_are_skipped_without_shifting_line_numbers():
    data = csv_bytes([person("E1")]) + b"\n\n" + csv_bytes([person("E2")]).split(b"\n", 1)[1]
    assert [(row.employee_id, row.line) for row in parse_hr_file(data, PLAIN).rows] == [("E1", 2), ("E2", 5)]


# --- encoding and file-level problems ----------------------------------------------------------

def test_utf8_with_bom_is_accepted():
    data = b"\xef\xbb\xbf" + csv_bytes([person("E1", name="Zoë")])
    [row] = parse_hr_file(data, PLAIN).rows
    assert row.employee_id == "E1" and row.name == "Zoë"


def test_latin1_is_rejected_naming_the_byte_and_where_it_is():
    data = csv_bytes([person("E1"), person("E2", name="José")]).decode().encode("latin-1")
    with pytest.raises(HrFileError) as raised:
        parse_hr_file(data, PLAIN)
    offset = data.index(b"\xe9")
    assert raised.value.message == (f"the file is not UTF-8 text (byte 0xe9 at offset {offset}, line 3); "
                                    f"export it as UTF-8")
    assert raised.value.line == 3


def test_utf16_is_rejected_with_a_clear_message():
    with pytest.raises(HrFileError, match="UTF-16"):
        parse_hr_file(csv_bytes([person("E1")]).decode().encode("utf-16"), PLAIN)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n \r\n"])
def test_an_empty_file_is_rejected(data):
    with pytest.raises(HrFileError, match="the file is empty"):
        parse_hr_file(data, PLAIN)


def test_a_file_without_header_is_rejected_as_such():
    data = csv_bytes([person("E1"), person("E2")]).split(b"\n", 1)[1]
    with pytest.raises(HrFileError) as raised:
        parse_hr_file(data, PLAIN)
    assert "line 1 is not a header" in raised.value.message and raised.value.field == "employee_id"


def test_missing_columns_are_all_named():
    header = [name for name in PLAIN.columns() if name not in ("email", "skills")]
    with pytest.raises(HrFileError) as raised:
        parse_hr_file(csv_bytes([person("E1")], header=header), PLAIN)
    assert raised.value.message == "the header on line 1 lacks the column(s) 'email' (email), 'skills' (skills)"
    assert raised.value.field == "email"


def test_a_mapped_column_that_appears_twice_in_the_header_is_rejected():
    data = b"employee_id,name,EMAIL,email,time_zone\nE1,Ada,a@example.com,b@example.com,UTC\n"
    mapping = ColumnMapping.from_dict({"employee_id": "employee_id", "name": "name", "email": "email",
                                       "time_zone": "time_zone"})
    with pytest.raises(HrFileError) as raised:
        parse_hr_file(data, mapping)
    assert "more than once (columns 3, 4)" in raised.value.message and raised.value.field == "email"


def test_an_unmapped_column_may_repeat():
    data = b"employee_id,name,email,time_zone,Notes,Notes\nE1,Ada,a@example.com,UTC,x,y\n"
    mapping = ColumnMapping.from_dict({"employee_id": "employee_id", "name": "name", "email": "email",
                                       "time_zone": "time_zone"})
    assert len(parse_hr_file(data, mapping).rows) == 1


def test_an_unclosed_quote_is_a_file_error_with_its_line():
    data = csv_bytes([person("E1")]) + b'E2,"Broken name,e2@example.com\n'
    with pytest.raises(HrFileError) as raised:
        parse_hr_file(data, PLAIN)
    assert "unclosed quote" in raised.value.message


# --- row-level problems: collected with line and field ------------------------------------------

def test_a_row_with_the_wrong_number_of_cells_is_a_row_error():
    data = csv_bytes([person("E1")]) + b"E2,too,few\n"
    parsed = parse_hr_file(data, PLAIN)
    assert [row.employee_id for row in parsed.rows] == ["E1"]
    assert errors_of(parsed) == [(3, None, "the row has 3 cells where the header has 12; check for an unquoted "
                                           "separator or a missing cell")]


def test_unknown_time_zone_is_a_row_error():
    parsed = parse_hr_file(csv_bytes([person("E1", time_zone="Mars/Olympus_Mons")]), PLAIN)
    assert parsed.rows == []
    assert errors_of(parsed) == [(2, "time_zone", "unknown time zone 'Mars/Olympus_Mons'; use an IANA name such as "
                                                  "Europe/Paris or America/New_York")]


def test_unknown_skill_level_names_the_skill_and_the_levels():
    parsed = parse_hr_file(csv_bytes([person("E1", skills="SQL:advanced; Python:guru")]), PLAIN)
    assert errors_of(parsed) == [(2, "skills", "unknown skill level 'guru' for Python; levels are beginner, "
                                               "intermediate, advanced, expert")]


def test_a_skill_without_a_level_names_the_skill():
    parsed = parse_hr_file(csv_bytes([person("E1", skills="Python")]), PLAIN)
    [(line, field, message)] = errors_of(parsed)
    assert (line, field) == (2, "skills") and message.startswith("skill Python has no level")


def test_a_skill_with_two_levels_is_an_error():
    parsed = parse_hr_file(csv_bytes([person("E1", skills="Python:expert, python:beginner")]), PLAIN)
    assert errors_of(parsed)[0][1] == "skills"


@pytest.mark.parametrize("field, value, expected", [
    ("email", "not-an-email", "'not-an-email' is not an email address"),
    ("email", "", "email is required"),
    ("name", "   ", "name is required"),
    ("employee_id", "", "employee id is required"),
    ("employee_id", "E" * 65, "employee id is longer than 64 characters"),
    ("title", "x" * 201, "longer than 200 characters"),
    ("seniority_band", "11", "seniority band must be a whole number from 1 to 10, got '11'"),
    ("seniority_band", "senior", "seniority band must be a whole number from 1 to 10, got 'senior'"),
    ("languages", "en; English (UK)", "'English (UK)' is not a language tag such as en or pt-br"),
])
def test_invalid_cells_are_row_errors_naming_the_field(field, value, expected):
    parsed = parse_hr_file(csv_bytes([person("E1", **{field: value})]), PLAIN)
    assert errors_of(parsed) == [(2, field, expected)]


def test_every_problem_of_a_row_is_reported_not_only_the_first():
    parsed = parse_hr_file(csv_bytes([person("E1", email="nope", time_zone="Nowhere", status="retired")]), PLAIN)
    assert [field for _, field, _ in errors_of(parsed)] == ["email", "time_zone", "status"]


@pytest.mark.parametrize("word, status", [
    ("Active", "active"), ("A", "active"), ("employed", "active"), ("", "active"),
    ("Leave", "on_leave"), ("On Leave", "on_leave"), ("on_leave", "on_leave"), ("LOA", "on_leave"),
    ("Terminated", "terminated"), ("INACTIVE", "terminated"), ("t", "terminated"), ("Term", "terminated"),
    ("left", "terminated"),
])
def test_hr_status_words_map_to_our_statuses(word, status):
    [row] = parse_hr_file(csv_bytes([person("E1", status=word)]), PLAIN).rows
    assert row.status == status


def test_an_unknown_status_word_is_a_row_error():
    parsed = parse_hr_file(csv_bytes([person("E1", status="retired")]), PLAIN)
    assert errors_of(parsed)[0][:2] == (2, "status") and "'retired'" in errors_of(parsed)[0][2]


def test_cells_are_normalized_the_way_the_service_stores_them():
    [row] = parse_hr_file(csv_bytes([person("E1", email="  Ada@Example.COM ", name=" Ada   Lovelace ",
                                            languages="EN, fr; en", department="", seniority_band="")]), PLAIN).rows
    assert (row.email, row.name, row.languages) == ("ada@example.com", "Ada Lovelace", ["en", "fr"])
    assert row.department is None and row.seniority_band is None


def test_a_duplicate_employee_id_is_an_error_on_each_later_line_naming_the_first():
    rows = [person("E1"), person("E12", email="a@example.com"), person("E2"),
            person("E12", email="b@example.com"), person("E12", email="c@example.com")]
    parsed = parse_hr_file(csv_bytes(rows), PLAIN)
    assert [row.employee_id for row in parsed.rows] == ["E1", "E12", "E2"]
    assert errors_of(parsed) == [(5, "employee_id", "employee id E12 already appears on line 3"),
                                 (6, "employee_id", "employee id E12 already appears on line 3")]


def test_line_numbers_stay_right_after_multi_line_cells():
    rows = [person("E1", title="Senior\nEngineer"), person("E2", location="Paris\nLa Défense\nTour 3"),
            person("E3", time_zone="Nowhere")]
    parsed = parse_hr_file(csv_bytes(rows), PLAIN)
    assert [(row.employee_id, row.line) for row in parsed.rows] == [("E1", 2), ("E2", 4)]
    assert errors_of(parsed)[0][:2] == (7, "time_zone")
    assert parsed.rejected_employee_ids == {"E3"}
