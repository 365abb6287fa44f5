"""The whole journey of a mentoring program on the running platform, through the public APIs only:
an HR file imported, a cohort opened and filled, matched and approved, kickoffs booked, sessions
held, feedback given both ways, a goal's milestone celebrated, a drifting pair caught by pair health
and rematched, and the program's report. Every step after the first waits on events between the
services, exactly as a program manager's screen would.

`make demo` runs it (scripts/demo); tests/e2e/test_whole_journey.py runs it and checks the outcome."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, TextIO

from mentoring_tools.admin.client import ApiRefused, PlatformClient
from mentoring_tools.admin.commands import render_report
from mentoring_tools.demo.hr_file import workday_export

# A rescheduled kickoff starts this long after its request: time for the request to arrive while
# the start is still in the future, on a loaded machine too.
KICKOFF_NOTICE_S = 3


def _open_feedback_requests(person: PlatformClient) -> list[dict]:
    return person.get("feedback", "/v1/feedback-requests", {"status": "open"})["items"]


ROUND_THE_CLOCK = {"start": "00:00", "end": "24:00", "days": [1, 2, 3, 4, 5, 6, 7]}
MENTEE_GOALS = [["python", "leadership"], ["public-speaking"], ["machine-learning", "sql"], ["negotiation"],
                ["kafka", "go"], ["design", "leadership"]]


@dataclass
class Outcome:
    """What the journey did, for the test that checks it and the summary people read."""

    tenant: str
    people_imported: int = 0
    program_id: str = ""
    cohort_id: str = ""
    mentors: int = 0
    mentees: int = 0
    pairs: int = 0
    kickoffs: int = 0
    sessions_completed: int = 0
    feedback_given: int = 0
    milestones_reached: int = 0
    at_risk_match_id: str = ""
    at_risk_reasons: list[dict[str, str]] = field(default_factory=list)
    rematch_id: str = ""
    report: dict[str, Any] = field(default_factory=dict)


class Journey:
    """`client_for(roles, subject)` gives a PlatformClient whose token carries those roles and that
    subject (a person id for mentors and mentees), in the journey's tenant."""

    def __init__(self, tenant: str, client_for: Callable[[tuple[str, ...], str], PlatformClient], *,
                 people: int = 300, sessions: int = 12, out: TextIO, timeout_s: float = 120.0):
        if sessions < 2:
            raise ValueError("the journey holds at least 2 sessions: one pair drifts, the others do well")
        self.outcome = Outcome(tenant)
        self._client_for = client_for
        self._admin = client_for(("org_admin",), "hr-admin@demo.example")
        self._manager = client_for(("program_manager",), "program-manager@demo.example")
        self._people, self._sessions, self._out, self._timeout_s = people, sessions, out, timeout_s

    def run(self) -> Outcome:
        started = time.monotonic()
        people = self._import_people()
        mentors, mentees = self._choose_participants(people)
        self._open_cohort(mentors, mentees)
        self._match()
        mentorships = self._kickoffs()
        held = self._hold_sessions(self._pairs_to_meet_now(mentorships))
        self._feedback(held)
        self._celebrate_a_milestone(held[1])
        self._rematch_the_drifting_pair(held[0])
        self._report()
        self._say(f"\nThe whole journey took {time.monotonic() - started:.1f} s.")
        return self.outcome

    # --- the steps ----------------------------------------------------------------------------

    def _import_people(self) -> list[dict]:
        domain = f"{self.outcome.tenant}.example"
        report = self._admin.upload("profiles", "/v1/hr-imports", {
            "file": ("workday.csv", workday_export(self._people, domain), "text/csv"), "preset": "workday",
            "dry_run": "false"})
        if report["errors"] or not report["applied"]:
            raise RuntimeError(f"the HR import was refused: {report['errors'][:3]}")
        people = list(self._admin.pages("profiles", "/v1/people"))
        self.outcome.people_imported = report["summary"]["creates"]
        self._say(f"1. Imported {report['summary']['creates']} people from a Workday export "
                  f"({len({p['department'] for p in people})} departments, reporting lines included).")
        return people

    def _choose_participants(self, people: list[dict]) -> tuple[list[dict], list[dict]]:
        """Senior people mentor, junior people are mentored. Everyone's working hours are set round the
        clock, so the demo's sessions can be held now, whatever the time of day."""
        mentors = [p for p in people if 7 <= (p.get("seniority_band") or 0) <= 9][:self._people // 6]
        mentees = [p for p in people if (p.get("seniority_band") or 0) <= 4][:self._people // 3]
        for person in mentors + mentees:
            changes: dict[str, object] = {"working_hours": ROUND_THE_CLOCK}
            if person in mentors:
                changes["mentor_capacity"] = 3
            self._admin.patch("profiles", f"/v1/people/{person['id']}", changes)
        self.outcome.mentors, self.outcome.mentees = len(mentors), len(mentees)
        self._say(f"2. {len(mentors)} senior people offer to mentor (up to 3 mentees each); "
                  f"{len(mentees)} junior people want a mentor.")
        return mentors, mentees

    def _open_cohort(self, mentors: list[dict], mentees: list[dict]) -> None:
        program = self._manager.post("profiles", "/v1/programs", {
            "name": "Engineering mentoring", "type": "classic", "meeting_cadence": "biweekly",
            "meeting_minutes": 30, "privacy_threshold": 5})
        cohort = self._manager.post("profiles", "/v1/cohorts", {
            "program_id": program["id"], "name": f"Cohort of {date.today():%B %Y}",
            "starts_on": date.today().isoformat()})
        self.outcome.program_id, self.outcome.cohort_id = program["id"], cohort["id"]
        self._move_cohort("enrolling")
        for person in mentors:
            self._manager.post("profiles", f"/v1/cohorts/{cohort['id']}/enrollments",
                               {"person_id": person["id"], "role": "mentor"})
        for number, person in enumerate(mentees):
            goals = MENTEE_GOALS[number % len(MENTEE_GOALS)]
            self._manager.post("profiles", f"/v1/cohorts/{cohort['id']}/enrollments", {
                "person_id": person["id"], "role": "mentee", "goals": goals,
                "goals_text": f"I want to grow in {' and '.join(goals).replace('-', ' ')}"})
        self._move_cohort("matching")
        self._say(f"3. Opened the cohort, enrolled {len(mentors) + len(mentees)} people, closed enrolment.")

    def _match(self) -> None:
        expected = (self.outcome.mentees, self.outcome.mentors)
        cohort = self.outcome.cohort_id

        def complete_proposal():
            # matching learns the cohort from profiles' events: propose again until it knows everyone
            try:
                run = self._manager.post("matching", f"/v1/cohorts/{cohort}/matching-runs", {})
            except ApiRefused as refused:
                if refused.status in (404, 409):  # the cohort (or its status) has not arrived yet
                    return None
                raise
            return run if (run["summary"]["mentees"], run["summary"]["mentors"]) == expected else None

        run = self._until(complete_proposal, "matching to know the whole cohort")
        summary = run["summary"]
        self._manager.post("matching", f"/v1/matching-runs/{run['id']}/approval")
        self.outcome.pairs = summary["pairs"]
        proven = "proven optimal" if summary["proof"]["proven"] else "not proven optimal"
        mean = summary["distribution"]["mean"]
        self._say(f"4. Matching proposed {summary['pairs']} pairs ({proven}, mean score {mean:.2f}; "
                  f"{len(summary['unmatched'])} mentees without an eligible mentor); the manager approved.")

    def _kickoffs(self) -> list[dict]:
        cohort = self.outcome.cohort_id

        def every_pair_planned():
            found = list(self._manager.pages("scheduling", "/v1/mentorships", {"cohort_id": cohort}))
            return found if len(found) == self.outcome.pairs else None

        mentorships = self._until(every_pair_planned, "scheduling to plan every confirmed pair")
        # From tomorrow: the few kickoffs the demo holds now are moved into today (see _hold_sessions).
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        booked = self._manager.post("scheduling", f"/v1/cohorts/{cohort}/kickoffs",
                                    {"not_before": tomorrow.isoformat()})["items"]
        self.outcome.kickoffs = sum(1 for item in booked if item["starts_at"])
        first = min(item["starts_at"] for item in booked if item["starts_at"])
        self._say(f"5. Scheduling planned {len(mentorships)} biweekly mentorships and booked "
                  f"{self.outcome.kickoffs} kickoffs from {first}, nobody double-booked.")
        return mentorships

    def _pairs_to_meet_now(self, mentorships: list[dict]) -> list[dict]:
        """Pairs with no person in common, so their kickoffs can all happen at once."""
        chosen: list[dict] = []
        busy: set[str] = set()
        for mentorship in mentorships:
            people = {mentorship["mentee_id"], mentorship["mentor_id"]}
            if not people & busy:
                chosen.append(mentorship)
                busy |= people
            if len(chosen) == self._sessions:
                break
        return chosen

    def _hold_sessions(self, mentorships: list[dict]) -> list[dict]:
        """Each kickoff is moved to start a few seconds after its own request (one start for all had
        to allow for every request); once the last has started both people confirm each one."""
        sessions = []
        starts_at = datetime.now(UTC)
        for mentorship in mentorships:
            [kickoff] = self._manager.get("scheduling", f"/v1/mentorships/{mentorship['id']}/sessions")["items"]
            starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=KICKOFF_NOTICE_S)
            sessions.append(self._manager.post("scheduling", f"/v1/sessions/{kickoff['id']}/reschedule",
                                               {"starts_at": starts_at.isoformat()}))
        time.sleep(max(0.0, (starts_at - datetime.now(UTC)).total_seconds()) + 1)  # the last start is the latest
        for mentorship, session in zip(mentorships, sessions):
            for side in ("mentee", "mentor"):
                self._person(side, mentorship).post("scheduling", f"/v1/sessions/{session['id']}/confirm")
        self.outcome.sessions_completed = len(sessions)
        self._say(f"6. {len(sessions)} pairs held their kickoff; both people confirmed each one.")
        return mentorships

    def _feedback(self, mentorships: list[dict]) -> None:
        """Both people of every pair answer; the first pair's kickoff went badly on both sides."""
        given = 0
        for number, mentorship in enumerate(mentorships):
            for side in ("mentee", "mentor"):
                person = self._person(side, mentorship)
                requests = self._until(partial(_open_feedback_requests, person),
                                       f"feedback to ask the {side} about the session")
                rating = 1 if number == 0 else 4 + number % 2
                text = "We kept talking past each other." if number == 0 else "A good start; clear next steps."
                person.post("feedback", f"/v1/feedback-requests/{requests[0]['id']}/feedback",
                            {"rating": rating, "text": text})
                given += 1
        self.outcome.feedback_given = given
        self._say(f"7. {given} answers given, both ways; the words stay in feedback's database.")

    def _celebrate_a_milestone(self, mentorship: dict) -> None:
        mentee = self._person("mentee", mentorship)
        goal = mentee.post("feedback", f"/v1/pairs/{mentorship['id']}/goals", {
            "title": "Lead a design review on my team",
            "target_date": (date.today() + timedelta(days=90)).isoformat(),
            "milestones": [{"title": "Shadow two design reviews"}, {"title": "Lead one with my mentor"}]})
        mentee.post("feedback", f"/v1/milestones/{goal['milestones'][0]['id']}/reached")
        self.outcome.milestones_reached = 1
        self._say("8. A mentee set a goal with two milestones and reached the first: celebrated with an event.")

    def _rematch_the_drifting_pair(self, mentorship: dict) -> None:
        cohort = self.outcome.cohort_id
        flagged = self._until(lambda: self._manager.get("matching", "/v1/matches", {
            "cohort_id": cohort, "health": "at_risk"})["items"], "pair health to flag the drifting pair")
        match = flagged[0]
        self.outcome.at_risk_match_id, self.outcome.at_risk_reasons = match["id"], match["health_reasons"]
        reasons = "; ".join(reason["text"] for reason in match["health_reasons"])
        self._say(f"9. Pair health put pair {match['id']} at risk ({reasons}); matching flagged it.")
        ended = self._manager.post("matching", f"/v1/matches/{match['id']}/end", {
            "reason": "pair_at_risk", "note": "Both sides rated the kickoff 1 of 5", "rematch": True})
        proposal = ended["rematch_proposal"]
        if proposal is None:
            raise RuntimeError("no mentor with capacity left for the rematch")
        mentor = self._client_for(("mentor",), proposal["mentor_id"])
        accepted = mentor.post("matching", f"/v1/match-requests/{proposal['id']}/accept", {})
        self.outcome.rematch_id = accepted["id"]
        self._say(f"10. The manager ended it; matching proposed the mentee's best available mentor "
                  f"(score {proposal['score']}), who accepted: a new pair, no other pair touched.")

    def _report(self) -> None:
        program = self.outcome.program_id

        def report_with_the_rematch():
            report = self._manager.get("feedback", f"/v1/programs/{program}/report")
            pairs = report["total"]["participation"]
            return report if pairs["ended_pairs"] >= 1 and pairs["pairs"] > self.outcome.pairs else None

        self.outcome.report = self._until(report_with_the_rematch, "the report to count the ended pair and the new one")
        self._say("11. The program report:\n")
        self._say(str(render_report(self.outcome.report)))

    # --- helpers ------------------------------------------------------------------------------

    def _person(self, side: str, mentorship: dict) -> PlatformClient:
        return self._client_for((side,), mentorship[f"{side}_id"])

    def _move_cohort(self, status: str) -> None:
        self._manager.post("profiles", f"/v1/cohorts/{self.outcome.cohort_id}/status", {"status": status})

    def _until(self, probe: Callable[[], Any], what: str, every_s: float = 0.5):
        deadline = time.monotonic() + self._timeout_s
        while True:
            found = probe()
            if found:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {self._timeout_s:.0f} s for {what}")
            time.sleep(every_s)

    def _say(self, line: str) -> None:
        print(line, file=self._out, flush=True)
