"""SCIM 2.0 provisioning: `blueprint` serves /scim/v2 (SCIM-token auth), `tokens_blueprint` serves
/v1/scim-tokens (JWT, org admins)."""

from profiles.scim.api import blueprint
from profiles.scim.errors import answer_routing_errors_in_scim
from profiles.scim.tokens import blueprint as tokens_blueprint

__all__ = ["blueprint", "tokens_blueprint", "answer_routing_errors_in_scim"]
