"""Goals, milestones, check-ins, and pairs with their health."""

import marshmallow as ma

from mentoring_shared.web.fields import WholeNumber
from mentoring_shared.web.pagination import PageArgs, page_schema

_TITLE = ma.validate.Length(min=3, max=300)


class MilestoneInSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=_TITLE)


class MilestoneSchema(ma.Schema):
    id = ma.fields.String(required=True)
    goal_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    reached_at = ma.fields.AwareDateTime(allow_none=True, required=True)


class NewGoalSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=_TITLE,
                             metadata={"description": "specific: what the mentee will be able to do"})
    description = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=5000))
    target_date = ma.fields.Date(required=True, metadata={"description": "today or later"})
    milestones = ma.fields.List(ma.fields.Nested(MilestoneInSchema), validate=ma.validate.Length(max=20))


class GoalChangesSchema(ma.Schema):
    title = ma.fields.String(validate=_TITLE)
    description = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=5000))
    target_date = ma.fields.Date()
    progress = WholeNumber(validate=ma.validate.Range(0, 100), metadata={"description": "percent"})
    status = ma.fields.String(validate=ma.validate.OneOf(["open", "achieved", "dropped"]))


class GoalSchema(ma.Schema):
    id = ma.fields.String(required=True)
    match_id = ma.fields.String(required=True)
    cohort_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(allow_none=True, required=True)
    target_date = ma.fields.Date(required=True)
    status = ma.fields.String(required=True, metadata={"description": "open, achieved or dropped"})
    progress = WholeNumber(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    achieved_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    version = WholeNumber(required=True)
    milestones = ma.fields.List(ma.fields.Nested(MilestoneSchema), required=True)


class GoalListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(GoalSchema), required=True)


class CheckInSchema(ma.Schema):
    id = ma.fields.String(required=True)
    match_id = ma.fields.String(required=True)
    due_on = ma.fields.Date(required=True)
    label = ma.fields.String(required=True)
    completed_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    note = ma.fields.String(allow_none=True, required=True)


class CheckInListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CheckInSchema), required=True)


class CheckInCompletionSchema(ma.Schema):
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=5000))


class ReasonSchema(ma.Schema):
    code = ma.fields.String(required=True)
    text = ma.fields.String(required=True)


class PairSchema(ma.Schema):
    match_id = ma.fields.String(required=True)
    cohort_id = ma.fields.String(required=True)
    program_id = ma.fields.String(required=True)
    mentee_id = ma.fields.String(required=True)
    mentor_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "active or ended"})
    health = ma.fields.String(required=True, metadata={"description": "on_track, needs_check_in or at_risk"})
    health_reasons = ma.fields.List(ma.fields.Nested(ReasonSchema), required=True, data_key="reasons")
    health_evaluated_at = ma.fields.AwareDateTime(allow_none=True, required=True, data_key="evaluated_at")


class PairQuerySchema(PageArgs):
    health = ma.fields.String(validate=ma.validate.OneOf(["on_track", "needs_check_in", "at_risk"]))
    status = ma.fields.String(validate=ma.validate.OneOf(["active", "ended"]))


PairPageSchema = page_schema(PairSchema, "PairPage")
