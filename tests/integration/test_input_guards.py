"""Input no schema can express, refused on every service with a problem naming it: JSON nested
deeper than any document of ours (a 400, instead of a parser recursing until Python gives up, a
500), and query parameters a change's route does not declare (a 422)."""

import pytest

from mentoring_shared.web.input_guards import MAX_JSON_DEPTH, json_depth_exceeds

PROBLEM = "application/problem+json"


@pytest.mark.parametrize("service, path", [("profiles", "/v1/people"), ("matching", "/v1/cohorts/c1/matching-runs"),
                                           ("scheduling", "/v1/mentorships/m1/sessions"),
                                           ("feedback", "/v1/pairs/m1/goals")])
def test_deeply_nested_json_is_a_400_on_every_service(api, service, path):
    body = "[" * 9000 + "]" * 9000  # about 18 KB
    response = api(service).post(path, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.mimetype == PROBLEM
    assert response.get_json()["errors"][0]["field"] == "body"


def test_nesting_is_counted_outside_strings_only():
    assert not json_depth_exceeds(b'{"name": "' + b"[" * 100 + b'"}')
    assert not json_depth_exceeds(b'{"a": "\\"[[[[' + b"[" * 100 + b'"}')
    assert json_depth_exceeds(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert not json_depth_exceeds(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert not json_depth_exceeds(b"[" + b"[]," * 500 + b"[]]")  # many brackets, shallow


@pytest.mark.parametrize("service, path", [("profiles", "/v1/people"), ("profiles", "/v1/programs"),
                                           ("feedback", "/v1/pairs/m1/goals")])
def test_a_change_with_undeclared_query_parameters_is_refused_naming_them(api, service, path):
    response = api(service).post(f"{path}?dry_run=1&zeta=2", json={})
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    errors = response.get_json()["errors"]
    assert [(e["field"], e["location"]) for e in errors] == [("dry_run", "query"), ("zeta", "query")]


@pytest.mark.parametrize("service, path", [("profiles", "/v1/programs/p1"), ("profiles", "/v1/people/p1"),
                                           ("feedback", "/v1/goals/g1")])
def test_a_patch_without_a_body_is_a_400_not_a_change_of_nothing(api, service, path):
    response = api(service).request("PATCH", path)
    assert response.status_code == 400 and response.mimetype == PROBLEM
    assert response.get_json()["errors"][0]["field"] == "body"
