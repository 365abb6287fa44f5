"""Program reports over feedback's PostgreSQL database: the figures per cohort, per program and per
tenant, withholding below the privacy threshold, and queries that never cross tenants. Rows are
written straight into feedback's tables (the pipeline that normally fills them is not under test)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from feedback import orm
from feedback.reports import privacy
from feedback.reports.report import cohort_report, program_report, tenant_report
from mentoring_shared.db.bulk import insert_many

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
EARLIER = NOW - timedelta(days=30)


def _id() -> str:
    return str(uuid.uuid4())


class Rows:
    """Rows for feedback's tables, written in one transaction by `save`."""

    def __init__(self, tenant_id: str):
        self.tenant_id = tenant_id
        self.tables: dict[str, list[dict]] = {name: [] for name in
                                               ("programs", "pairs", "sessions", "feedback_requests", "feedback",
                                                "goals")}

    def program(self, program_id: str, threshold: int, name: str = "Leaders") -> str:
        self.tables["programs"].append({"tenant_id": self.tenant_id, "program_id": program_id, "version": 1,
                                        "name": name, "privacy_threshold": threshold, "pulse_first_after_days": 30,
                                        "pulse_every_days": 30})
        return program_id

    def pair(self, program_id: str, cohort_id: str, *, mentor_id: str | None = None, status: str = "active",
             health: str = "on_track") -> dict:
        pair = {"match_id": _id(), "tenant_id": self.tenant_id, "cohort_id": cohort_id, "program_id": program_id,
                "mentee_id": _id(), "mentor_id": mentor_id or _id(), "status": status, "confirmed_at": EARLIER,
                "ended_at": NOW if status == "ended" else None, "end_reason": None, "health": health,
                "health_reasons": [], "health_evaluated_at": NOW}
        self.tables["pairs"].append(pair)
        return pair

    def _common(self, pair: dict) -> dict:
        return {"tenant_id": self.tenant_id, "match_id": pair["match_id"], "cohort_id": pair["cohort_id"],
                "program_id": pair["program_id"]}

    def session(self, pair: dict, status: str = "completed", minutes: int = 60) -> None:
        self.tables["sessions"].append({"session_id": _id(), **self._common(pair), "starts_at": EARLIER,
                                        "minutes": minutes, "status": status, "version": 1})

    def request(self, pair: dict, *, by_mentor: bool = False, status: str = "answered", due_at: datetime = NOW,
                rating: int | None = None, recommend: int | None = None) -> None:
        author, subject = (pair["mentor_id"], pair["mentee_id"]) if by_mentor else (pair["mentee_id"],
                                                                                    pair["mentor_id"])
        direction = "mentor_to_mentee" if by_mentor else "mentee_to_mentor"
        request_id = _id()
        self.tables["feedback_requests"].append({
            "request_id": request_id, **self._common(pair), "kind": "pulse", "session_id": None, "author_id": author,
            "subject_id": subject, "direction": direction, "status": status, "created_at": EARLIER,
            "due_at": due_at})
        if status == "answered":
            self.tables["feedback"].append({
                "feedback_id": _id(), "request_id": request_id, **self._common(pair), "kind": "pulse",
                "session_id": None, "author_id": author, "subject_id": subject, "direction": direction,
                "rating": rating, "recommend": recommend, "text": None, "goal_progress": {}, "submitted_at": EARLIER,
                "editable_until": EARLIER, "version": 1, "anonymized": False})

    def goal(self, pair: dict, status: str) -> None:
        self.tables["goals"].append({"goal_id": _id(), **self._common(pair), "title": "Grow", "description": None,
                                     "target_date": NOW.date(), "status": status, "progress": 0,
                                     "created_at": EARLIER, "achieved_at": None, "version": 1})

    def answered_pairs(self, program_id: str, cohort_id: str, count: int, rating: int = 4,
                       recommend: int = 9) -> None:
        """`count` pairs, each with a completed hour and the mentee's answer."""
        for _ in range(count):
            pair = self.pair(program_id, cohort_id)
            self.session(pair)
            self.request(pair, rating=rating, recommend=recommend)

    def save(self, session: Session) -> None:
        for name, rows in self.tables.items():
            insert_many(session, orm.metadata.tables[name], rows)
        session.commit()


@pytest.fixture
def feedback_db(apps):
    runtime = apps["feedback"].extensions["runtime"]

    def open_session() -> Session:
        return runtime.sessions()
    return open_session


def save(feedback_db, rows: Rows) -> None:
    with feedback_db() as session:
        rows.save(session)


