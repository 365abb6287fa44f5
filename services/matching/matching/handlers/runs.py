"""Matching a whole cohort: a dry run proposes, a program manager pins or forbids pairs and runs
again, and approval turns the latest proposal into matches."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from matching import metrics
from matching.cohort_inputs import CohortInputs, load_cohort_inputs
from matching.domain import runs as domain
from matching.domain.matches import confirm_match
from matching.engine.model import SCORE_SCALE
from matching.engine.runner import PinRejected, RunOutcome, run_matching
from matching.repositories.runs import RunsRepository
from matching.unit_of_work import MatchingUnitOfWork
from mentoring_shared.errors import Conflict, InvalidField, NotFound
from mentoring_shared.ids import new_id

RUNNABLE_STATUS = "matching"


def start_run(tenant_id: str, cohort_id: str, decisions: dict[str, Any], created_by: str,
              uow: MatchingUnitOfWork) -> domain.MatchingRun:
    """Compute a proposal outside any write transaction (it can take seconds), then store it. A
    proposal computed from inputs that change meanwhile is refused at approval as stale."""
    with uow.reading() as reads:
        inputs = load_cohort_inputs(reads, tenant_id, cohort_id)
        _check_runnable(inputs)
        pinned, forbidden = _decisions(tenant_id, decisions, reads.runs)
    _check_people(inputs, pinned, "pinned_pairs")
    _check_people(inputs, forbidden, "forbidden_pairs")
    both = set(pinned) & set(forbidden)
    if both:
        index = pinned.index(sorted(both)[0])
        raise InvalidField(f"pinned_pairs[{index}]", "the pair is also forbidden")
    problem = replace(inputs.problem, pinned_pairs=tuple(pinned), forbidden_pairs=frozenset(forbidden))
    try:
        outcome = run_matching(problem)
    except PinRejected as rejected:
        raise InvalidField(f"pinned_pairs[{rejected.index}].{rejected.field}", rejected.message) from None

    run = domain.MatchingRun(
        id=new_id(), tenant_id=tenant_id, cohort_id=cohort_id, program_id=inputs.program.program_id,
        status="proposed", fingerprint=_fingerprint(inputs.digests), created_by=created_by,
        created_at=datetime.now(UTC),
        inputs={"cohort_version": inputs.cohort.version, "program_version": inputs.program.version,
                "program_type": inputs.program.type, "weights": inputs.program.matching_weights,
                "participants": list(inputs.participants), "digests": inputs.digests,
                "pinned_pairs": [{"mentee_id": a, "mentor_id": b} for a, b in pinned],
                "forbidden_pairs": [{"mentee_id": a, "mentor_id": b} for a, b in forbidden]},
        summary=_summary(inputs, outcome))
    with uow:
        uow.runs.supersede_proposals(tenant_id, cohort_id)
        uow.runs.add(run, [{"mentee_id": pair.mentee_id, "mentor_id": pair.mentor_id, "score": pair.score,
                               "pinned": pair.pinned, "factors": pair.explanation.as_dict()["factors"]}
                              for pair in outcome.pairs])
        uow.publish([domain.completed_event(run)])
        uow.commit()
    metrics.RUN_DURATION.observe(outcome.duration_ms / 1000)
    return run


def approve_run(tenant_id: str, run_id: str, approved_by: str, uow: MatchingUnitOfWork) -> domain.MatchingRun:
    with uow:
        run = uow.runs.get(tenant_id, run_id, for_update=True)
        if run is None:
            raise NotFound(f"no matching run {run_id} in this tenant")
        inputs = load_cohort_inputs(uow, tenant_id, run.cohort_id)
        _check_runnable(inputs)
        now = datetime.now(UTC)
        approved = domain.approve(run, inputs.digests, approved_by, now)
        matches, events = [], []
        for pair in uow.runs.pairs(run.id):
            match, confirmed = confirm_match(
                match_id=new_id(), tenant_id=tenant_id, cohort_id=run.cohort_id, program_id=run.program_id,
                mentee_id=pair["mentee_id"], mentor_id=pair["mentor_id"], origin="run", run_id=run.id,
                score=pair["score"], factors=pair["factors"], now=now)
            matches.append(match)
            events.extend(confirmed)
        uow.matches.add(matches)
        uow.runs.save(approved)
        uow.publish(events)
        uow.commit()
    metrics.MATCHES_CONFIRMED.labels("run").inc(len(matches))
    return approved


# Statuses a cohort passes through before matching: matching's copy may still show one of them
# for a moment after profiles moved the cohort on.
BEFORE_RUNNABLE = ("draft", "enrolling")
CATCH_UP_RETRY_S = 2


def _check_runnable(inputs: CohortInputs) -> None:
    status = inputs.cohort.status
    if status == RUNNABLE_STATUS:
        return
    if status in BEFORE_RUNNABLE:
        raise Conflict(f"matching knows this cohort as {status}; it can be matched only while {RUNNABLE_STATUS}. "
                       f"If it was just moved to {RUNNABLE_STATUS}, matching is catching up with that change: "
                       f"retry in a few seconds", current_status=status, retry_after_s=CATCH_UP_RETRY_S)
    raise Conflict(f"the cohort is {status}; it can be matched only while {RUNNABLE_STATUS}", current_status=status)


def _decisions(tenant_id: str, decisions: dict[str, Any], runs: RunsRepository) -> tuple[list, list]:
    """This run's pins and forbids, on top of those of the run it is based on (review, then re-run)."""
    pinned = [(p["mentee_id"], p["mentor_id"]) for p in decisions.get("pinned_pairs", [])]
    forbidden = [(p["mentee_id"], p["mentor_id"]) for p in decisions.get("forbidden_pairs", [])]
    based_on = decisions.get("based_on_run_id")
    if based_on:
        previous = runs.get(tenant_id, based_on)
        if previous is None:
            raise InvalidField("based_on_run_id", f"no matching run {based_on} in this tenant")
        released = {(p["mentee_id"], p["mentor_id"]) for p in decisions.get("released_pairs", [])}
        inherited_pins = [(p["mentee_id"], p["mentor_id"]) for p in previous.inputs["pinned_pairs"]]
        inherited_forbids = [(p["mentee_id"], p["mentor_id"]) for p in previous.inputs["forbidden_pairs"]]
        pinned = [p for p in inherited_pins if p not in released and p not in forbidden] + pinned
        forbidden = [p for p in inherited_forbids if p not in released and p not in pinned] + forbidden
    return list(dict.fromkeys(pinned)), list(dict.fromkeys(forbidden))


