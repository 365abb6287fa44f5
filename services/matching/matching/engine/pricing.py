"""Pricing: which pairs outside the candidates could still improve the flow. Under the potentials
of the solved flow (potentials.py) a pair's forward arc has the reduced cost
    -(bonus + score) + p(mentee) - p(mentor);
none negative over the whole matrix means the restricted optimum is the optimum over all pairs."""

from __future__ import annotations

import numpy as np

from matching.engine.candidates import ROWS_PER_CHUNK, rotated_rank, round_robin
from matching.engine.model import EXCLUDED, SCORE_SCALE
from matching.engine.potentials import Potentials


def price(scores: np.ndarray, mentee_slots: np.ndarray, mentor_slots: np.ndarray, potentials: Potentials,
          bonus: int, candidate_keys: np.ndarray, per_mentee: int, slack: int = 0
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs outside the candidates whose forward arc has a reduced cost
    -(bonus + score) + p(mentee) - p(mentor) below `slack`, at most `per_mentee` per mentee (the
    lowest; ties round-robin, see round_robin); as (rows, cols) sorted, with their reduced costs.

    A pair is negative when score > threshold = p(mentee) - bonus - p(mentor). Scores lie in
    -1..SCORE_SCALE, so the threshold matters only clipped to about that range, which lets the
    whole matrix be compared in int32; EXCLUDED never passes, its threshold being at least -1."""
    n, m = scores.shape
    row_part, col_part, spread = threshold_parts(potentials, bonus, slack, mentee_slots, mentor_slots)
    found = []
    for start in range(0, n, ROWS_PER_CHUNK):
        block = scores[start:start + ROWS_PER_CHUNK]
        stop = start + len(block)
        # Candidate pairs are in the flow already (taken pairs have a negative forward reduced cost).
        inside = candidate_keys[np.searchsorted(candidate_keys, start * m):np.searchsorted(candidate_keys, stop * m)]
        flat = below_thresholds(block, row_part[start:stop], col_part, spread, EXCLUDED, inside - start * m,
                                per_mentee, start)
        if len(flat):
            found.append(start * m + flat.astype(np.int64))
    if not found:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int64)
    keys = np.concatenate(found)
    r, c = keys // m, keys % m
    reduced = potentials.mentees[r] - potentials.mentors[c] - bonus - scores[r, c].astype(np.int64)
    if np.any(reduced >= slack):
        raise AssertionError("pricing found a pair whose reduced cost is not below the slack")
    return r.astype(np.int32), c.astype(np.int32), reduced


def below_thresholds(block: np.ndarray, row_part: np.ndarray, col_part: np.ndarray, spread: int, never: int,
                     known: np.ndarray, per_mentee: int, first_row: int) -> np.ndarray:
    """Flat indices (row-major) of the entries of `block` above max(row_part - col_part, never),
    leaving out the flat indices `known`; at most `per_mentee` per row, the highest entry + col_part
    (the lowest reduced cost; ties round-robin from the row, `first_row` being the block's first).
    Any values that order a row's pairs as its scores do will do: scores, or codes above `never`."""
    m = block.shape[1]
    threshold = np.subtract.outer(row_part, col_part)
    np.maximum(threshold, never, out=threshold)      # the comparison is exact in int32 above that
    negative = block > threshold
    del threshold
    negative.reshape(-1)[known] = False
    flat = np.flatnonzero(negative)
    if not len(flat) or not per_mentee:
        return flat
    heavy = np.bincount(flat // m, minlength=len(block)) > per_mentee
    if not heavy.any():
        return flat
    if len(flat) * 8 > negative.size:
        # Most of the block is negative (the restricted flow left slots it could fill): select row by
        # row on the dense block.
        negative[heavy] = _most_negative(block[heavy], negative[heavy], col_part, spread, per_mentee,
                                         (first_row + np.flatnonzero(heavy)) % m)
        return np.flatnonzero(negative)
    return flat[_most_negative_sparse(flat, block, col_part, heavy, per_mentee, first_row)]


def threshold_parts(potentials: Potentials, bonus: int, slack: int, mentee_slots: np.ndarray,
                    mentor_slots: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(row_part, col_part, spread): a pair's reduced cost is below `slack` exactly when its score
    is above max(row_part - col_part, EXCLUDED); col_part lies in 0..spread for mentors with slots.
    int32 unless the potentials spread too far."""
    row_part = potentials.mentees - bonus - slack
    col_part = potentials.mentors.copy()
    active_cols = mentor_slots > 0
    # Participants with no slots have no arcs: put their thresholds above every score.
    lowest = int(col_part[active_cols].min()) if active_cols.any() else 0
    col_part = col_part - lowest
    spread = int(col_part[active_cols].max()) if active_cols.any() else 0
    dtype = np.int32 if spread < 2 ** 30 else np.int64
    ceiling = spread + SCORE_SCALE + 1
    col_part[~active_cols] = -2 * (SCORE_SCALE + 1)      # threshold > SCORE_SCALE whatever the row
    row_part = np.clip(row_part - lowest, -2, ceiling)
    row_part[mentee_slots == 0] = ceiling + SCORE_SCALE + 1
    return row_part.astype(dtype), col_part.astype(dtype), spread


def _most_negative_sparse(flat: np.ndarray, block: np.ndarray, col_part: np.ndarray, heavy: np.ndarray,
                          top: int, start: int) -> np.ndarray:
    """The same selection as _most_negative over the negative pairs of a block (its first row is
    `start`) given as flat indices in row-major order: a mask of those to keep (every pair of a
    row that is not heavy)."""
    m = block.shape[1]
    r, c = flat // m, flat % m
    keep = ~heavy[r]
    which = np.flatnonzero(~keep)
    key = block.reshape(-1)[flat[which]].astype(np.int64) + col_part[c[which]]
    order = which[np.lexsort((round_robin(c[which], start + r[which], m), -key, r[which]))]
    rows = r[order]
    first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
    keep[order[rank < top]] = True
    return keep


def _most_negative(block: np.ndarray, negative: np.ndarray, col_part: np.ndarray, spread: int, top: int,
                   origins: np.ndarray) -> np.ndarray:
    """Per row (each with more than `top` negative pairs), a mask of the `top` negative pairs of
    lowest reduced cost, ties round-robin from the row's origin column. In a row the reduced cost is
    a constant minus (score + mentor potential); col_part is the mentor potential shifted into
    0..spread."""
    key = block.astype(col_part.dtype)
    key += col_part
    # Pairs that are not negative sink below every negative one, keeping their (mostly distinct)
    # values: selection slows down several times on a row full of one repeated value.
    key[~negative] -= spread + 2 * (SCORE_SCALE + 1)
    m = key.shape[1]
    kth = np.partition(key, m - top, axis=1)[:, m - top][:, None]
    above = key > kth
    ties = key == kth
    room = top - np.count_nonzero(above, axis=1)
    return above | (ties & (rotated_rank(ties, origins, axis=1) <= room[:, None]))
