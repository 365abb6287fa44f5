"""Personal feed tokens: shown whole once, at creation; listed by id and dates only."""

import marshmallow as ma

from mentoring_shared.web.pagination import PageArgs, page_schema


class FeedTokenSchema(ma.Schema):
    id = ma.fields.String(required=True, attribute="token_id")
    person_id = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    revoked_at = ma.fields.AwareDateTime(allow_none=True)


class FeedTokenCreatedSchema(FeedTokenSchema):
    token = ma.fields.String(required=True, metadata={"description": "The feed's secret; shown only this once."})
    url = ma.fields.String(required=True, metadata={"description": "The address to subscribe to in a calendar app."})


FeedTokenPageSchema = page_schema(FeedTokenSchema, "FeedTokenPage")


class FeedTokenQuerySchema(PageArgs):
    pass
