"""In-memory stand-ins for feedback's repositories: the same public methods, with the same names and
signatures, over dicts and lists, so handlers run in a unit test with no database
(`test_fakes_match_the_repositories` keeps them in step). `feedback_uow()` gives a FakeUnitOfWork
with one of each, named as on FeedbackUnitOfWork (`uow.pairs`, `uow.goals`, ...)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from feedback.domain.goals import CheckIn, Goal, Milestone, Pair
from feedback.domain.submissions import OPEN, Feedback, FeedbackRequest
from feedback.health import HealthRules, PairFacts
from mentoring_shared.contracts.profiles import ERASED_PERSON_NAME
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import ERASED_STATUS, GONE_STATUSES
from mentoring_testing.fake_unit_of_work import FakeUnitOfWork

_PAIR_FIELDS = ("match_id", "tenant_id", "cohort_id", "program_id", "mentee_id", "mentor_id", "status")


def _newer(held: dict | None, row: dict) -> bool:
    return held is None or held["version"] < row["version"]


class FakePeopleRepository:
    def __init__(self, people: Iterable[dict[str, Any]] = ()):
        self.rows: dict[tuple[str, str], dict[str, Any]] = {
            (person["tenant_id"], person["person_id"]): dict(person) for person in people}

    def person(self, tenant_id: str, person_id: str) -> dict[str, Any] | None:
        return self.rows.get((tenant_id, person_id))

    def record_erasure(self, event: Envelope) -> None:
        key = (event.tenant_id, event.data["person_id"])
        row = {"tenant_id": event.tenant_id, "person_id": event.data["person_id"], "version": event.data["version"],
               "name": ERASED_PERSON_NAME, "status": ERASED_STATUS}
        if _newer(self.rows.get(key), row):
            self.rows[key] = row

    def is_stale_event(self, tenant_id: str, data: dict[str, Any]) -> bool:
        held = self.rows.get((tenant_id, data["person_id"]))
        return held is not None and data.get("version") is not None and data["version"] < held["version"]

    def gone_among(self, tenant_id: str, person_ids: Iterable[str]) -> set[str]:
        return {person_id for person_id in person_ids
                if self.rows.get((tenant_id, person_id), {}).get("status") in GONE_STATUSES}


class FakeProgramsRepository:
    def __init__(self, programs: Iterable[dict[str, Any]] = ()):
        self.rows: dict[tuple[str, str], dict[str, Any]] = {
            (program["tenant_id"], program["program_id"]): dict(program) for program in programs}
        self.overrides: dict[tuple[str, str], dict[str, Any]] = {}

    def apply_snapshot(self, program: dict[str, Any]) -> bool:
        key = (program["tenant_id"], program["program_id"])
        if not _newer(self.rows.get(key), program):
            return False
        self.rows[key] = dict(program)
        return True

    def known(self, tenant_id: str, program_id: str) -> bool:
        return (tenant_id, program_id) in self.rows

    def health_overrides(self, tenant_id: str, program_id: str) -> dict[str, Any]:
        return self.overrides.get((tenant_id, program_id), {})

    def all_health_overrides(self) -> dict[tuple[str, str], dict[str, Any]]:
        return dict(self.overrides)

    def set_health_overrides(self, tenant_id: str, program_id: str, overrides: dict[str, Any], now: datetime,
                             by: str) -> None:
        if overrides:
            self.overrides[(tenant_id, program_id)] = overrides
        else:
            self.overrides.pop((tenant_id, program_id), None)


class FakePairsRepository:
    """Pairs as the rows of feedback's pairs table. `facts` (by match id) stands in for what the
    health facts query would find; a pair without any has had nothing happen since its match."""

    def __init__(self, pairs: Iterable[dict[str, Any]] = (), programs: FakeProgramsRepository | None = None):
        self.rows: dict[str, dict[str, Any]] = {pair["match_id"]: dict(pair) for pair in pairs}
        self.programs = programs or FakeProgramsRepository()
        self.facts: dict[str, PairFacts] = {}

    def pair(self, tenant_id: str, match_id: str) -> Pair | None:
        row = self.pair_with_health(tenant_id, match_id)
        return None if row is None else Pair(**{name: row[name] for name in _PAIR_FIELDS})

    def pair_with_health(self, tenant_id: str, match_id: str) -> dict[str, Any] | None:
        row = self.rows.get(match_id)
        return row if row is not None and row["tenant_id"] == tenant_id else None

    def pairs_of_person(self, tenant_id: str, person_id: str) -> list[dict[str, Any]]:
        return sorted((row for row in self.rows.values() if row["tenant_id"] == tenant_id
                       and person_id in (row["mentee_id"], row["mentor_id"])),
                      key=lambda row: (row["confirmed_at"], row["match_id"]))

    def add_confirmed(self, tenant_id: str, match: dict[str, Any]) -> bool:
        return self._add_if_absent({**self._pair_of(tenant_id, match), "status": "active",
                                    "confirmed_at": match["confirmed_at"], "match_version": match["version"]})

    def record_end(self, tenant_id: str, match: dict[str, Any]) -> bool:
        ended = {"status": "ended", "ended_at": match["ended_at"], "end_reason": match["reason"],
                 "match_version": match["version"]}
        held = self.rows.get(match["match_id"])
        if held is not None and held["tenant_id"] == tenant_id and held["match_version"] < match["version"]:
            held.update(ended)
            return True
        return self._add_if_absent({**self._pair_of(tenant_id, match), "confirmed_at": match["ended_at"], **ended})

    def _add_if_absent(self, row: dict[str, Any]) -> bool:
        if row["match_id"] in self.rows:
            return False
        self.rows[row["match_id"]] = {"health": "on_track", "health_reasons": [], "health_evaluated_at": None,
                                      "health_version": 0, "ended_at": None, "end_reason": None, **row}
        return True

    @staticmethod
    def _pair_of(tenant_id: str, match: dict[str, Any]) -> dict[str, Any]:
        return {"match_id": match["match_id"], "tenant_id": tenant_id, "cohort_id": match["cohort_id"],
                "program_id": match["program_id"], "mentee_id": match["mentee_id"], "mentor_id": match["mentor_id"]}

    def pairs_of_cohort(self, tenant_id: str, cohort_id: str, *, limit: int, after: str | None,
                        health: str | None, status: str | None) -> list[dict[str, Any]]:
        found = [row for match_id, row in sorted(self.rows.items())
                 if row["tenant_id"] == tenant_id and row["cohort_id"] == cohort_id
                 and (not health or row["health"] == health) and (not status or row["status"] == status)
                 and (not after or match_id > after)]
        return found[:limit]

    def active_pairs_for_update(self) -> Sequence[Mapping[str, Any]]:
        return [dict(row) for _, row in sorted(self.rows.items()) if row["status"] == "active"]

    def active_pairs_with_pulse_schedule_for_update(self) -> Sequence[Mapping[str, Any]]:
        schedules = self.programs.rows
        return [{**row, "pulse_first_after_days": schedules[key]["pulse_first_after_days"],
                 "pulse_every_days": schedules[key]["pulse_every_days"]}
                for row in self.active_pairs_for_update()
                if (key := (row["tenant_id"], row["program_id"])) in schedules]

    def health_facts(self, pairs: Sequence[Mapping[str, Any]], rules: HealthRules, now: datetime) -> list[PairFacts]:
        return [self.facts.get(pair["match_id"]) or PairFacts(pair["match_id"], pair["confirmed_at"])
                for pair in pairs]

    def save_health_verdicts(self, verdicts: list[dict[str, Any]], now: datetime) -> None:
        for verdict in verdicts:
            row = self.rows[verdict["match_id"]]
            row.update(health=verdict["health"], health_reasons=verdict["health_reasons"], health_evaluated_at=now,
                       health_version=row["health_version"] + 1)


class FakeMentoringSessionsRepository:
    def __init__(self):
        self.rows: dict[str, dict[str, Any]] = {}

    def apply_snapshot(self, session: dict[str, Any]) -> bool:
        if not _newer(self.rows.get(session["session_id"]), session):
            return False
        self.rows[session["session_id"]] = dict(session)
        return True


class FakeSubmissionsRepository:
    def __init__(self, requests: Iterable[FeedbackRequest] = (), feedback: Iterable[Feedback] = ()):
        self.requests_by_id: dict[str, FeedbackRequest] = {request.id: request for request in requests}
        self.feedback_by_id: dict[str, Feedback] = {given.id: given for given in feedback}

    def add_requests(self, requests: list[FeedbackRequest]) -> None:
        self.requests_by_id.update((request.id, request) for request in requests)

    def save_request(self, request: FeedbackRequest) -> None:
        held = self.requests_by_id[request.id]
        self.requests_by_id[request.id] = replace(held, status=request.status)

    def request(self, tenant_id: str, request_id: str, for_update: bool = False) -> FeedbackRequest | None:
        found = self.requests_by_id.get(request_id)
        return found if found is not None and found.tenant_id == tenant_id else None

    def requests(self, tenant_id: str, *, limit: int, after: str | None, author_id: str | None,
                 status: str | None) -> list[FeedbackRequest]:
        return [request for request_id, request in sorted(self.requests_by_id.items())
                if request.tenant_id == tenant_id and (not author_id or request.author_id == author_id)
                and (not status or request.status == status) and (not after or request_id > after)][:limit]

    def requests_addressed_to(self, tenant_id: str, person_id: str) -> list[FeedbackRequest]:
        return sorted((request for request in self.requests_by_id.values()
                       if request.tenant_id == tenant_id and request.author_id == person_id),
                      key=lambda request: (request.created_at, request.id))

    def has_requests_for_session(self, tenant_id: str, session_id: str) -> bool:
        return any(request.tenant_id == tenant_id and request.session_id == session_id
                   for request in self.requests_by_id.values())

    def close_open_requests(self, tenant_id: str, person_id: str, *, about_them_too: bool) -> int:
        closing = [request for request in self.requests_by_id.values()
                   if request.tenant_id == tenant_id and request.status == OPEN
                   and (request.author_id == person_id or (about_them_too and request.subject_id == person_id))]
        for request in closing:
            self.requests_by_id[request.id] = replace(request, status="closed")
        return len(closing)

    def last_pulse_asked_of_active_pairs(self) -> dict[str, datetime]:
        last: dict[str, datetime] = {}
        for request in self.requests_by_id.values():
            if request.kind == "pulse":
                last[request.match_id] = max(request.created_at, last.get(request.match_id, request.created_at))
        return last

    def add_feedback(self, given: Feedback) -> None:
        self.feedback_by_id[given.id] = given

    def save_feedback(self, given: Feedback) -> None:
        self.feedback_by_id[given.id] = given

    def feedback(self, tenant_id: str, feedback_id: str, for_update: bool = False) -> Feedback | None:
        found = self.feedback_by_id.get(feedback_id)
        return found if found is not None and found.tenant_id == tenant_id else None

    def feedback_involving(self, tenant_id: str, person_id: str) -> list[Feedback]:
        return [given for given in self.feedback_by_id.values()
                if given.tenant_id == tenant_id and person_id in (given.author_id, given.subject_id)]

    def feedback_given_by(self, tenant_id: str, person_id: str) -> list[Feedback]:
        return sorted((given for given in self.feedback_by_id.values()
                       if given.tenant_id == tenant_id and given.author_id == person_id),
                      key=lambda given: (given.submitted_at, given.id))


class FakeGoalsRepository:
    def __init__(self, goals: Iterable[Goal] = (), milestones: Iterable[Milestone] = (),
                 check_ins: Iterable[CheckIn] = ()):
        self.goals_by_id: dict[str, Goal] = {goal.id: goal for goal in goals}
        self.milestones_by_id: dict[str, Milestone] = {milestone.id: milestone for milestone in milestones}
        self.check_ins_by_id: dict[str, CheckIn] = {check_in.id: check_in for check_in in check_ins}

    def add_goal(self, goal: Goal, milestones: list[Milestone]) -> None:
        self.goals_by_id[goal.id] = goal
        self.milestones_by_id.update((milestone.id, milestone) for milestone in milestones)

    def save_goal(self, goal: Goal) -> None:
        self.goals_by_id[goal.id] = goal

    def goal(self, tenant_id: str, goal_id: str, for_update: bool = False) -> Goal | None:
        found = self.goals_by_id.get(goal_id)
        return found if found is not None and found.tenant_id == tenant_id else None

    def goals_of_pair(self, tenant_id: str, match_id: str) -> list[Goal]:
        return [goal for _, goal in sorted(self.goals_by_id.items())
                if goal.tenant_id == tenant_id and goal.match_id == match_id]

    def add_milestone(self, milestone: Milestone) -> None:
        self.milestones_by_id[milestone.id] = milestone

    def save_milestone(self, milestone: Milestone) -> None:
        self.milestones_by_id[milestone.id] = milestone

    def milestone(self, tenant_id: str, milestone_id: str, for_update: bool = False) -> Milestone | None:
        found = self.milestones_by_id.get(milestone_id)
        return found if found is not None and found.tenant_id == tenant_id else None

    def milestones_of_goals(self, tenant_id: str, goal_ids: list[str]) -> dict[str, list[Milestone]]:
        found: dict[str, list[Milestone]] = {goal_id: [] for goal_id in goal_ids}
        for _, milestone in sorted(self.milestones_by_id.items()):
            if milestone.tenant_id == tenant_id and milestone.goal_id in found:
                found[milestone.goal_id].append(milestone)
        return found

    def check_ins_of_pair(self, tenant_id: str, match_id: str) -> list[CheckIn]:
        return sorted((check_in for check_in in self.check_ins_by_id.values()
                       if check_in.tenant_id == tenant_id and check_in.match_id == match_id),
                      key=lambda check_in: check_in.due_on)

    def add_check_ins(self, check_ins: list[CheckIn]) -> None:
        self.check_ins_by_id.update((check_in.id, check_in) for check_in in check_ins)

    def check_in(self, tenant_id: str, check_in_id: str, for_update: bool = False) -> CheckIn | None:
        found = self.check_ins_by_id.get(check_in_id)
        return found if found is not None and found.tenant_id == tenant_id else None

    def save_check_in(self, check_in: CheckIn) -> None:
        self.check_ins_by_id[check_in.id] = check_in


FAKES = {"people": FakePeopleRepository, "programs": FakeProgramsRepository, "pairs": FakePairsRepository,
         "mentoring_sessions": FakeMentoringSessionsRepository, "submissions": FakeSubmissionsRepository,
         "goals": FakeGoalsRepository}


def feedback_uow(**repositories: Any) -> FakeUnitOfWork:
    """A fake unit of work with every feedback repository: the ones given, empty fakes for the rest
    (the pairs fake reads its pulse schedules from the programs fake)."""
    programs = repositories.setdefault("programs", FakeProgramsRepository())
    repositories.setdefault("pairs", FakePairsRepository(programs=programs))
    for name, fake in FAKES.items():
        repositories.setdefault(name, fake())
    return FakeUnitOfWork(source="/feedback", **repositories)
