"""Matches, mentees' requests and suggestions."""

from datetime import UTC, datetime

import marshmallow as ma

from matching.schemas.common import FactorSchema, PersonId, score
from mentoring_shared.contracts.matching import END_REASONS
from mentoring_shared.web.fields import WholeNumber
from mentoring_shared.web.pagination import PageArgs, page_schema

# Reasons a person gives by hand; leavers, withdrawals, moves and closed cohorts end pairs by themselves.
REASONS_GIVEN_BY_HAND = ("asked", "pair_at_risk")


class MatchSchema(ma.Schema):
    id = ma.fields.String(required=True)
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "active or ended"})
    origin = ma.fields.String(required=True, metadata={"description": "run, self_match or rematch"})
    run_id = ma.fields.String(allow_none=True)
    score = ma.fields.Function(lambda match: score(match.score), required=True)
    factors = ma.fields.List(ma.fields.Nested(FactorSchema), required=True)
    version = WholeNumber(required=True)
    confirmed_at = ma.fields.AwareDateTime(required=True)
    ended_at = ma.fields.AwareDateTime(allow_none=True)
    end_reason = ma.fields.String(allow_none=True, metadata={"description": ", ".join(END_REASONS)})
    end_note = ma.fields.String(allow_none=True)
    health = ma.fields.String(allow_none=True, metadata={
        "description": "feedback's verdict (on_track, needs_check_in, at_risk); organizers only, else null"})
    health_reasons = ma.fields.List(ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String()),
                                    metadata={"description": "why, in numbers; organizers only, else empty"})
    health_evaluated_at = ma.fields.AwareDateTime(allow_none=True)


class MatchQuerySchema(PageArgs):
    cohort_id = PersonId()
    person_id = PersonId()
    status = ma.fields.String(validate=ma.validate.OneOf(["active", "ended"]))
    health = ma.fields.String(validate=ma.validate.OneOf(["on_track", "needs_check_in", "at_risk"]),
                              metadata={"description": "organizers only: e.g. at_risk, the pairs to act on"})


class EndMatchSchema(ma.Schema):
    reason = ma.fields.String(load_default="asked", validate=ma.validate.OneOf(REASONS_GIVEN_BY_HAND))
    note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))
    rematch = ma.fields.Boolean(load_default=True,
                                metadata={"description": "Propose a new mentor to the mentee (default)."})


class RequestSchema(ma.Schema):
    id = ma.fields.String(required=True)
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    origin = ma.fields.String(required=True, metadata={"description": "self_match or rematch"})
    status = ma.fields.Function(lambda request: request.status_at(datetime.now(UTC)), required=True,
                                metadata={"description": "pending, accepted, declined, cancelled or expired"})
    score = ma.fields.Function(lambda request: score(request.score), required=True)
    factors = ma.fields.List(ma.fields.Nested(FactorSchema), required=True)
    replaces_match_id = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)
    expires_at = ma.fields.AwareDateTime(required=True)
    decided_at = ma.fields.AwareDateTime(allow_none=True)
    decision_note = ma.fields.String(allow_none=True)


class RematchSchema(ma.Schema):
    match = ma.fields.Nested(MatchSchema, required=True)
    rematch_proposal = ma.fields.Nested(RequestSchema, allow_none=True, required=True,
                                        metadata={"description": "null when no mentor with capacity fits"})


class RequestQuerySchema(PageArgs):
    cohort_id = PersonId()
    person_id = PersonId()


class CreateRequestSchema(ma.Schema):
    mentor_id = PersonId(required=True)
    mentee_id = PersonId(metadata={"description": "Organizers only: the mentee asking (a mentee asks for themselves)."})


class DecisionSchema(ma.Schema):
    note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))


class SuggestionQuerySchema(ma.Schema):
    mentee_id = PersonId(metadata={"description": "Organizers only: whose suggestions (a mentee sees their own)."})
    limit = WholeNumber(load_default=10, validate=ma.validate.Range(min=1, max=50))


class SuggestionSchema(ma.Schema):
    mentor_id = ma.fields.String(required=True)
    score = ma.fields.Function(lambda suggestion: score(suggestion.score), required=True)
    slots_left = WholeNumber(attribute="slots", required=True)
    factors = ma.fields.Function(lambda suggestion: suggestion.explanation.as_dict()["factors"], required=True)


class SuggestionListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SuggestionSchema), required=True)


MatchPageSchema = page_schema(MatchSchema, "MatchPage")
RequestPageSchema = page_schema(RequestSchema, "MatchRequestPage")
