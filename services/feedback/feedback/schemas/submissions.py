"""Feedback requests, answers and edits."""

import marshmallow as ma

from mentoring_shared.web.fields import WholeNumber
from mentoring_shared.web.input_guards import ID_PATTERN
from mentoring_shared.web.pagination import PageArgs, page_schema


class GoalProgressSchema(ma.Schema):
    goal = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    progress = WholeNumber(required=True, validate=ma.validate.Range(0, 100),
                           metadata={"description": "percent"})


class AnswerSchema(ma.Schema):
    rating = WholeNumber(allow_none=True, validate=ma.validate.Range(1, 5),
                         metadata={"description": "1 to 5; required for a session"})
    recommend = WholeNumber(allow_none=True, validate=ma.validate.Range(0, 10),
                            metadata={"description": "0 to 10: would you recommend the program (NPS)"})
    text = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=5000))
    goal_progress = ma.fields.List(ma.fields.Nested(GoalProgressSchema), validate=ma.validate.Length(max=20))


class RequestSchema(ma.Schema):
    id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"description": "session, pulse or exit"})
    match_id = ma.fields.String(required=True)
    session_id = ma.fields.String(allow_none=True)
    cohort_id = ma.fields.String(required=True)
    author_id = ma.fields.String(required=True)
    subject_id = ma.fields.String(required=True)
    direction = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "open, answered or closed"})
    created_at = ma.fields.AwareDateTime(required=True)
    due_at = ma.fields.AwareDateTime(required=True)


class RequestQuerySchema(PageArgs):
    person_id = ma.fields.String(validate=ma.validate.Regexp(f"^{ID_PATTERN}$"))
    status = ma.fields.String(validate=ma.validate.OneOf(["open", "answered", "closed"]))


class FeedbackSchema(ma.Schema):
    id = ma.fields.String(required=True)
    request_id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    match_id = ma.fields.String(required=True)
    session_id = ma.fields.String(allow_none=True)
    author_id = ma.fields.String(allow_none=True)
    subject_id = ma.fields.String(allow_none=True)
    direction = ma.fields.String(required=True)
    rating = WholeNumber(allow_none=True)
    recommend = WholeNumber(allow_none=True)
    text = ma.fields.String(allow_none=True)
    goal_progress = ma.fields.List(ma.fields.Nested(GoalProgressSchema), required=True)
    submitted_at = ma.fields.AwareDateTime(required=True)
    editable_until = ma.fields.AwareDateTime(required=True)
    version = WholeNumber(required=True)


RequestPageSchema = page_schema(RequestSchema, "FeedbackRequestPage")