def _detailed_cohort(rows: Rows, threshold: int = 3) -> tuple[str, str]:
    """Four pairs (two mentors) whose every figure is known; see the assertions."""
    program, cohort = rows.program(_id(), threshold), _id()
    first_mentor, second_mentor = _id(), _id()
    pairs = [rows.pair(program, cohort, mentor_id=first_mentor, health="at_risk"),
             rows.pair(program, cohort, mentor_id=first_mentor),
             rows.pair(program, cohort, mentor_id=second_mentor, health="needs_check_in"),
             rows.pair(program, cohort, mentor_id=second_mentor, status="ended", health="at_risk")]
    for pair, (rating, recommend) in zip(pairs, [(5, 10), (4, 9), (3, 6), (4, 8)]):
        rows.session(pair)
        rows.request(pair, rating=rating, recommend=recommend)
    rows.session(pairs[0], "cancelled")
    rows.session(pairs[0], "no_show")
    rows.session(pairs[0], "scheduled")
    rows.request(pairs[0], by_mentor=True, status="closed", due_at=EARLIER)  # not answered
    rows.request(pairs[1], by_mentor=True, status="open", due_at=NOW + timedelta(days=2))  # not yet due
    rows.request(pairs[2], by_mentor=True, status="open", due_at=NOW - timedelta(days=1))  # overdue
    for status in ("achieved", "open", "dropped"):
        rows.goal(pairs[0], status)
    return program, cohort


def test_a_cohort_report_has_every_figure(feedback_db, tenant):
    rows = Rows(tenant)
    program, cohort = _detailed_cohort(rows)
    save(feedback_db, rows)
    with feedback_db() as session:
        report = cohort_report(session, tenant, cohort, NOW)
    assert report["report"] == "cohort" and report["program_id"] == program and report["privacy_threshold"] == 3
    assert report["total"] is None
    [group] = report["groups"]
    assert group["participation"] == {"pairs": 4, "active_pairs": 3, "ended_pairs": 1, "mentees": 4, "mentors": 2}
    assert group["sessions"] == {"completed": 4, "cancelled": 1, "no_show": 1, "scheduled": 1,
                                 "completion_rate": 0.667}
    assert group["mentoring_hours"] == 4.0
    assert group["pairs_at_risk"] == 1  # the ended pair's health no longer counts
    assert group["goals"] == {"total": 3, "achieved": 1, "dropped": 1, "achieved_rate": 0.333}
    # due: 4 answered, 1 closed, 1 overdue (the one due in two days is not a non-response yet)
    assert group["response_rate"] == {"value": 0.667, "answered": 4, "due": 6, "requests": 7, "respondents": 6,
                                      "withheld": None}
    assert group["average_rating"] == {"value": 4.0, "ratings": 4, "respondents": 4, "withheld": None}
    nps = group["nps"]
    assert (nps["value"], nps["promoters"], nps["detractors"], nps["responses"], nps["respondents"]) == \
        (25.0, 2, 1, 4, 4)


def test_below_the_programs_threshold_answer_figures_are_withheld_and_counts_stay(feedback_db, tenant):
    rows = Rows(tenant)
    _, cohort = _detailed_cohort(rows, threshold=5)  # four pairs
    program, few_raters = rows.program(_id(), 5), _id()
    rows.answered_pairs(program, few_raters, 2)
    for _ in range(6):  # six more pairs whose mentees were asked and did not answer
        pair = rows.pair(program, few_raters)
        rows.request(pair, status="closed", due_at=EARLIER)
    save(feedback_db, rows)
    with feedback_db() as session:
        [small] = cohort_report(session, tenant, cohort, NOW)["groups"]
        [quiet] = cohort_report(session, tenant, few_raters, NOW)["groups"]
    for name in privacy.ANSWER_FIGURES:
        assert small[name]["value"] is None and small[name]["withheld"] == "fewer than 5 pairs"
    assert small["sessions"]["completed"] == 4 and small["participation"]["pairs"] == 4
    assert quiet["average_rating"]["value"] is None
    assert quiet["average_rating"]["withheld"] == "fewer than 5 respondents"
    assert quiet["nps"]["withheld"] == "fewer than 5 respondents"
    assert quiet["response_rate"]["value"] == 0.25 and quiet["response_rate"]["respondents"] == 8  # 8 asked


