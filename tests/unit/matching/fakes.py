"""In-memory repositories with the public methods of matching's real ones (same names and
signatures), and a fake unit of work holding them, for handler tests with no database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from matching.domain.matches import Match
from matching.domain.requests import OPEN, MatchRequest
from matching.domain.runs import MatchingRun
from matching.repositories.cohorts import CohortView
from matching.repositories.enrollments import NOTHING_PERSONAL, EnrollmentView
from matching.repositories.people import ProfileView
from matching.repositories.programs import ProgramView
from mentoring_shared.event_order import is_stale
from mentoring_shared.messaging.envelope import Envelope
from mentoring_testing.fake_unit_of_work import FakeUnitOfWork


def _names(item, person_id: str) -> bool:
    if isinstance(item, dict):
        return person_id in (item["mentee_id"], item["mentor_id"])
    return person_id in (item.mentee_id, item.mentor_id)


def _scrubbed(factors: Iterable[dict]) -> tuple[dict, ...]:
    return tuple({**factor, "detail": "erased"} for factor in factors)


class FakeRunsRepository:
    def __init__(self, *runs: MatchingRun):
        self.items: dict[str, MatchingRun] = {run.id: run for run in runs}
        self.pairs_by_run: dict[str, list[dict]] = {run.id: [] for run in runs}

    def add(self, run: MatchingRun, pairs: list[dict[str, Any]]) -> None:
        self.items[run.id] = run
        self.pairs_by_run[run.id] = [{"run_id": run.id, "tenant_id": run.tenant_id, **pair} for pair in pairs]

    def save(self, run: MatchingRun) -> None:
        self.items[run.id] = run

    def supersede_proposals(self, tenant_id: str, cohort_id: str) -> None:
        for run in list(self.items.values()):
            if (run.tenant_id, run.cohort_id, run.status) == (tenant_id, cohort_id, "proposed"):
                self.items[run.id] = replace(run, status="superseded")

    def get(self, tenant_id: str, run_id: str, for_update: bool = False) -> MatchingRun | None:
        run = self.items.get(run_id)
        return run if run is not None and run.tenant_id == tenant_id else None

    def of_cohort(self, tenant_id: str, cohort_id: str, limit: int, after: str | None) -> list[MatchingRun]:
        return sorted((r for r in self.items.values() if (r.tenant_id, r.cohort_id) == (tenant_id, cohort_id)
                       and (not after or r.id > after)), key=lambda r: r.id)[:limit]

    def pairs(self, run_id: str) -> list[dict]:
        return sorted(self.pairs_by_run.get(run_id, []), key=lambda p: (p["mentee_id"], p["mentor_id"]))

    def mentees(self, run_id: str, limit: int, after: str | None) -> list[str]:
        return sorted({p["mentee_id"] for p in self.pairs(run_id) if not after or p["mentee_id"] > after})[:limit]

    def pairs_of_mentees(self, run_id: str, mentee_ids: list[str]) -> list[dict]:
        return [p for p in self.pairs(run_id) if p["mentee_id"] in mentee_ids]

    def pairs_naming(self, tenant_id: str, person_id: str) -> list[dict]:
        return [p for run_id in sorted(self.pairs_by_run) for p in self.pairs(run_id)
                if p["tenant_id"] == tenant_id and _names(p, person_id)]

    def scrub_explanations(self, tenant_id: str, person_id: str) -> None:
        for pairs in self.pairs_by_run.values():
            for pair in pairs:
                if pair["tenant_id"] == tenant_id and _names(pair, person_id):
                    pair["factors"] = list(_scrubbed(pair["factors"]))


class FakeMatchesRepository:
    def __init__(self, *matches: Match):
        self.items: dict[str, Match] = {match.id: match for match in matches}

    def add(self, matches: list[Match]) -> None:
        self.items.update((match.id, match) for match in matches)

    def save(self, match: Match) -> None:
        self.items[match.id] = match

    def get(self, tenant_id: str, match_id: str, for_update: bool = False) -> Match | None:
        match = self.items.get(match_id)
        return match if match is not None and match.tenant_id == tenant_id else None

    def _of_tenant(self, tenant_id: str) -> list[Match]:
        return sorted((m for m in self.items.values() if m.tenant_id == tenant_id), key=lambda m: m.id)

    def list(self, tenant_id: str, *, limit: int, after: str | None = None, cohort_id: str | None = None,
             person_id: str | None = None, status: str | None = None, health: str | None = None) -> list[Match]:
        return [m for m in self._of_tenant(tenant_id)
                if (not health or m.health == health) and (not cohort_id or m.cohort_id == cohort_id)
                and (not person_id or m.involves(person_id)) and (not status or m.status == status)
                and (not after or m.id > after)][:limit]

    def active_in_cohort(self, tenant_id: str, cohort_id: str, for_update: bool = False) -> list[Match]:
        return [m for m in self._of_tenant(tenant_id) if m.cohort_id == cohort_id and m.active]

    def of_person(self, tenant_id: str, person_id: str, *, active_only: bool, for_update: bool = False) -> list[Match]:
        return [m for m in self._of_tenant(tenant_id) if m.involves(person_id) and (m.active or not active_only)]

    def pairings(self, tenant_id: str) -> list[tuple[str, str, str, str]]:
        return [(m.mentee_id, m.mentor_id, m.status, m.cohort_id) for m in self._of_tenant(tenant_id)]

    def count_active_mentored_by(self, tenant_id: str, mentor_id: str) -> int:
        return sum(1 for m in self._of_tenant(tenant_id) if m.mentor_id == mentor_id and m.active)

    def count_active_mentors_of(self, tenant_id: str, cohort_id: str, mentee_id: str) -> int:
        return sum(1 for m in self._of_tenant(tenant_id)
                   if m.cohort_id == cohort_id and m.mentee_id == mentee_id and m.active)

    def record_health(self, tenant_id: str, match_id: str, health: str, reasons: list[dict[str, str]],
                      evaluated_at: datetime, version: int | None = None) -> bool:
        match = self.get(tenant_id, match_id)
        if match is None or not match.active:
            return False
        if version is None:
            newer = match.health_version == 0 and (match.health_evaluated_at is None
                                                   or match.health_evaluated_at < evaluated_at)
        else:
            newer = match.health_version < version
        if newer:
            self.items[match_id] = replace(match, health=health, health_reasons=tuple(reasons),
                                           health_evaluated_at=evaluated_at, health_version=version or 0)
        return newer

    def scrub_explanations(self, tenant_id: str, person_id: str) -> None:
        for match in self.of_person(tenant_id, person_id, active_only=False):
            self.items[match.id] = replace(match, factors=_scrubbed(match.factors))


class FakeMatchRequestsRepository:
    def __init__(self, *requests: MatchRequest):
        self.items: dict[str, MatchRequest] = {request.id: request for request in requests}

    def add(self, request: MatchRequest) -> None:
        self.items[request.id] = request

    def save(self, request: MatchRequest) -> None:
        self.items[request.id] = request

    def get(self, tenant_id: str, request_id: str, for_update: bool = False) -> MatchRequest | None:
        request = self.items.get(request_id)
        return request if request is not None and request.tenant_id == tenant_id else None

    def list(self, tenant_id: str, *, limit: int, after: str | None = None, cohort_id: str | None = None,
             person_id: str | None = None) -> list[MatchRequest]:
        return [r for r in sorted(self.items.values(), key=lambda r: r.id) if r.tenant_id == tenant_id
                and (not cohort_id or r.cohort_id == cohort_id) and (not person_id or _names(r, person_id))
                and (not after or r.id > after)][:limit]

    def open_of(self, tenant_id: str, person_id: str, now: datetime) -> list[MatchRequest]:
        return [r for r in self.involving(tenant_id, person_id) if r.status == OPEN and r.is_open(now)]

    def involving(self, tenant_id: str, person_id: str) -> list[MatchRequest]:
        return sorted((r for r in self.items.values() if r.tenant_id == tenant_id and _names(r, person_id)),
                      key=lambda r: r.id)

    def scrub_explanations(self, tenant_id: str, person_id: str) -> None:
        for request in self.involving(tenant_id, person_id):
            self.items[request.id] = replace(request, factors=_scrubbed(request.factors))


class FakePeopleRepository:
    """`people`: the replica's rows by (tenant, person); `profiles_held`: the profiles."""

    def __init__(self, tenant_id: str = "acme", *profiles: ProfileView):
        self.people: dict[tuple[str, str], dict] = {}
        self.profiles_held: dict[tuple[str, str], ProfileView] = {}
        for profile in profiles:
            self.hold(tenant_id, profile)

    def hold(self, tenant_id: str, profile: ProfileView, name: str = "Someone") -> None:
        """Test setup: a person in the replica and their profile, at the profile's version."""
        self.profiles_held[(tenant_id, profile.person_id)] = profile
        self.people[(tenant_id, profile.person_id)] = {
            "tenant_id": tenant_id, "person_id": profile.person_id, "name": name, "status": profile.status,
            "version": profile.version, "employee_id": profile.employee_id}

    def is_stale_event(self, tenant_id: str, data: dict) -> bool:
        held = self.people.get((tenant_id, data["person_id"]))
        return is_stale(data.get("version"), held["version"] if held else None)

    def erase(self, event: Envelope) -> None:
        key, version = (event.tenant_id, event.data["person_id"]), event.data["version"]
        held = self.people.get(key)
        if held is None or held["version"] < version:
            self.people[key] = {"tenant_id": key[0], "person_id": key[1], "name": "Erased person",
                                "status": "erased", "version": version, "employee_id": None}
        profile = self.profiles_held.get(key)
        if profile is None or profile.version < version:
            self.profiles_held[key] = ProfileView(key[1], version, None, None, None, "erased", {})

    def profiles(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, ProfileView]:
        return {person_id: self.profiles_held[(tenant_id, person_id)] for person_id in set(person_ids)
                if (tenant_id, person_id) in self.profiles_held}

    def profile(self, tenant_id: str, person_id: str) -> ProfileView | None:
        return self.profiles(tenant_id, [person_id]).get(person_id)

    def reporting_lines(self, tenant_id: str) -> dict[str, str | None]:
        return {p.employee_id: p.manager_employee_id for (tenant, _), p in self.profiles_held.items()
                if tenant == tenant_id and p.employee_id is not None}

    def person_row(self, tenant_id: str, person_id: str) -> dict | None:
        return self.people.get((tenant_id, person_id))

    def profile_row(self, tenant_id: str, person_id: str) -> dict | None:
        profile = self.profiles_held.get((tenant_id, person_id))
        return None if profile is None else {"tenant_id": tenant_id, **profile.__dict__}


