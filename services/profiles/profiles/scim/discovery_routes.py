"""/scim/v2's self-description: ServiceProviderConfig, ResourceTypes, Schemas (RFC 7644 §4)."""

from __future__ import annotations

from flask.views import MethodView

from profiles.scim import discovery
from profiles.scim.errors import ScimError, scim_response
from profiles.scim.protocol import base_url, blueprint, list_response


@blueprint.route("/ServiceProviderConfig")
class ServiceProviderConfig(MethodView):
    def get(self):
        return scim_response(discovery.service_provider_config(base_url()))


@blueprint.route("/ResourceTypes")
class ResourceTypes(MethodView):
    def get(self):
        resources = discovery.resource_types(base_url())
        return scim_response(list_response(resources, len(resources), 1))


@blueprint.route("/ResourceTypes/<string:name>")
class ResourceTypeItem(MethodView):
    def get(self, name):
        found = [item for item in discovery.resource_types(base_url()) if item["id"].lower() == name.lower()]
        if not found:
            raise ScimError(404, f"no resource type {name}")
        return scim_response(found[0])


@blueprint.route("/Schemas")
class Schemas(MethodView):
    def get(self):
        resources = discovery.schemas(base_url())
        return scim_response(list_response(resources, len(resources), 1))


@blueprint.route("/Schemas/<string:schema_id>")
class SchemaItem(MethodView):
    def get(self, schema_id):
        found = [item for item in discovery.schemas(base_url()) if item["id"].lower() == schema_id.lower()]
        if not found:
            raise ScimError(404, f"no schema {schema_id}")
        return scim_response(found[0])