def test_a_program_report_has_each_cohort_and_the_program_and_hides_what_subtraction_would_reveal(
        feedback_db, tenant):
    rows = Rows(tenant)
    program = rows.program(_id(), 5)
    first, second, tiny = sorted(_id() for _ in range(3))
    rows.answered_pairs(program, first, 10, rating=5, recommend=10)
    rows.answered_pairs(program, second, 12, rating=3, recommend=5)
    rows.answered_pairs(program, tiny, 3, rating=1, recommend=0)
    save(feedback_db, rows)
    with feedback_db() as session:
        report = program_report(session, tenant, program, NOW)
    groups = {group["id"]: group for group in report["groups"]}
    assert set(groups) == {first, second, tiny} and report["total"]["kind"] == "program"
    assert report["total"]["participation"]["pairs"] == 25 and report["total"]["mentoring_hours"] == 25.0
    assert report["total"]["average_rating"]["value"] == round((50 + 36 + 3) / 25, 2)
    assert report["total"]["nps"]["value"] == round(100 * (10 - 15) / 25, 1)
    assert groups[tiny]["average_rating"]["withheld"] == "fewer than 5 pairs"
    # with the total and both other cohorts shown, the tiny cohort's figure would follow
    assert groups[first]["average_rating"]["withheld"] == privacy.COMPLEMENTARY_NOTE
    assert groups[second]["average_rating"]["value"] == 3.0
    assert groups[tiny]["sessions"]["completed"] == 3


def test_a_tenant_report_compares_programs_under_the_strictest_threshold(feedback_db, tenant):
    rows = Rows(tenant)
    lenient, strict, third = rows.program(_id(), 3, "A"), rows.program(_id(), 8, "B"), rows.program(_id(), 3, "C")
    rows.answered_pairs(lenient, _id(), 6, rating=5)
    rows.answered_pairs(strict, _id(), 7, rating=2)
    rows.answered_pairs(third, _id(), 10, rating=4)
    rows.answered_pairs(third, _id(), 10, rating=4)
    save(feedback_db, rows)
    with feedback_db() as session:
        report = tenant_report(session, tenant, NOW)
    assert report["privacy_threshold"] == 8 and report["total"]["kind"] == "tenant"
    groups = {group["id"]: group for group in report["groups"]}
    assert [group["program_name"] for group in report["groups"]] == ["A", "B", "C"]
    assert groups[strict]["average_rating"]["withheld"] == "fewer than 8 pairs"
    assert groups[lenient]["privacy_threshold"] == 3
    # 7 withheld respondents < 8: the smallest shown program (A, 6) is withheld as well
    assert groups[lenient]["average_rating"]["withheld"] == privacy.COMPLEMENTARY_NOTE
    assert groups[third]["average_rating"]["value"] == 4.0
    assert report["total"]["average_rating"]["value"] == round((30 + 14 + 80) / 33, 2)
    assert report["total"]["participation"]["pairs"] == 33


def test_reports_never_cross_tenants(feedback_db, tenant):
    other = f"tenant-{uuid.uuid4().hex[:12]}"
    mine, theirs = Rows(tenant), Rows(other)
    program, cohort = mine.program(_id(), 3), _id()
    mine.answered_pairs(program, cohort, 4, rating=5)
    theirs.program(program, 3)  # the same ids in another tenant
    theirs.answered_pairs(program, cohort, 9, rating=1)
    save(feedback_db, mine)
    save(feedback_db, theirs)
    with feedback_db() as session:
        for report in (cohort_report(session, tenant, cohort, NOW), program_report(session, tenant, program, NOW),
                       tenant_report(session, tenant, NOW)):
            figures = report["total"] or report["groups"][0]
            assert figures["participation"]["pairs"] == 4 and figures["average_rating"]["value"] == 5.0
        assert cohort_report(session, other, cohort, NOW)["groups"][0]["average_rating"]["value"] == 1.0
        unknown = f"tenant-{uuid.uuid4().hex[:12]}"
        assert cohort_report(session, unknown, cohort, NOW) is None
        assert program_report(session, unknown, program, NOW) is None
        assert tenant_report(session, unknown, NOW) is None


def test_the_same_queries_give_the_same_report_on_sqlite(feedback_db, tenant):
    rows = Rows(tenant)
    _, cohort = _detailed_cohort(rows)
    save(feedback_db, rows)
    engine = create_engine("sqlite://")
    orm.metadata.create_all(engine)
    with Session(engine) as session:
        rows.save(session)
        on_sqlite = cohort_report(session, tenant, cohort, NOW)
    with feedback_db() as session:
        on_postgresql = cohort_report(session, tenant, cohort, NOW)
    assert on_sqlite == on_postgresql
