"""Creating and revoking the SCIM tokens an identity provider presents on /scim/v2."""

from __future__ import annotations

from datetime import UTC, datetime

from mentoring_shared.errors import NotFound
from mentoring_shared.ids import new_id
from profiles.domain.scim_tokens import new_secret, token_hash
from profiles.unit_of_work import ProfilesUnitOfWork


def create_token(tenant_id: str, label: str | None, uow: ProfilesUnitOfWork) -> dict:
    """A new token for the tenant: its row, with the secret under `token` (the only time it is seen)."""
    secret = new_secret()
    token = {"tenant_id": tenant_id, "id": new_id(), "token_hash": token_hash(secret), "label": label,
             "created_at": datetime.now(UTC), "revoked_at": None}
    with uow:
        uow.scim_tokens.add(token)
        uow.commit()
    return {**token, "token": secret}


def revoke_token(tenant_id: str, token_id: str, uow: ProfilesUnitOfWork) -> dict:
    """The token stops working at once; revoking twice is harmless. NotFound if the tenant has no such token."""
    with uow:
        token = uow.scim_tokens.revoke(tenant_id, token_id, datetime.now(UTC))
        if token is None:
            raise NotFound(f"no SCIM token {token_id} in this tenant")
        uow.commit()
    return token
