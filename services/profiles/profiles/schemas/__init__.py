"""Profiles' HTTP schemas. Unknown fields are rejected (marshmallow's default, RAISE)."""