class _Snapshots:
    """Rows by key, each kept unless a newer version is held (as NewerSnapshotUpsert)."""

    key: tuple[str, ...]

    def __init__(self) -> None:
        self.rows: dict[tuple, dict[str, Any]] = {}

    def store(self, row: dict[str, Any]) -> bool:
        key = tuple(row[name] for name in self.key)
        held = self.rows.get(key)
        if held is not None and held["version"] >= row["version"]:
            return False
        self.rows[key] = dict(row)
        return True


class FakeCohortsRepository(_Snapshots):
    key = ("tenant_id", "cohort_id")

    def get(self, tenant_id: str, cohort_id: str) -> CohortView | None:
        row = self.rows.get((tenant_id, cohort_id))
        return None if row is None else CohortView(row["cohort_id"], row["program_id"], row["name"], row["status"],
                                                   row["version"], row.get("starts_on"))

    def holds_newer_than(self, tenant_id: str, cohort_id: str, version: int) -> bool:
        row = self.rows.get((tenant_id, cohort_id))
        return is_stale(version, row["version"] if row else None)

    def change_status(self, tenant_id: str, cohort_id: str, status: str, version: int) -> None:
        row = self.rows.get((tenant_id, cohort_id))
        if row is not None and row["version"] < version:
            row.update(status=status, version=version)


