"""Every event contract of the platform, in one registry."""

from mentoring_shared.contracts import feedback, matching, profiles, scheduling
from mentoring_shared.contracts.registry import EventRegistry


def platform_events() -> EventRegistry:
    return EventRegistry([*profiles.CONTRACTS, *matching.CONTRACTS, *scheduling.CONTRACTS, *feedback.CONTRACTS])
