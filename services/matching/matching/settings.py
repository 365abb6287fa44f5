"""Matching's own settings, beside the platform's (see mentoring_shared.config)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from mentoring_shared.config import Environment

REQUEST_TTL_VARIABLE = "MATCHING_REQUEST_TTL_HOURS"


@dataclass(frozen=True)
class MatchingSettings:
    request_time_to_live: timedelta  # how long a mentor has to answer a request or a rematch proposal


def load_matching_settings(environ: Mapping[str, str] | None = None) -> MatchingSettings:
    hours = Environment(environ).integer(REQUEST_TTL_VARIABLE, default=72, minimum=1, maximum=24 * 90)
    return MatchingSettings(request_time_to_live=timedelta(hours=hours))
