"""What feedback holds about one person (GET /v1/people/{id}/export)."""

import marshmallow as ma

from feedback.schemas.goals import CheckInSchema, GoalSchema, PairSchema
from feedback.schemas.submissions import FeedbackSchema, RequestSchema
from mentoring_shared.people_replica import ReplicaPersonSchema


class ExportedPairSchema(PairSchema):
    """A pair the person is in: its health, and the goals and check-ins the pair shares."""

    goals = ma.fields.List(ma.fields.Nested(GoalSchema), required=True)
    check_ins = ma.fields.List(ma.fields.Nested(CheckInSchema), required=True)


class FeedbackPersonExportSchema(ma.Schema):
    person = ma.fields.Nested(ReplicaPersonSchema, required=True, metadata={"description": "feedback's copy"})
    feedback_requests = ma.fields.List(ma.fields.Nested(RequestSchema), required=True,
                                       metadata={"description": "requests the person was asked to answer"})
    feedback_given = ma.fields.List(ma.fields.Nested(FeedbackSchema), required=True,
                                    metadata={"description": "the person's answers, with their words"})
    pairs = ma.fields.List(ma.fields.Nested(ExportedPairSchema), required=True,
                           metadata={"description": "as mentor or mentee, with health, goals and check-ins"})
