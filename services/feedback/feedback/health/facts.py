"""What the health rules look at, per pair (`PairFacts`) and for a whole cohort as columns (`PairFactsTable`).

The service's queries produce the counts for the rules' windows (cancellations within
`cancellations_window_days`, feedback requests open longer than `unanswered_feedback_days`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

NO_TIME = np.iinfo(np.int64).min  # stands for "no completed session yet" in the columnar form


RATINGS_KEPT = 10  # the latest ratings a pair is judged on; HealthRules.ratings_in_mean is at most this

@dataclass(frozen=True)
class PairFacts:
    match_id: str
    confirmed_at: datetime
    last_completed_session_at: datetime | None = None
    cancellations_in_window: int = 0  # no-shows included
    recent_ratings: Sequence[float] = field(default_factory=tuple)  # oldest first, the latest last
    unanswered_feedback_requests: int = 0  # open longer than the rules' unanswered_feedback_days


def epoch_seconds(moment: datetime) -> int:
    if moment.tzinfo is None:  # a naive time would be read in the machine's zone: refuse it
        raise ValueError(f"time must be timezone-aware, not {moment!r}")
    return int(moment.timestamp())


@dataclass(frozen=True)
class PairFactsTable:
    """A cohort's facts, one array per fact, row i being pair i. Times are Unix seconds.
    `ratings` is right-aligned (each row's latest rating in the last column) and NaN-padded on the left."""

    match_ids: list[str]
    confirmed_at: np.ndarray  # int64
    last_completed_session_at: np.ndarray  # int64, NO_TIME where there has been no session
    cancellations_in_window: np.ndarray  # int64
    ratings: np.ndarray  # float64, shape (pairs, width)
    unanswered_feedback_requests: np.ndarray  # int64

    def __post_init__(self) -> None:
        pairs = len(self.match_ids)
        columns = (self.confirmed_at, self.last_completed_session_at, self.cancellations_in_window,
                   self.unanswered_feedback_requests)
        if any(column.shape != (pairs,) for column in columns) or self.ratings.ndim != 2 \
                or self.ratings.shape[0] != pairs:
            raise ValueError("every column of a PairFactsTable must have one entry per match id")

    def __len__(self) -> int:
        return len(self.match_ids)

    @classmethod
    def from_rows(cls, rows: Iterable[PairFacts], keep_ratings: int = RATINGS_KEPT) -> PairFactsTable:
        """Columns from per-pair facts; only each pair's latest `keep_ratings` ratings are kept."""
        rows = list(rows)
        if len({row.match_id for row in rows}) != len(rows):
            raise ValueError("match ids in a PairFactsTable must be unique")
        width = max(1, min(keep_ratings, max((len(row.recent_ratings) for row in rows), default=0)))
        ratings = np.full((len(rows), width), np.nan)
        for index, row in enumerate(rows):
            latest = list(row.recent_ratings)[-width:]
            if latest:
                ratings[index, width - len(latest):] = latest
        return cls(
            match_ids=[row.match_id for row in rows],
            confirmed_at=np.array([epoch_seconds(row.confirmed_at) for row in rows], dtype=np.int64),
            last_completed_session_at=np.array(
                [NO_TIME if row.last_completed_session_at is None else epoch_seconds(row.last_completed_session_at)
                 for row in rows], dtype=np.int64),
            cancellations_in_window=np.array([row.cancellations_in_window for row in rows], dtype=np.int64),
            ratings=ratings,
            unanswered_feedback_requests=np.array([row.unanswered_feedback_requests for row in rows], dtype=np.int64),
        )
