"""Profiles: the source of truth for who takes part in mentoring, and in what."""

SERVICE = "profiles"
