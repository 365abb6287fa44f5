"""A cohort's scores in one byte per pair, for cohorts whose int16 matrix would not fit (100,000 x
20,000 is 4 GB). Each mentee's scores are exact in a window of 176 values below its best score
(a matched pair lies within 300 of it, 99% within 190); lower scores fall in bins 8 wide that give
an upper bound; excluded pairs are marked. So pricing is exact for nearly every pair, and a mentee
is scored again only when a pair in a bin might still improve the flow. Besides, the exact scores
of each mentee's best pairs and of a few good mentees per mentor are kept apart: the pairs the flow
starts from. Built block of mentees by block of mentees from exact int16 rows that are then
thrown away."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.engine.model import EXCLUDED

KEPT_PER_MENTEE = 16     # about this many best pairs per mentee are kept exactly...
COLUMN_BEST = 1000       # ...and each mentor's best mentee of up to this many blocks of mentees
_MOST_KEPT = 8           # a mentee keeping more than 8 x KEPT_PER_MENTEE pairs (many ties) raises its cut-off
CODE_EXCLUDED = 0
FIRST_EXACT_CODE = 80    # codes 80..255: floor + code - 80, exact; 1..79: bins below the floor, 79 the highest
BIN_WIDTH = 8
EXACT_SCORES = 256 - FIRST_EXACT_CODE


@dataclass(frozen=True)
class ScoreSummary:
    n_mentees: int
    n_mentors: int
    kept_keys: np.ndarray     # int64, sorted: mentee * n_mentors + mentor, the pairs kept exactly
    kept_scores: np.ndarray   # int16, their scores
    codes: np.ndarray         # uint8 (n_mentees, n_mentors): see encode
    floors: np.ndarray        # int16 (n_mentees,): the lowest score of each mentee's window
    valid_pairs: int          # non-excluded pairs of participants with slots


@dataclass(frozen=True)
class SummarizedRows:
    """What summarize_rows makes of a block of exact rows."""

    kept_flat: np.ndarray     # int64 flat indices into the block of the pairs kept, sorted
    kept_scores: np.ndarray   # int16
    codes: np.ndarray         # uint8, the block's shape
    floors: np.ndarray        # int16 per row
    valid_pairs: int
    column_best_rows: np.ndarray    # int32 per column: its best row in the block (the first, on a tie)
    column_best_scores: np.ndarray  # int16: that row's score (EXCLUDED: none allowed)


def encode(rows: np.ndarray, best: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, floors) of exact int16 rows whose best scores are `best`: a score at or above its
    row's floor (best - 175, at least 0) is exact; below it, bins of BIN_WIDTH counted down from the
    floor, the lowest taking every lower score."""
    floors = np.maximum(best.astype(np.int16) - (EXACT_SCORES - 1), 0).astype(np.int16)
    codes = rows - (floors - FIRST_EXACT_CODE)[:, None]        # exact from the floor up: 80..255
    # Below: bin code 79 - (79 - code) // 8. The larger of the two is the right one either way,
    # which spares a select (a few whole-block passes of plain arithmetic instead).
    binned = np.subtract(FIRST_EXACT_CODE - 1, codes)
    binned >>= BIN_WIDTH.bit_length() - 1
    np.subtract(FIRST_EXACT_CODE - 1, binned, out=binned)
    np.maximum(codes, binned, out=codes)
    np.maximum(codes, 1, out=codes)                            # the lowest bin takes the rest
    codes *= rows >= 0                                         # excluded: CODE_EXCLUDED
    return codes.astype(np.uint8), floors


def is_binned(codes: np.ndarray) -> np.ndarray:
    """Where the code is a bin below the floor (the exact score is not at hand)."""
    return (codes != CODE_EXCLUDED) & (codes < FIRST_EXACT_CODE)


def decode(codes: np.ndarray, floors: np.ndarray, bins: bool = True) -> np.ndarray:
    """int16 scores of a block of codes: exact at or above the floor; in a bin, the bin's highest
    score (an upper bound), or EXCLUDED with bins=False; EXCLUDED where excluded."""
    floors = floors[:, None]
    scores = codes.astype(np.int16)
    binned = scores < FIRST_EXACT_CODE
    if bins:
        bounds = scores * BIN_WIDTH
        bounds += floors - 1 - (FIRST_EXACT_CODE - 1) * BIN_WIDTH
    scores += floors - FIRST_EXACT_CODE
    if bins:
        np.copyto(scores, bounds, where=binned)
        binned = codes == CODE_EXCLUDED
    np.copyto(scores, np.int16(EXCLUDED), where=binned)
    return scores


