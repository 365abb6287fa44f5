"""Events published by the feedback service. Submissions travel without their free text (it stays
in feedback's database, where erasure can reach it); pair health changes let matching act."""

import marshmallow as ma
from marshmallow import validate

from mentoring_shared.contracts import topics
from mentoring_shared.contracts.registry import EventContract

FEEDBACK_SUBMITTED_V1 = "feedback.feedback.submitted.v1"
MILESTONE_REACHED_V1 = "feedback.milestone.reached.v1"
PAIR_AT_RISK_V1 = "feedback.pair.at_risk.v1"
PAIR_RECOVERED_V1 = "feedback.pair.recovered.v1"

KINDS = ["session", "pulse", "exit"]
DIRECTIONS = ["mentee_to_mentor", "mentor_to_mentee"]


class FeedbackSubmittedV1(ma.Schema):
    feedback_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=validate.Range(min=1))
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    match_id = ma.fields.String(required=True)
    session_id = ma.fields.String(allow_none=True, required=True)
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    direction = ma.fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    rating = ma.fields.Integer(allow_none=True, required=True, validate=validate.Range(1, 5))
    submitted_at = ma.fields.AwareDateTime(required=True)


class MilestoneReachedV1(ma.Schema):
    """A milestone of a pair's goal was reached: something to celebrate."""

    milestone_id = ma.fields.String(required=True)
    goal_id = ma.fields.String(required=True)
    match_id = ma.fields.String(required=True)
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    reached_at = ma.fields.AwareDateTime(required=True)


class ReasonV1(ma.Schema):
    code = ma.fields.String(required=True)
    text = ma.fields.String(required=True)


class _PairHealth(ma.Schema):
    match_id = ma.fields.String(required=True)
    # Added within v1, so optional: events from before it lack it (order them by `evaluated_at`).
    version = ma.fields.Integer(validate=validate.Range(min=1), metadata={
        "description": "the pair's health version, raised by every verdict change: a consumer ignores a "
                       "verdict older than the one it holds"})
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    evaluated_at = ma.fields.AwareDateTime(required=True)


class PairAtRiskV1(_PairHealth):
    """The pair is drifting: the reasons say which rules it fails (matching may propose a rematch)."""

    reasons = ma.fields.List(ma.fields.Nested(ReasonV1), required=True)


class PairRecoveredV1(_PairHealth):
    status = ma.fields.String(required=True, validate=validate.OneOf(["on_track", "needs_check_in"]))


CONTRACTS = [
    EventContract(FEEDBACK_SUBMITTED_V1, topics.FEEDBACK_SUBMISSIONS, FeedbackSubmittedV1),
    EventContract(MILESTONE_REACHED_V1, topics.FEEDBACK_GOALS, MilestoneReachedV1),
    EventContract(PAIR_AT_RISK_V1, topics.FEEDBACK_PAIRS, PairAtRiskV1),
    EventContract(PAIR_RECOVERED_V1, topics.FEEDBACK_PAIRS, PairRecoveredV1),
]
