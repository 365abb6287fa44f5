"""The thresholds that judge a pair's health: defaults, validation, and a program's or tenant's override."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from feedback.health.facts import RATINGS_KEPT

RATING_BASES = ("latest", "mean")


class InvalidRule(ValueError):
    """A threshold that cannot be used, naming the setting at fault."""

    def __init__(self, setting: str, message: str):
        super().__init__(message)
        self.setting = setting


@dataclass(frozen=True)
class HealthRules:
    """Each rule has a needs-check-in threshold and a stricter at-risk one; days and counts are inclusive
    (a pair with exactly `no_session_days_check_in` days without a session needs a check-in)."""

    # No session: days since the last completed session (or since the match, if none yet).
    no_session_days_check_in: int = 30
    no_session_days_at_risk: int = 60
    # Cancellations (no-shows included) counted over the window; the facts are gathered for this window.
    cancellations_window_days: int = 60
    cancellations_check_in: int = 2
    cancellations_at_risk: int = 3
    # A rating at or below `low_rating` needs a check-in, at or below `low_rating_at_risk` puts the pair at
    # risk. The judged value is the latest rating, or the mean of the last `ratings_in_mean`.
    rating_basis: str = "latest"
    ratings_in_mean: int = 3
    rating_scale: int = 5
    low_rating: float = 2
    low_rating_at_risk: float = 1
    # Feedback requests still open after `unanswered_feedback_days` days.
    unanswered_feedback_days: int = 14
    unanswered_check_in: int = 1
    unanswered_at_risk: int = 3
    # A new pair has had no chance to meet yet: the no-session rule waits this long after the match.
    grace_days_after_match: int = 21

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "rating_basis":
                if value not in RATING_BASES:
                    raise InvalidRule(field.name,
                                      f"rating_basis must be one of {', '.join(RATING_BASES)}, not {value!r}")
                continue
            numeric = (int, float) if field.name in ("low_rating", "low_rating_at_risk") else (int,)
            if isinstance(value, bool) or not isinstance(value, numeric):
                kind = "a number" if float in numeric else "an integer"
                raise InvalidRule(field.name, f"{field.name} must be {kind}, not {value!r}")
            minimum = 0 if field.name == "grace_days_after_match" else 1
            if value < minimum:
                raise InvalidRule(field.name, f"{field.name} must be at least {minimum}, not {value!r}")
        if self.ratings_in_mean > RATINGS_KEPT:
            raise InvalidRule("ratings_in_mean", f"ratings_in_mean must be at most {RATINGS_KEPT}, "
                                                 f"not {self.ratings_in_mean!r}")
        self._require_order("no_session_days_check_in", "no_session_days_at_risk")
        self._require_order("cancellations_check_in", "cancellations_at_risk")
        self._require_order("unanswered_check_in", "unanswered_at_risk")
        self._require_order("low_rating_at_risk", "low_rating")  # lower is worse for ratings
        if self.low_rating >= self.rating_scale:
            raise InvalidRule("low_rating", f"low_rating must be below rating_scale ({self.rating_scale}), "
                                            f"not {self.low_rating!r}")

    def _require_order(self, lower: str, upper: str) -> None:
        if getattr(self, lower) > getattr(self, upper):
            raise InvalidRule(upper, f"{upper} ({getattr(self, upper)}) must not be below "
                                     f"{lower} ({getattr(self, lower)})")

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, Any], base: HealthRules | None = None) -> HealthRules:
        """`base` (the defaults, or a program's rules) with a program's or tenant's overrides applied.
        Unknown keys are rejected so a misspelt setting cannot silently fall back to the default."""
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise InvalidRule(unknown[0], f"unknown health rule setting(s): {', '.join(map(str, unknown))}")
        return cls(**{**asdict(base or cls()), **overrides})
