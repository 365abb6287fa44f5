from mentoring_shared.web.problems import validation_errors


def test_nested_validation_messages_are_flattened_to_dotted_fields():
    errors = validation_errors({"json": {"email": ["Not a valid email address."],
                                         "address": {"city": ["Missing data for required field."]},
                                         "_schema": ["Invalid input type."]},
                                "query": {"limit": ["Must be between 1 and 200."]}})
    assert {"field": "email", "location": "json", "message": "Not a valid email address."} in errors
    assert {"field": "address.city", "location": "json", "message": "Missing data for required field."} in errors
    assert {"field": "body", "location": "json", "message": "Invalid input type."} in errors
    assert {"field": "limit", "location": "query", "message": "Must be between 1 and 200."} in errors
