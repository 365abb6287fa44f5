"""Program reports without a database: the privacy rule, NPS arithmetic, the CSV export."""

import csv
import io

import pytest

from feedback.reports import privacy
from feedback.reports.csv_export import report_csv, safe_cell
from feedback.reports.queries import complete


def counts(**overrides):
    base = complete({"pairs": 20, "mentees": 20, "mentors": 10, "active_pairs": 18, "ended_pairs": 2,
                     "pairs_at_risk": 3, "sessions_completed": 30, "sessions_cancelled": 6, "sessions_no_show": 4,
                     "sessions_scheduled": 10, "completed_minutes": 1350, "requests": 50, "requests_due": 40,
                     "requests_answered": 30, "requests_due_authors": 25, "ratings": 30, "rating_sum": 120,
                     "rating_respondents": 20, "recommend_responses": 10, "promoters": 5, "detractors": 2,
                     "recommend_respondents": 10, "goals": 8, "goals_achieved": 3, "goals_dropped": 1})
    base.update(overrides)
    return base


@pytest.mark.parametrize("promoters, detractors, responses, expected", [
    (5, 2, 10, 30.0), (0, 10, 10, -100.0), (10, 0, 10, 100.0), (1, 1, 3, 0.0), (2, 1, 3, 33.3), (0, 0, 0, None)])
def test_nps_is_promoters_minus_detractors_as_a_percentage_of_responses(promoters, detractors, responses, expected):
    assert privacy.net_promoter_score(promoters, detractors, responses) == expected


def test_figures_from_counts():
    figures = privacy.group_figures(counts(), threshold=5)
    assert figures["sessions"]["completion_rate"] == 0.75  # 30 / (30 + 6 + 4); scheduled ones do not count
    assert figures["mentoring_hours"] == 22.5
    assert figures["response_rate"] == {"value": 0.75, "answered": 30, "due": 40, "requests": 50,
                                        "respondents": 25, "withheld": None}
    assert figures["average_rating"]["value"] == 4.0
    assert figures["nps"]["value"] == 30.0 and figures["nps"]["promoters_percent"] == 50.0
    assert figures["goals"]["achieved_rate"] == 0.375 and figures["pairs_at_risk"] == 3


def test_an_answer_figure_from_fewer_respondents_than_the_threshold_is_withheld_with_its_parts():
    figures = privacy.group_figures(counts(recommend_respondents=4), threshold=5)
    assert figures["nps"]["value"] is None and figures["nps"]["promoters"] is None
    assert figures["nps"]["withheld"] == "fewer than 5 respondents"
    assert figures["nps"]["respondents"] == 4  # how many took part is not what they said
    assert figures["average_rating"]["withheld"] is None and figures["average_rating"]["value"] == 4.0


def test_exactly_the_threshold_is_enough():
    figures = privacy.group_figures(counts(recommend_respondents=5, rating_respondents=5), threshold=5)
    assert figures["nps"]["value"] == 30.0 and figures["average_rating"]["value"] == 4.0


def test_a_group_with_fewer_pairs_than_the_threshold_withholds_every_answer_figure_but_keeps_counts():
    figures = privacy.group_figures(counts(pairs=4), threshold=5)
    for name in privacy.ANSWER_FIGURES:
        assert figures[name]["value"] is None and figures[name]["withheld"] == "fewer than 5 pairs"
    assert figures["response_rate"]["answered"] is None
    assert figures["sessions"]["completed"] == 30 and figures["participation"]["pairs"] == 4


def test_the_programs_threshold_applies():
    assert privacy.group_figures(counts(), threshold=21)["average_rating"]["withheld"] == "fewer than 21 pairs"
    assert privacy.group_figures(counts(pairs=30), threshold=21)["average_rating"]["withheld"] == \
        "fewer than 21 respondents"


def test_a_withheld_group_cannot_be_worked_out_from_the_total_and_the_other_groups():
    small = privacy.group_figures(counts(rating_respondents=3), threshold=5)
    medium = privacy.group_figures(counts(rating_respondents=6), threshold=5)
    large = privacy.group_figures(counts(rating_respondents=40), threshold=5)
    total = privacy.group_figures(counts(rating_respondents=49), threshold=5)
    privacy.suppress_complementary([large, small, medium], total, 5)
    assert small["average_rating"]["withheld"] == "fewer than 5 respondents"
    assert medium["average_rating"]["withheld"] == privacy.COMPLEMENTARY_NOTE  # 3 + 6 >= 5: enough
    assert large["average_rating"]["value"] == 4.0 and total["average_rating"]["value"] == 4.0
    assert medium["nps"]["withheld"] is None  # nothing withheld for NPS, nothing more hidden


def test_nothing_more_is_hidden_when_no_group_is_withheld():
    groups = [privacy.group_figures(counts(), threshold=5) for _ in range(3)]
    privacy.suppress_complementary(groups, privacy.group_figures(counts(), threshold=5), 5)
    assert all(group[name]["withheld"] is None for group in groups for name in privacy.ANSWER_FIGURES)


def _report(name="Leaders", **overrides):
    group = {"kind": "cohort", "id": "c1", "program_id": "p1", "program_name": name, "privacy_threshold": 5,
             **privacy.group_figures(counts(**overrides), threshold=5)}
    return {"report": "cohort", "groups": [group], "total": None}


def test_csv_has_one_row_per_group_with_crlf_line_ends_and_empty_withheld_cells():
    text = report_csv(_report(recommend_respondents=2))
    assert text.endswith("\r\n") and text.count("\r\n") == 2
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(row)[-1] == "withheld"
    assert row["nps"] == "" and row["nps_respondents"] == "2"
    assert row["withheld"] == "nps: fewer than 5 respondents"
    assert row["average_rating"] == "4.0" and row["mentoring_hours"] == "22.5"


def test_csv_quotes_commas_quotes_and_line_breaks_as_rfc_4180_says():
    text = report_csv(_report(name='Lead, "grow"\nrepeat'))
    assert '"Lead, ""grow""\nrepeat"' in text
    assert list(csv.DictReader(io.StringIO(text, newline="")))[0]["program_name"] == 'Lead, "grow"\nrepeat'


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd"])
def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_prefixed(name):
    row = list(csv.DictReader(io.StringIO(report_csv(_report(name=name)), newline="")))[0]
    assert row["program_name"] == "'" + name


def test_negative_numbers_keep_their_sign():
    assert safe_cell(-40.0) == -40.0 and safe_cell("-40") == "'-40" and safe_cell(None) == ""
    row = list(csv.DictReader(io.StringIO(report_csv(_report(promoters=0, detractors=4)), newline="")))[0]
    assert row["nps"] == "-40.0"
