"""Profiles is the source of people's data: it consumes no events (yet)."""

HANDLERS: dict = {}
