"""What solve_cohort is measured against: the same flow over every pair of the matrix (the exact
reference, too big for a whole cohort in the time and memory budget), and the greedy matching
people would write first (best pair first), which is fast but not optimal. Kept with the benchmarks,
not in the service: no request ever runs them (the solver's unit tests use them as oracles)."""

from __future__ import annotations

import numpy as np

from matching.engine.model import SCORE_SCALE
from matching.engine.solver import Assignment, empty_assignment, solve_flow_in_parts, validate

_ROWS_PER_CHUNK = 1024
_GREEDY_BATCH = 65536  # greedy re-filters the pairs still possible this often


def _assignment(scores: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> Assignment:
    keys = np.sort(rows.astype(np.int64) * scores.shape[1] + cols)
    rows, cols = keys // scores.shape[1], keys % scores.shape[1]
    pairs = np.stack([rows, cols], axis=1).astype(np.int32)
    return Assignment(pairs, int(scores[rows, cols].astype(np.int64).sum()), len(pairs), None)


def solve_full_graph(scores: np.ndarray, mentee_slots: np.ndarray, mentor_slots: np.ndarray) -> Assignment:
    """The optimum with every non-excluded pair as an arc, solved in one go by the very call and costs
    solve_cohort uses on its candidates (solver.solve_flow: max flow with min cost, the plain scores
    as costs), so that the comparison measures the pruning and nothing else."""
    scores, mentee_slots, mentor_slots = validate(scores, mentee_slots, mentor_slots)
    n, m = scores.shape
    if not n or not m or not mentee_slots.any() or not mentor_slots.any():
        return empty_assignment(None)
    pair_rows, pair_cols = [], []

    def allowed_pairs():
        active_cols = mentor_slots > 0
        for start in range(0, n, _ROWS_PER_CHUNK):  # chunk by chunk: no 80-million-entry temporaries
            block = scores[start:start + _ROWS_PER_CHUNK]
            r, c = np.nonzero((block >= 0) & active_cols & (mentee_slots[start:start + len(block), None] > 0))
            values = block[r, c]
            r, c = (r + start).astype(np.int32), c.astype(np.int32)
            pair_rows.append(r)
            pair_cols.append(c)
            yield r, c, values

    used = solve_flow_in_parts(allowed_pairs(), mentee_slots, mentor_slots)
    rows, cols = np.concatenate(pair_rows), np.concatenate(pair_cols)
    return _assignment(scores, rows[used], cols[used])


def solve_greedy(scores: np.ndarray, mentee_slots: np.ndarray, mentor_slots: np.ndarray) -> Assignment:
    """Pairs by descending score (ties: lower row, then lower column), each taken if both sides
    still have room. Deterministic. Scans the matrix in score bands from the top, and walks each
    band's pairs in order in batches, dropping those whose mentee or mentor is already full."""
    scores, mentee_slots, mentor_slots = validate(scores, mentee_slots, mentor_slots)
    n, m = scores.shape
    mentee_room, mentor_room = mentee_slots.copy(), mentor_slots.copy()
    taken_rows: list[int] = []
    taken_cols: list[int] = []
    high, band = SCORE_SCALE, 8
    while high >= 0 and mentee_room.any() and mentor_room.any():
        low = max(high - band + 1, 0)
        open_rows = np.flatnonzero(mentee_room > 0)
        open_cols = mentor_room > 0
        keys = []
        for start in range(0, len(open_rows), _ROWS_PER_CHUNK):
            rows = open_rows[start:start + _ROWS_PER_CHUNK]
            block = scores[rows]
            # low <= score <= high in one comparison: below low wraps around to a large unsigned value
            in_band = (block - np.int16(low)).view(np.uint16) <= high - low
            in_band &= open_cols
            flat = np.flatnonzero(in_band)
            r, c = flat // m, flat % m
            # (score descending, row, column) as one int64 key
            keys.append(((SCORE_SCALE - block.reshape(-1)[flat].astype(np.int64)) * n + rows[r]) * m + c)
        keys = np.sort(np.concatenate(keys)) if keys else np.zeros(0, np.int64)
        for first in range(0, len(keys), _GREEDY_BATCH):
            batch = keys[first:first + _GREEDY_BATCH]
            r, c = (batch // m) % n, batch % m
            still = (mentee_room[r] > 0) & (mentor_room[c] > 0)
            mentee_left, mentor_left = mentee_room.tolist(), mentor_room.tolist()
            for row, col in zip(r[still].tolist(), c[still].tolist()):
                if mentee_left[row] and mentor_left[col]:
                    mentee_left[row] -= 1
                    mentor_left[col] -= 1
                    taken_rows.append(row)
                    taken_cols.append(col)
            mentee_room, mentor_room = np.array(mentee_left, np.int64), np.array(mentor_left, np.int64)
        # Bands widen while they hold few pairs: a handful of matrix scans in all.
        band = band * 2 if len(keys) < 2_000_000 else max(band // 2, 1)
        high = low - 1
    return _assignment(scores, np.array(taken_rows, np.int64), np.array(taken_cols, np.int64))
