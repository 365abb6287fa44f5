"""Events published by the matching service: who mentors whom, why, and when a pair ends.
Scheduling plans meetings from confirmed matches; feedback follows pairs until they end."""

import marshmallow as ma
from marshmallow import validate

from mentoring_shared.contracts import topics
from mentoring_shared.contracts.registry import EventContract

MATCH_PROPOSED_V1 = "matching.match.proposed.v1"
MATCH_CONFIRMED_V1 = "matching.match.confirmed.v1"
MATCH_ENDED_V1 = "matching.match.ended.v1"
RUN_COMPLETED_V1 = "matching.run.completed.v1"

# How a pair came about: a program manager approved a run, a mentee asked a mentor, or the
# platform proposed a new mentor after a match ended.
ORIGINS = ["run", "self_match", "rematch"]
END_REASONS = ["person_left", "person_erased", "withdrawn", "pair_at_risk", "asked", "reporting_line", "cohort_closed"]


class FactorV1(ma.Schema):
    """One reason a pair was chosen: a scoring factor, its value (0 to 1) and what it rests on."""

    name = ma.fields.String(required=True)
    value = ma.fields.Float(required=True)
    weight = ma.fields.Float(required=True)
    detail = ma.fields.String(required=True)


class MatchProposedV1(ma.Schema):
    """A pair put to the mentor for acceptance (a mentee's request, or a rematch proposal); the
    proposal id becomes the match id if it is accepted."""

    proposal_id = ma.fields.String(required=True)
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    origin = ma.fields.String(required=True, validate=validate.OneOf(ORIGINS[1:]))
    score = ma.fields.Float(required=True)
    top_factors = ma.fields.List(ma.fields.Nested(FactorV1), required=True)
    expires_at = ma.fields.AwareDateTime(required=True)
    replaces_match_id = ma.fields.String(allow_none=True, required=True)


class MatchConfirmedV1(ma.Schema):
    """A mentor and a mentee are a pair from now on."""

    match_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=validate.Range(min=1))
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    origin = ma.fields.String(required=True, validate=validate.OneOf(ORIGINS))
    run_id = ma.fields.String(allow_none=True, required=True)
    score = ma.fields.Float(required=True)
    top_factors = ma.fields.List(ma.fields.Nested(FactorV1), required=True)
    confirmed_at = ma.fields.AwareDateTime(required=True)


class MatchEndedV1(ma.Schema):
    """A pair ended, and why (scheduling cancels its future sessions; feedback sends the exit survey)."""

    match_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=validate.Range(min=2))
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    reason = ma.fields.String(required=True, validate=validate.OneOf(END_REASONS))
    note = ma.fields.String(allow_none=True, required=True)
    ended_at = ma.fields.AwareDateTime(required=True)


class ScoreDistributionV1(ma.Schema):
    mean = ma.fields.Float(allow_none=True, required=True)
    p10 = ma.fields.Float(allow_none=True, required=True)
    p50 = ma.fields.Float(allow_none=True, required=True)
    p90 = ma.fields.Float(allow_none=True, required=True)
    histogram = ma.fields.List(ma.fields.Integer(), required=True,
                               metadata={"description": "pairs per score tenth: [0, 0.1), ..., [0.9, 1.0]"})


class RunCompletedV1(ma.Schema):
    """A matching run produced a proposal for a program manager to review."""

    run_id = ma.fields.String(required=True)
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentees = ma.fields.Integer(required=True)
    mentors = ma.fields.Integer(required=True)
    pairs = ma.fields.Integer(required=True)
    unmatched_mentees = ma.fields.Integer(required=True)
    total_score = ma.fields.Float(required=True)
    proven_optimal = ma.fields.Boolean(required=True)
    distribution = ma.fields.Nested(ScoreDistributionV1, required=True)
    duration_ms = ma.fields.Integer(required=True)


CONTRACTS = [
    EventContract(MATCH_PROPOSED_V1, topics.MATCHING_MATCHES, MatchProposedV1),
    EventContract(MATCH_CONFIRMED_V1, topics.MATCHING_MATCHES, MatchConfirmedV1),
    EventContract(MATCH_ENDED_V1, topics.MATCHING_MATCHES, MatchEndedV1),
    EventContract(RUN_COMPLETED_V1, topics.MATCHING_RUNS, RunCompletedV1),
]
