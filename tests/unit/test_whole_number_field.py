"""WholeNumber: integers from JSON and query strings, never a fraction silently cut."""

import marshmallow as ma
import pytest

from mentoring_shared.web.fields import WholeNumber


class Capacity(ma.Schema):
    capacity = WholeNumber()


@pytest.mark.parametrize("value, loaded", [(2, 2), (2.0, 2), ("10", 10)])
def test_whole_numbers_load(value, loaded):
    assert Capacity().load({"capacity": value}) == {"capacity": loaded}


@pytest.mark.parametrize("value", [2.5, "2.5", True, "two", None])
def test_anything_else_is_invalid(value):
    with pytest.raises(ma.ValidationError) as error:
        Capacity().load({"capacity": value})
    assert "capacity" in error.value.messages
