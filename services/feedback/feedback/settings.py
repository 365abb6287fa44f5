"""Feedback's own settings, beside the platform's (see mentoring_shared.config)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from mentoring_shared.config import Environment


@dataclass(frozen=True)
class FeedbackSettings:
    edit_window: timedelta      # how long a submission can still be edited
    answer_within: timedelta    # after this, an open request counts as unanswered
    chore_interval_s: float     # how often the worker evaluates pair health and sends pulse surveys


def load_feedback_settings(environ: Mapping[str, str] | None = None) -> FeedbackSettings:
    env = Environment(environ)
    return FeedbackSettings(
        edit_window=timedelta(hours=env.integer("FEEDBACK_EDIT_WINDOW_HOURS", default=72, minimum=0,
                                                maximum=24 * 90)),
        answer_within=timedelta(days=env.integer("FEEDBACK_ANSWER_WITHIN_DAYS", default=14, minimum=1,
                                                 maximum=365)),
        chore_interval_s=float(env.integer("FEEDBACK_CHORE_INTERVAL_SECONDS", default=300, minimum=1,
                                           maximum=86_400)))