class FakeProgramsRepository(_Snapshots):
    key = ("tenant_id", "program_id")

    def get(self, tenant_id: str, program_id: str) -> ProgramView | None:
        row = self.rows.get((tenant_id, program_id))
        return None if row is None else ProgramView(row["program_id"], row["name"], row["type"],
                                                    dict(row["matching_weights"]), row["meeting_minutes"],
                                                    row["version"])


class FakeEnrollmentsRepository(_Snapshots):
    key = ("tenant_id", "enrollment_id")

    def _views(self, tenant_id: str, **wanted: str) -> list[EnrollmentView]:
        return [EnrollmentView(r["enrollment_id"], r["cohort_id"], r["person_id"], r["role"], r["status"],
                               r["version"], tuple(r["goals"]), r["goals_text"], dict(r["preferences"]),
                               r["mentors_wanted"])
                for key, r in sorted(self.rows.items())
                if r["tenant_id"] == tenant_id and all(r[name] == value for name, value in wanted.items())]

    def of_cohort(self, tenant_id: str, cohort_id: str) -> list[EnrollmentView]:
        return self._views(tenant_id, cohort_id=cohort_id)

    def of_person(self, tenant_id: str, person_id: str) -> list[EnrollmentView]:
        return self._views(tenant_id, person_id=person_id)

    def forget_personal_details_of(self, tenant_id: str, person_id: str) -> None:
        for row in self.rows.values():
            if (row["tenant_id"], row["person_id"]) == (tenant_id, person_id):
                row.update(NOTHING_PERSONAL)

    def record_withdrawal(self, tenant_id: str, enrollment_id: str, cohort_id: str, person_id: str, role: str,
                          version: int) -> bool:
        withdrawn = {"status": "withdrawn", "version": version, **NOTHING_PERSONAL}
        row = self.rows.get((tenant_id, enrollment_id))
        if row is not None:
            if row["version"] >= version:
                return False
            row.update(withdrawn)
            return True
        self.rows[(tenant_id, enrollment_id)] = {"tenant_id": tenant_id, "enrollment_id": enrollment_id,
                                                 "cohort_id": cohort_id, "person_id": person_id, "role": role,
                                                 "mentors_wanted": 1, **withdrawn}
        return True


