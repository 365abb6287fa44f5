"""Schema fields with the strictness our APIs promise."""

from __future__ import annotations

import marshmallow as ma


class WholeNumber(ma.fields.Integer):
    """An integer that refuses a fractional number (marshmallow's Integer would store 2.5 as 2), and
    still reads "10" from a query string. 2.0 is taken as 2: it names a whole number."""

    def _validated(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid")
        if isinstance(value, bool):  # True is an int to Python, not a number to a client
            raise self.make_error("invalid")
        return super()._validated(value)
