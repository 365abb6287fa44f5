"""Matching runs: what starting one takes, and the proposal it renders."""

import marshmallow as ma

from matching.schemas.common import FactorSchema, PairSchema, PersonId, score
from mentoring_shared.web.fields import WholeNumber
from mentoring_shared.web.pagination import page_schema


class StartRunSchema(ma.Schema):
    pinned_pairs = ma.fields.List(ma.fields.Nested(PairSchema), load_default=list,
                                  validate=ma.validate.Length(max=5000),
                                  metadata={"description": "Pairs the proposal must contain."})
    forbidden_pairs = ma.fields.List(ma.fields.Nested(PairSchema), load_default=list,
                                     validate=ma.validate.Length(max=5000),
                                     metadata={"description": "Pairs the proposal must not contain."})
    based_on_run_id = PersonId(metadata={"description": "Keep that run's pins and forbids, plus these."})
    released_pairs = ma.fields.List(ma.fields.Nested(PairSchema), load_default=list,
                                    validate=ma.validate.Length(max=5000),
                                    metadata={"description": "Pins or forbids of the base run to drop."})


class DistributionSchema(ma.Schema):
    mean = ma.fields.Float(allow_none=True)
    p10 = ma.fields.Float(allow_none=True)
    p50 = ma.fields.Float(allow_none=True)
    p90 = ma.fields.Float(allow_none=True)
    histogram = ma.fields.List(WholeNumber(), metadata={"description": "pairs per score tenth"})


class ProofSchema(ma.Schema):
    proven = ma.fields.Boolean(metadata={"description": "dual prices show no left-out pair could improve the result"})
    rounds = WholeNumber()
    candidate_pairs = WholeNumber()
    pairs_added = WholeNumber()


class UnmatchedSchema(ma.Schema):
    mentee_id = ma.fields.String()
    missing = WholeNumber(metadata={"description": "mentors wanted but not found"})
    reason = ma.fields.String(metadata={"description": "no_eligible_mentor or mentors_at_capacity"})
    detail = ma.fields.String()
    excluded_by = ma.fields.Dict(keys=ma.fields.String(), values=WholeNumber(),
                                 metadata={"description": "mentors each hard rule excludes"})


class SkippedSchema(ma.Schema):
    person_id = ma.fields.String()
    role = ma.fields.String()
    reason = ma.fields.String()


class RunSummarySchema(ma.Schema):
    mentees = WholeNumber()
    mentors = WholeNumber()
    pairs = WholeNumber()
    pinned = WholeNumber()
    total_score = ma.fields.Float()
    distribution = ma.fields.Nested(DistributionSchema)
    duration_ms = WholeNumber()
    proof = ma.fields.Nested(ProofSchema)
    unmatched = ma.fields.List(ma.fields.Nested(UnmatchedSchema))
    skipped = ma.fields.List(ma.fields.Nested(SkippedSchema))


class RunSchema(ma.Schema):
    id = ma.fields.String(required=True)
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "proposed, approved or superseded"})
    summary = ma.fields.Nested(RunSummarySchema, required=True)
    pinned_pairs = ma.fields.List(ma.fields.Nested(PairSchema), attribute="inputs.pinned_pairs")
    forbidden_pairs = ma.fields.List(ma.fields.Nested(PairSchema), attribute="inputs.forbidden_pairs")
    inputs = ma.fields.Dict(metadata={"description": "the snapshot of its inputs: ids, versions and digests"})
    created_by = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    approved_by = ma.fields.String(allow_none=True)
    approved_at = ma.fields.AwareDateTime(allow_none=True)


class RunPairSchema(ma.Schema):
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    score = ma.fields.Function(lambda pair: score(pair["score"]), required=True)
    pinned = ma.fields.Boolean(required=True)
    factors = ma.fields.List(ma.fields.Nested(FactorSchema), required=True)


RunPageSchema = page_schema(RunSchema, "MatchingRunPage")
RunPairPageSchema = page_schema(RunPairSchema, "RunPairPage")
