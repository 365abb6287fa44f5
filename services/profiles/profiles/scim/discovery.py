"""The discovery documents (RFC 7643 §5-7): what this server supports, and the schemas it serves."""

from __future__ import annotations

from zoneinfo import available_timezones

from profiles.scim.models import ENTERPRISE

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"

SPC = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


def service_provider_config(base_url: str) -> dict:
    return {
        "schemas": [SPC],
        "documentationUri": "https://datatracker.ietf.org/doc/html/rfc7644",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": 200},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": True},
        "authenticationSchemes": [{"type": "oauthbearertoken", "name": "SCIM bearer token", "primary": True,
                                   "description": "A per-tenant token an org admin creates at POST /v1/scim-tokens"}],
        "meta": {"resourceType": "ServiceProviderConfig", "location": f"{base_url}/ServiceProviderConfig"},
    }


def resource_types(base_url: str) -> list[dict]:
    return [
        {"schemas": [RESOURCE_TYPE], "id": "User", "name": "User", "endpoint": "/Users",
         "description": "A person taking part in mentoring", "schema": USER,
         "schemaExtensions": [{"schema": ENTERPRISE, "required": False}],
         "meta": {"resourceType": "ResourceType", "location": f"{base_url}/ResourceTypes/User"}},
        {"schemas": [RESOURCE_TYPE], "id": "Group", "name": "Group", "endpoint": "/Groups",
         "description": "A group of people (e.g. a department or team)", "schema": GROUP, "schemaExtensions": [],
         "meta": {"resourceType": "ResourceType", "location": f"{base_url}/ResourceTypes/Group"}},
    ]


def _attribute(name: str, type_: str = "string", *, required: bool = False, multi: bool = False,
               uniqueness: str = "none", mutability: str = "readWrite", sub: list | None = None,
               case_exact: bool = False, references: list | None = None, canonical: list | None = None,
               description: str | None = None, returned: str = "default") -> dict:
    attribute = {"name": name, "type": type_, "multiValued": multi, "description": description or name,
                 "required": required,
                 "mutability": mutability, "returned": returned, "uniqueness": uniqueness}
    if type_ in ("string", "reference"):
        attribute["caseExact"] = case_exact
    if sub:
        attribute["subAttributes"] = sub
    if references:
        attribute["referenceTypes"] = references
    if canonical:
        attribute["canonicalValues"] = canonical
    return attribute


def schemas(base_url: str) -> list[dict]:
    user = [
        _attribute("userName", required=True, uniqueness="server",
                   description="Any string, unique in the tenant without regard to case"),
        _attribute("name", "complex", sub=[_attribute("formatted"), _attribute("givenName"),
                                           _attribute("familyName")]),
        _attribute("displayName"),
        _attribute("title"),
        _attribute("timezone", canonical=sorted(available_timezones()),
                   description="An IANA time zone (the canonical values are every one accepted)"),
        _attribute("active", "boolean"),
        # Required because every person has an email (a userName that is an email is accepted instead).
        _attribute("emails", "complex", multi=True, required=True,
                   description="The primary email (else the work one, else the first) is the person's email",
                   sub=[_attribute("value", required=True), _attribute("type", canonical=["work", "home", "other"]),
                        _attribute("primary", "boolean")]),
    ]
    enterprise = [
        _attribute("employeeNumber", uniqueness="server"),
        _attribute("department"),
        _attribute("manager", "complex", sub=[_attribute("value"), _attribute("$ref", "reference",
                                                                              references=["User"]),
                                              _attribute("displayName", mutability="readOnly")]),
    ]
    group = [
        _attribute("displayName", required=True, uniqueness="server"),
        _attribute("members", "complex", multi=True, sub=[
            _attribute("value", mutability="immutable"),
            _attribute("display", mutability="readOnly", returned="request",
                       description="The member's name, when asked for with attributes=members.display"),
            _attribute("type", mutability="immutable", canonical=["User"]),
            _attribute("$ref", "reference", mutability="immutable", references=["User"])]),
    ]
    return [{"schemas": [SCHEMA], "id": schema_id, "name": name, "description": description,
             "attributes": attributes,
             "meta": {"resourceType": "Schema", "location": f"{base_url}/Schemas/{schema_id}"}}
            for schema_id, name, description, attributes in (
                (USER, "User", "User Account", user),
                (ENTERPRISE, "EnterpriseUser", "Enterprise User", enterprise),
                (GROUP, "Group", "Group", group))]
