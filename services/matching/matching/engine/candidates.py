"""Which pairs the flow starts from: each mentee's best mentors and each mentor's best mentees,
chosen exactly from the whole score matrix in bounded memory, then grown until they can match as
many slots as the whole matrix can (cheap max flows). Ties go round-robin, so that a block of
equal scores does not send every mentee to the same few mentors."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from ortools.graph.python import max_flow

from matching.engine.model import EXCLUDED, SCORE_SCALE

ROWS_PER_CHUNK = 1024    # full-matrix passes work on this many rows at a time (bounded memory)
_DENSE_BELOW = 16        # a chunk keeping more than 16 x top pairs per line is selected densely


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """np.unique for int64 keys, by sorting (numpy's hash-based unique is several times slower here)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def round_robin(members: np.ndarray, origins, n_members: int) -> np.ndarray:
    """Where a member comes among equals, counted from the group's origin and wrapping around.
    Ties go round-robin (mentee i prefers mentor i mod n_mentors, then the next, ...): with
    lower-index-first every mentee of a block of equal scores would pick the same few mentors."""
    return (members - origins) % max(n_members, 1)


def rotated_rank(ties: np.ndarray, origins: np.ndarray, axis: int) -> np.ndarray:
    """1-based rank of each True of `ties` along `axis` in round-robin order: each line (row for
    axis=1, column for axis=0) is read from its origin position (0..length-1) and wraps around."""
    counted = np.cumsum(ties, axis=axis, dtype=np.int32)
    total = np.take(counted, [-1], axis=axis)
    origins = np.expand_dims(origins, axis)
    before = np.where(origins > 0, np.take_along_axis(counted, np.maximum(origins - 1, 0), axis=axis), 0)
    positions = np.expand_dims(np.arange(ties.shape[axis]), 1 - axis)
    return counted - before + np.where(positions < origins, total, 0)


def top_per_group(groups: np.ndarray, values: np.ndarray, members: np.ndarray, n_members: int, top: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Each group's `top` entries by value (desc), ties round-robin from member (group mod
    n_members) (see round_robin), as (groups, members) in that order. Values are scores
    (0..SCORE_SCALE): group, value and turn pack into one int64 key, and one sort does the work."""
    if not len(groups) or top <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    groups = groups.astype(np.int64)
    span = (SCORE_SCALE + 1) * n_members
    turn = round_robin(members.astype(np.int64), groups, n_members)
    keys = np.sort(groups * span + (SCORE_SCALE - values.astype(np.int64)) * n_members + turn)
    sorted_groups = keys // span
    first = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    rank = np.arange(len(keys)) - np.repeat(first, np.diff(np.r_[first, len(keys)]))
    kept = keys[rank < top]
    groups = kept // span
    return groups, (kept % n_members + groups) % n_members


def _row_bounds(block: np.ndarray, k: int) -> np.ndarray:
    """Per row of `block`, a lower bound (>= 0) of its k-th best score. Split the row into k
    groups: the least of the k group maxima is at most the k-th largest (they are k distinct
    entries). A max pass is far cheaper than a selection, and on rows of random order the bound
    keeps only about k*ln(k) entries above it."""
    if block.shape[1] < k:
        return np.zeros(block.shape[0], np.int16)
    size = block.shape[1] // k
    maxima = block[:, :size * k].reshape(block.shape[0], k, size).max(axis=2)
    return np.maximum(maxima.min(axis=1), 0).astype(np.int16)


def _column_bounds(scores: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """The same per column, over the given rows only, k groups of rows at a time."""
    bound = np.full(scores.shape[1], SCORE_SCALE, np.int16)
    if len(rows) < k:
        return np.zeros(scores.shape[1], np.int16)
    size = len(rows) // k
    contiguous = len(rows) == scores.shape[0]
    for group in range(k):
        lines = scores[group * size:(group + 1) * size] if contiguous else scores[rows[group * size:(group + 1) * size]]
        np.minimum(bound, lines.max(axis=0), out=bound)
    return np.maximum(bound, 0)


def _dense_top(values: np.ndarray, top: int, axis: int, origins: np.ndarray) -> np.ndarray:
    """Mask of each row's (axis=1) or column's (axis=0) `top` best entries >= 0, ties round-robin
    from each line's origin position, on a dense block: for lines where ties leave the bounds loose
    (many equal scores)."""
    length = values.shape[axis]
    if length <= top:
        return values >= 0
    # Each line's k-th best by bisection on the score (11 counting passes): selection algorithms
    # crawl on lines of few distinct values, which is what sends a block here.
    low = np.full(values.shape[1 - axis], EXCLUDED, np.int16)   # at least `top` entries >= low
    high = np.full(values.shape[1 - axis], SCORE_SCALE + 1, np.int16)
    while np.any(high - low > 1):
        middle = ((low.astype(np.int32) + high) // 2).astype(np.int16)
        enough = np.count_nonzero(values >= np.expand_dims(middle, axis), axis=axis) >= top
        low, high = np.where(enough, middle, low), np.where(enough, high, middle)
    kth = np.expand_dims(np.maximum(low, 0), axis)
    above = values > kth
    ties = values == kth
    room = top - np.count_nonzero(above, axis=axis, keepdims=True)
    return above | (ties & (rotated_rank(ties, origins, axis) <= room))


def top_in_rows(values: np.ndarray, row_ids: np.ndarray, top: int) -> np.ndarray:
    """Flat indices of each row's `top` best entries >= 0 (ties round-robin from the row's id), in
    a block whose rows are `row_ids`: the entries at or above each row's bound, sorted once; or,
    when ties leave the bounds loose, the dense selection."""
    width = values.shape[1]
    hit = values >= _row_bounds(values, top)[:, None]
    if np.count_nonzero(hit) > _DENSE_BELOW * top * len(values):
        return np.flatnonzero(_dense_top(values, top, axis=1, origins=row_ids % max(width, 1)))
    flat = np.flatnonzero(hit)
    rows, cols = top_per_group(row_ids[flat // width], values.reshape(-1)[flat], flat % width, width, top)
    return np.searchsorted(row_ids, rows) * width + cols


def candidate_pairs(scores: np.ndarray, mentee_slots: np.ndarray, mentor_slots: np.ndarray,
                    mentee_top: int, mentor_top: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Each mentee's `mentee_top` best mentors and each mentor's `mentor_top` best mentees (ties
    round-robin), among non-excluded pairs of participants with slots; as (rows, cols) sorted by
    row then column, and the number of non-excluded pairs of participants with slots.

    Exact, without selecting over whole rows: cheap max passes give each row (column) a lower bound
    of its k-th best score, one pass over the matrix keeps the few pairs at or above the bounds,
    and the exact top k are chosen among those by one sort of packed keys. Where ties make a bound
    loose (a block of equal scores), that block is selected densely instead; memory stays bounded
    by the chunk either way."""
    n, m = scores.shape
    mentee_top, mentor_top = max(mentee_top, 0), max(mentor_top, 0)
    active_rows, active_cols = np.flatnonzero(mentee_slots > 0), np.flatnonzero(mentor_slots > 0)
    col_bound = np.full(m, SCORE_SCALE + 1, np.int16)   # inactive columns: above every score
    if mentor_top and len(active_rows):
        col_bound[active_cols] = _column_bounds(scores, active_rows, mentor_top)[active_cols]
    all_cols_active = len(active_cols) == m
    picked: list[np.ndarray] = [np.zeros(0, np.int64)]   # the kept pairs' keys, chunk by chunk
    col_rows: list[np.ndarray] = []
    col_cols: list[np.ndarray] = []
    col_values: list[np.ndarray] = []
    valid_pairs = 0
    for start in range(0, n, ROWS_PER_CHUNK):
        block = scores[start:start + ROWS_PER_CHUNK]
        rows_active = mentee_slots[start:start + len(block)] > 0
        if not rows_active.any() or not len(active_cols):
            continue
        if not (all_cols_active and rows_active.all()):
            # pairs of participants without slots are out, as if excluded
            block = np.where(rows_active[:, None] & (mentor_slots > 0)[None, :], block, np.int16(EXCLUDED))
        valid_pairs += int(np.count_nonzero(block >= 0))
        if mentee_top:
            picked.append(start * m + top_in_rows(block, start + np.arange(len(block)), mentee_top))
        if mentor_top:
            hit = block >= col_bound[None, :]
            if np.count_nonzero(hit) > _DENSE_BELOW * mentor_top * m:
                # a column's turn starts at row (column mod n): where that falls in this chunk
                origin = np.arange(m) % max(n, 1) - start
                hit = _dense_top(block, mentor_top, axis=0,
                                 origins=np.where((origin > 0) & (origin < len(block)), origin, 0))
            flat = np.flatnonzero(hit)
            # This chunk's best per column only: the best of those over all chunks are the best.
            c, r = top_per_group(flat % m, block.reshape(-1)[flat], start + flat // m, n, mentor_top)
            col_rows.append(r)
            col_cols.append(c)
            col_values.append(block[r - start, c])
    if mentor_top and col_rows:
        r, c, v = np.concatenate(col_rows), np.concatenate(col_cols), np.concatenate(col_values)
        kept_cols, kept_rows = top_per_group(c, v, r, n, mentor_top)
        picked.append(kept_rows * m + kept_cols)
    keys = sorted_unique(np.concatenate(picked))
    return (keys // max(m, 1)).astype(np.int32), (keys % max(m, 1)).astype(np.int32), valid_pairs


def complete_cardinality(scores: np.ndarray, mentee_slots: np.ndarray, mentor_slots: np.ndarray,
                         candidate_keys: np.ndarray, per_mentee: int) -> tuple[np.ndarray, int]:
    """Candidates (sorted keys row * n_mentors + column) grown until they match as many slots as
    the whole matrix can (see grow_to_full_cardinality): each mentee on the source side of the cut
    gets its `per_mentee` best pairs across it."""

    def best_across(open_mentees: np.ndarray, open_mentors: np.ndarray) -> np.ndarray:
        found = [np.zeros(0, np.int64)]
        for start in range(0, len(open_mentees), ROWS_PER_CHUNK):
            block_rows = open_mentees[start:start + ROWS_PER_CHUNK]
            flat = top_in_rows(scores[np.ix_(block_rows, open_mentors)], block_rows, per_mentee)
            r, c = flat // len(open_mentors), flat % len(open_mentors)
            found.append(block_rows[r].astype(np.int64) * scores.shape[1] + open_mentors[c])
        return np.concatenate(found)

    return grow_to_full_cardinality(mentee_slots, mentor_slots, candidate_keys, best_across)


def grow_to_full_cardinality(mentee_slots: np.ndarray, mentor_slots: np.ndarray, candidate_keys: np.ndarray,
                             best_across: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> tuple[np.ndarray, int]:
    """Candidates grown until they match as many slots as all pairs can; returns them and how many
    were added. A max flow over the candidates is cheap; its minimum cut splits mentees the source
    still reaches from mentors that still reach the sink, and any allowed pair across the cut is an
    augmenting path. `best_across(open_mentees, open_mentors)` (both sorted) gives pairs across the
    cut as keys; they join, and again until none is new. Without this the first min-cost flows
    would be spent on the bonus alone (their duals price almost every pair as negative)."""
    n, m = len(mentee_slots), len(mentor_slots)
    source, sink = n + m, n + m + 1
    mentees, mentors = np.flatnonzero(mentee_slots > 0), np.flatnonzero(mentor_slots > 0)
    fixed_arcs = (np.concatenate([np.full(len(mentees), source), n + mentors]).astype(np.int32),
                  np.concatenate([mentees, np.full(len(mentors), sink)]).astype(np.int32),
                  np.concatenate([mentee_slots[mentees], mentor_slots[mentors]]).astype(np.int64))
    added = 0
    while True:
        rows, cols = candidate_keys // m, candidate_keys % m
        flow = max_flow.SimpleMaxFlow()
        flow.add_arcs_with_capacity(rows.astype(np.int32), (n + cols).astype(np.int32), np.ones(len(rows), np.int64))
        flow.add_arcs_with_capacity(*fixed_arcs)
        if flow.solve(source, sink) != max_flow.SimpleMaxFlow.OPTIMAL:
            raise RuntimeError("max flow failed")
        reached = np.asarray(flow.get_source_side_min_cut())
        reaching = np.asarray(flow.get_sink_side_min_cut())
        open_mentees = reached[reached < n]
        open_mentors = reaching[(reaching >= n) & (reaching < n + m)] - n
        if not len(open_mentees) or not len(open_mentors):
            return candidate_keys, added
        open_mentees.sort()
        open_mentors.sort()
        keys = best_across(open_mentees, open_mentors)
        # A taken candidate can cross the cut (mentor to mentee in the residual graph): not new.
        keys = keys[~np.isin(keys, candidate_keys, assume_unique=True)]
        if not len(keys):
            return candidate_keys, added
        added += len(keys)
        candidate_keys = sorted_unique(np.concatenate([candidate_keys, keys]))
