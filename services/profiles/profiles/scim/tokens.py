"""Per-tenant SCIM bearer tokens. The secret is shown once, at creation; only its SHA-256 is stored.
Org admins manage them at /v1/scim-tokens (JWT); an identity provider presents one on /scim/v2."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone

import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import insert, select, update

from mentoring_shared.errors import NotFound
from mentoring_shared.ids import new_id
from mentoring_shared.web.acting import tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime, unit_of_work

from profiles.orm import scim_tokens

PREFIX = "scim_"


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def tenant_of(session, secret: str) -> str | None:
    """The tenant a live token belongs to, or None."""
    return session.execute(select(scim_tokens.c.tenant_id).where(
        scim_tokens.c.token_hash == token_hash(secret), scim_tokens.c.revoked_at.is_(None))).scalar_one_or_none()


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
        secret = PREFIX + secrets.token_urlsafe(32)
        row = {"tenant_id": tenant(), "id": new_id(), "token_hash": token_hash(secret),
               "label": body.get("label"), "created_at": datetime.now(timezone.utc), "revoked_at": None}
        with unit_of_work() as uow:
            uow.session.execute(insert(scim_tokens).values(**row))
            uow.commit()
        return {**row, "token": secret}

    @requires_role("org_admin")
    @blueprint.response(200, ScimTokenListSchema)
    def get(self):
        """The tenant's SCIM tokens (without secrets), oldest first."""
        with current_runtime().sessions() as session:
            rows = session.execute(select(scim_tokens).where(
                scim_tokens.c.tenant_id == tenant()).order_by(scim_tokens.c.id)).mappings().all()
        return {"items": [dict(row) for row in rows]}


@blueprint.route("/<id:token_id>/revoke")
class ScimTokenRevoke(MethodView):
    @requires_role("org_admin")
    @blueprint.response(200, ScimTokenSchema)
    @blueprint.alt_response(404, description="No such token in this tenant.")
    def post(self, token_id):
        """Revoke a token: it stops working at once. Revoking twice is harmless."""
        tenant_id = tenant()
        with unit_of_work() as uow:
            uow.session.execute(update(scim_tokens).where(
                scim_tokens.c.tenant_id == tenant_id, scim_tokens.c.id == token_id,
                scim_tokens.c.revoked_at.is_(None)).values(revoked_at=datetime.now(timezone.utc)))
            row = uow.session.execute(select(scim_tokens).where(
                scim_tokens.c.tenant_id == tenant_id, scim_tokens.c.id == token_id)).mappings().first()
            if row is None:
                raise NotFound(f"no SCIM token {token_id} in this tenant")
            uow.commit()
        return dict(row)
