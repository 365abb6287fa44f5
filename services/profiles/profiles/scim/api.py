"""/scim/v2: SCIM 2.0 (RFC 7643/7644) for identity providers (Okta, Microsoft Entra ID): the
blueprint with every route registered. protocol.py has authentication and errors; the routes are
in user_routes, group_routes and discovery_routes."""

from profiles.scim import discovery_routes, group_routes, user_routes  # noqa: F401  (registers the routes)
from profiles.scim.protocol import blueprint

__all__ = ["blueprint"]
