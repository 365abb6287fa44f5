"""A program's pair-health thresholds: every HealthRules field, each optional in an override."""

from dataclasses import fields

import marshmallow as ma

from feedback.health import HealthRules
from mentoring_shared.web.fields import WholeNumber


def _field(field) -> ma.fields.Field:
    description = {"rating_basis": "latest, or mean of the last ratings_in_mean"}.get(field.name)
    if field.name == "rating_basis":
        return ma.fields.String(validate=ma.validate.OneOf(["latest", "mean"]), metadata={"description": description})
    if field.name in ("low_rating", "low_rating_at_risk"):
        return ma.fields.Float(validate=ma.validate.Range(min=0, max=100))
    return WholeNumber(validate=ma.validate.Range(min=0, max=3650))


HealthRulesSchema = ma.Schema.from_dict({field.name: _field(field) for field in fields(HealthRules)},
                                        name="HealthRules")


class HealthRulesInSchema(ma.Schema):
    overrides = ma.fields.Nested(HealthRulesSchema, required=True, metadata={
        "description": "the thresholds this program sets; the rest keep the platform's defaults ({} for all)"})


class ProgramHealthRulesSchema(ma.Schema):
    program_id = ma.fields.String(required=True)
    overrides = ma.fields.Nested(HealthRulesSchema, required=True)
    rules = ma.fields.Nested(HealthRulesSchema, required=True, metadata={"description": "what applies: defaults "
                                                                                         "with the overrides"})
