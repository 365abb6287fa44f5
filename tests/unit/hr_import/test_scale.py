"""100,000 rows parse and plan in one pass each (no timing assertion; the benchmark measures time)."""

from profiles.hr_import import parse_hr_file, plan_file
from tests.unit.hr_import.support import PLAIN, applied, csv_bytes, person


def generated_rows(size: int, teams: int = 1_000) -> list[dict[str, object]]:
    # a manager per team listed after its reports; managers report to a CEO on the last line
    rows = [person(f"E{i}", manager_employee_id=f"M{i % teams}", languages="en; fr",
                   skills="Python:expert; SQL:advanced") for i in range(size - teams - 1)]
    rows += [person(f"M{t}", manager_employee_id="CEO", department=f"Team {t}") for t in range(teams)]
    rows.append(person("CEO"))
    return rows


def test_100k_rows_parse_and_plan_and_reimport_as_unchanged():
    data = csv_bytes(generated_rows(100_000))
    parsed = parse_hr_file(data, PLAIN)
    first = plan_file(parsed, {})
    assert first.ok and len(first.creates) == 100_000
    again = plan_file(parse_hr_file(data, PLAIN), applied(first.creates))
    assert again.summary()["unchanged"] == 100_000 and again.ok