def _check_people(inputs: CohortInputs, pairs: list[tuple[str, str]], field: str) -> None:
    roles = {(p["person_id"], p["role"]) for p in inputs.participants}
    for index, (mentee_id, mentor_id) in enumerate(pairs):
        if (mentee_id, "mentee") not in roles:
            raise InvalidField(f"{field}[{index}].mentee_id", f"{mentee_id} is not an active mentee of this cohort")
        if (mentor_id, "mentor") not in roles:
            raise InvalidField(f"{field}[{index}].mentor_id", f"{mentor_id} is not an active mentor of this cohort")


def _summary(inputs: CohortInputs, outcome: RunOutcome) -> dict[str, Any]:
    proof = outcome.proof
    return {
        "mentees": len(inputs.problem.mentees), "mentors": len(inputs.problem.mentors), "pairs": len(outcome.pairs),
        "pinned": sum(1 for pair in outcome.pairs if pair.pinned), "total_score": outcome.total_score / SCORE_SCALE,
        "distribution": outcome.distribution, "duration_ms": outcome.duration_ms,
        "proof": {"proven": bool(proof and proof.proven), "rounds": proof.rounds if proof else 0,
                  "candidate_pairs": proof.candidate_pairs if proof else 0,
                  "pairs_added": proof.pairs_added if proof else 0},
        "unmatched": [{"mentee_id": u.mentee_id, "missing": u.missing, "reason": u.reason, "detail": u.detail,
                       "excluded_by": u.excluded_by} for u in outcome.unmatched],
        "skipped": list(inputs.skipped),
    }


def _fingerprint(digests: dict[str, str]) -> str:
    return hashlib.sha256("|".join(f"{k}={v}" for k, v in sorted(digests.items())).encode()).hexdigest()