class FakeMatchingUnitOfWork(FakeUnitOfWork):
    """FakeUnitOfWork with every matching repository (fresh fakes unless given) and `reading()`."""

    def __init__(self, **repositories: Any):
        made = {"runs": FakeRunsRepository(), "matches": FakeMatchesRepository(),
                "match_requests": FakeMatchRequestsRepository(), "people": FakePeopleRepository(),
                "cohorts": FakeCohortsRepository(), "programs": FakeProgramsRepository(),
                "enrollments": FakeEnrollmentsRepository()}
        super().__init__(source="/matching", **{**made, **repositories})
        self.reads = 0

    @contextmanager
    def reading(self) -> Iterator["FakeMatchingUnitOfWork"]:
        self.reads += 1
        yield self


# --- a small cohort, as matching's copy of profiles holds it ---
TENANT = "acme"
COHORT = "cohort-1"
PROGRAM = "program-1"
WEIGHTS = {"goals_skills": 0.4, "seniority": 0.2, "working_hours_overlap": 0.2, "cross_department": 0.2}


def person_profile(person_id: str, *, version: int = 1, status: str = "active", manager: str | None = None,
                   department: str = "Engineering", **profile: Any) -> ProfileView:
    data = {"time_zone": "Europe/London", "languages": ["en"], "seniority_band": 4,
            "skills": [{"name": "python", "level": "expert"}], "goals": ["python"], "mentor_capacity": 1, **profile}
    return ProfileView(person_id, version, f"E-{person_id}", manager, department, status, data)


def enroll(uow: FakeMatchingUnitOfWork, person_id: str, role: str, *, cohort_id: str = COHORT,
           status: str = "enrolled", mentors_wanted: int = 1, version: int = 1, **profile: Any) -> None:
    """The person's profile and their enrollment in the cohort."""
    uow.people.hold(TENANT, person_profile(person_id, **profile))
    uow.enrollments.store({"tenant_id": TENANT, "enrollment_id": f"enrollment-{person_id}-{cohort_id}",
                           "version": version, "cohort_id": cohort_id, "person_id": person_id, "role": role,
                           "status": status, "goals": ["python"], "goals_text": "grow",
                           "preferences": {"skills": ["python"], "languages": [], "departments": [],
                                           "avoid_person_ids": []},
                           "mentors_wanted": mentors_wanted})


def cohort_uow(*, status: str = "matching", mentees: Iterable[str] = ("mentee-1",),
               mentors: Iterable[str] = ("mentor-1",), program_type: str = "classic",
               cohort_id: str = COHORT) -> FakeMatchingUnitOfWork:
    """A fake unit of work whose copy holds a program, one cohort in `status`, and its people enrolled."""
    uow = FakeMatchingUnitOfWork()
    uow.programs.store({"tenant_id": TENANT, "program_id": PROGRAM, "version": 1, "name": "Engineering",
                        "type": program_type, "matching_weights": WEIGHTS, "meeting_minutes": 30})
    uow.cohorts.store({"tenant_id": TENANT, "cohort_id": cohort_id, "version": 1, "program_id": PROGRAM,
                       "name": "Spring", "status": status, "starts_on": None})
    for mentee in mentees:
        enroll(uow, mentee, "mentee", cohort_id=cohort_id)
    for mentor in mentors:
        enroll(uow, mentor, "mentor", cohort_id=cohort_id, department="Sales")
    return uow


def event(event_type: str, data: dict[str, Any], tenant_id: str = TENANT) -> Envelope:
    """An inbound event as the consumer hands it to a handler (its payload already loaded)."""
    return Envelope.new(type=event_type, source="/test", subject="test", tenant_id=tenant_id, data=data)


def active_match(uow: FakeMatchingUnitOfWork, mentee_id: str = "mentee-1", mentor_id: str = "mentor-1", *,
                 cohort_id: str = COHORT, match_id: str | None = None) -> Match:
    """A confirmed pair held by the fake matches repository."""
    from matching.domain.matches import confirm_match
    match, _ = confirm_match(match_id=match_id or f"match-{mentee_id}-{mentor_id}", tenant_id=TENANT,
                             cohort_id=cohort_id, program_id=PROGRAM, mentee_id=mentee_id, mentor_id=mentor_id,
                             origin="run", run_id=None, score=700,
                             factors=({"name": "goals_skills", "weight": 0.4, "value": 0.9, "contribution": 0.36,
                                       "detail": "shared: python"},), now=datetime.now(UTC))
    uow.matches.add([match])
    return match
