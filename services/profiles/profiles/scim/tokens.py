"""Per-tenant SCIM bearer tokens. The secret is shown once, at creation; only its SHA-256 is stored.
Org admins manage them at /v1/scim-tokens (JWT); an identity provider presents one on /scim/v2."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from mentoring_shared.web.acting import tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, unit_of_work
from profiles.domain.scim_tokens import token_hash
from profiles.handlers import scim_tokens as handlers
from profiles.repositories.scim_tokens import ScimTokensRepository


def tenant_of(session, secret: str) -> str | None:
    """The tenant a live token belongs to, or None."""
    return ScimTokensRepository(session).tenant_of_live_token(token_hash(secret))


class ScimTokenCreateSchema(ma.Schema):
    label = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200),
                             metadata={"description": "What the token is for, e.g. `Okta production`."})


class ScimTokenSchema(ma.Schema):
    id = ma.fields.String(required=True)
    label = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime(required=True)
    revoked_at = ma.fields.DateTime(allow_none=True)


class ScimTokenCreatedSchema(ScimTokenSchema):
    token = ma.fields.String(required=True, metadata={"description": "The bearer secret; shown only this once."})


class ScimTokenListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ScimTokenSchema), required=True)


blueprint = Blueprint("scim_tokens", __name__, url_prefix="/v1/scim-tokens",
                      description="Bearer tokens an identity provider uses for SCIM 2.0 provisioning at /scim/v2.")


@blueprint.route("")
class ScimTokens(MethodView):
    @requires_role("org_admin")
    @blueprint.arguments(ScimTokenCreateSchema, required=False)
    @blueprint.response(201, ScimTokenCreatedSchema)
    def post(self, body):
        """Create a SCIM token for the caller's tenant. The secret is in this answer only."""
        return handlers.create_token(tenant(), body.get("label"), unit_of_work())

    @requires_role("org_admin")
    @blueprint.response(200, ScimTokenListSchema)
    def get(self):
        """The tenant's SCIM tokens (without secrets), oldest first."""
        with current_runtime().sessions() as session:
            return {"items": ScimTokensRepository(session).list(tenant())}


@blueprint.route("/<id:token_id>/revoke")
class ScimTokenRevoke(MethodView):
    @requires_role("org_admin")
    @blueprint.response(200, ScimTokenSchema)
    @blueprint.alt_response(404, description="No such token in this tenant.")
    def post(self, token_id):
        """Revoke a token: it stops working at once. Revoking twice is harmless."""
        return handlers.revoke_token(tenant(), token_id, unit_of_work())