def summarize_rows(rows: np.ndarray, keep: int = KEPT_PER_MENTEE) -> SummarizedRows:
    """Summarize exact int16 rows (EXCLUDED where a pair is not allowed, participants without slots
    included). A row keeps the pairs at or above its cut-off, about its `keep` best: the cut-off is
    the best score among every keep-th column, not a selection over the whole row (any cut-off is
    correct; it only sets how many good pairs the flow starts from). And each column's best row in
    the block: the builder keeps each mentor's best few over all blocks, so that every mentor has
    good mentees to start from however unpopular it is."""
    n, m = rows.shape
    best = rows.max(axis=1) if m else np.full(n, EXCLUDED, np.int16)
    codes, floors = encode(rows, best)
    if not n or not m:
        return SummarizedRows(np.zeros(0, np.int64), np.zeros(0, np.int16), codes, floors, 0,
                              np.zeros(m, np.int32), np.full(m, EXCLUDED, np.int16))
    # The best of every keep-th mentor: about `keep` pairs of the row are at or above it.
    cut = np.maximum(rows[:, ::max(keep, 1)].max(axis=1), 0)   # never keep an excluded pair
    kept = rows >= cut[:, None]
    flat = np.flatnonzero(kept)
    crowded = np.flatnonzero(np.bincount(flat // m, minlength=n) > _MOST_KEPT * keep)
    if len(crowded):
        # A run of equal scores at the cut-off: leave the ties out (pricing reads them from the codes).
        kept[crowded] = rows[crowded] > cut[crowded, None]
        flat = np.flatnonzero(kept)
    best_rows = rows.argmax(axis=0)
    return SummarizedRows(flat, rows.reshape(-1)[flat], codes, floors, int(np.count_nonzero(rows >= 0)),
                          best_rows.astype(np.int32), rows[best_rows, np.arange(m)])


def without_inactive(rows: np.ndarray, mentee_slots: np.ndarray, mentor_slots: np.ndarray) -> np.ndarray:
    """Rows (of mentees with `mentee_slots`) with the pairs of participants without slots excluded:
    they take no part in the flow."""
    active_cols = mentor_slots > 0
    active_rows = mentee_slots > 0
    if active_cols.all() and active_rows.all():
        return rows
    return np.where(active_rows[:, None] & active_cols[None, :], rows, np.int16(EXCLUDED))


class SummaryBuilder:
    """Collects summarized blocks of rows, in any order and from several threads (each block writes
    its own rows of the codes and its own slot of the kept pairs)."""

    def __init__(self, n_mentees: int, n_mentors: int, keep: int = KEPT_PER_MENTEE):
        self.n_mentees, self.n_mentors, self.keep = n_mentees, n_mentors, keep
        self.codes = np.empty((n_mentees, n_mentors), np.uint8)
        self.floors = np.zeros(n_mentees, np.int16)
        self._kept: dict[int, tuple[np.ndarray, np.ndarray, int, np.ndarray, np.ndarray]] = {}

    def add(self, start: int, rows: np.ndarray) -> None:
        """Exact rows start..start+len(rows), already restricted with without_inactive."""
        summary = summarize_rows(rows, self.keep)
        self.codes[start:start + len(rows)] = summary.codes
        self.floors[start:start + len(rows)] = summary.floors
        # flat index in the block -> key in the whole cohort: the block's rows are contiguous
        self._kept[start] = (start * self.n_mentors + summary.kept_flat, summary.kept_scores, summary.valid_pairs,
                             start + summary.column_best_rows, summary.column_best_scores)

    def build(self) -> ScoreSummary:
        parts = [self._kept[start] for start in sorted(self._kept)]
        m = self.n_mentors
        key_parts = [part[0] for part in parts]
        score_parts = [part[1] for part in parts]
        if parts and m:
            # Each mentor's COLUMN_BEST best mentees among the blocks' bests.
            best_rows, best_scores = np.stack([part[3] for part in parts]), np.stack([part[4] for part in parts])
            top = min(COLUMN_BEST, len(parts))
            chosen = np.argpartition(-best_scores, top - 1, axis=0)[:top]
            columns = np.broadcast_to(np.arange(m), chosen.shape)
            rows, values = best_rows[chosen, columns], best_scores[chosen, columns]
            allowed = values >= 0
            key_parts.append(rows[allowed].astype(np.int64) * m + columns[allowed])
            score_parts.append(values[allowed])
        keys = np.concatenate(key_parts) if key_parts else np.zeros(0, np.int64)
        scores = np.concatenate(score_parts) if score_parts else np.zeros(0, np.int16)
        order = np.argsort(keys, kind="stable")
        keys, scores = keys[order], scores[order]
        first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, bool)
        return ScoreSummary(self.n_mentees, m, keys[first].astype(np.int64), scores[first], self.codes, self.floors,
                            sum(part[2] for part in parts))


def summarize_matrix(scores: np.ndarray, mentee_slots: np.ndarray, mentor_slots: np.ndarray,
                     keep: int = KEPT_PER_MENTEE, rows_per_block: int = 1024) -> ScoreSummary:
    """The summary of a whole matrix held in memory (tests, and cohorts scored the dense way)."""
    n, m = scores.shape
    builder = SummaryBuilder(n, m, keep)
    for start in range(0, n, rows_per_block):
        stop = min(start + rows_per_block, n)
        builder.add(start, without_inactive(scores[start:stop], mentee_slots[start:stop], mentor_slots))
    return builder.build()
