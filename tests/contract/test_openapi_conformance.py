"""schemathesis drives every service's OpenAPI: no request it generates gets a 5xx, and every
response matches its documented status, content type and schema.

One check is left out: `positive_data_acceptance` expects every schema-valid request to succeed,
but domain rules beyond the schema (an IANA time zone, a cohort's state) rightly answer 422."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from mentoring_testing.fixtures import token

EXCLUDED_CHECKS = [schemathesis.checks.positive_data_acceptance]
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def openapi_of(service: str):
    @pytest.fixture
    def fixture(apps, tenant):
        # Through the spec's own security scheme, so schemathesis knows which requests carry auth.
        config = schemathesis.Config.from_dict(
            {"auth": {"openapi": {"bearerAuth": {"bearer": token(tenant, "org_admin")}}}})
        return schemathesis.openapi.from_wsgi("/openapi.json", apps[service], config=config)
    return fixture


profiles_openapi = openapi_of("profiles")
matching_openapi = openapi_of("matching")
scheduling_openapi = openapi_of("scheduling")
feedback_openapi = openapi_of("feedback")


@schemathesis.pytest.from_fixture("profiles_openapi").parametrize()
@EXAMPLES
def test_profiles_conforms_to_its_openapi(case):
    case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)


@schemathesis.pytest.from_fixture("matching_openapi").parametrize()
@EXAMPLES
def test_matching_conforms_to_its_openapi(case):
    case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)


@schemathesis.pytest.from_fixture("scheduling_openapi").parametrize()
@EXAMPLES
def test_scheduling_conforms_to_its_openapi(case):
    case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)


@schemathesis.pytest.from_fixture("feedback_openapi").parametrize()
@EXAMPLES
def test_feedback_conforms_to_its_openapi(case):
    case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)
