"""Shapes several resources share: a pair of people, and a factor of a pair's explanation."""

import marshmallow as ma

from matching.domain.matches import public_score
from mentoring_shared.web.input_guards import ID_PATTERN

PersonId = lambda **kwargs: ma.fields.String(validate=ma.validate.Regexp(f"^{ID_PATTERN}$"), **kwargs)  # noqa: E731


class PairSchema(ma.Schema):
    mentee_id = PersonId(required=True)
    mentor_id = PersonId(required=True)


class FactorSchema(ma.Schema):
    name = ma.fields.String(required=True, metadata={"description": "goals_skills, seniority, "
                                                                    "working_hours_overlap or cross_department"})
    value = ma.fields.Float(required=True, metadata={"description": "0 to 1"})
    weight = ma.fields.Float(required=True, metadata={"description": "the program's weight, normalized"})
    contribution = ma.fields.Float(metadata={"description": "weight x value: its share of the score"})
    detail = ma.fields.String(required=True, metadata={"description": "what the value rests on"})


score = public_score  # 0..1000 stored, 0..1 shown
