"""Pricing (pricing.py) from a score summary (score_summary.py) instead of the whole matrix. Blocks
of codes are priced as the dense matrix is (pricing.below_thresholds), comparing each code with the
threshold shifted by its mentee's floor, on a few threads (NumPy releases the GIL): exact for every
pair in its mentee's window. A pair in a bin is known only by an upper bound; a mentee whose floor,
with the highest mentor potential, cannot reach the threshold needs no more, the others are checked
pair by pair against their bins' bounds, and a mentee with a pair that might be negative is scored
again and priced from the exact row."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from matching.engine.candidates import round_robin
from matching.engine.potentials import Potentials
from matching.engine.pricing import below_thresholds, price, threshold_parts
from matching.engine.score_summary import BIN_WIDTH, CODE_EXCLUDED, FIRST_EXACT_CODE, ScoreSummary, is_binned

RowScores = Callable[[np.ndarray], np.ndarray]   # sorted mentee rows -> their exact int16 rows

_BLOCK_ROWS = 256        # mentees priced at a time (about 50 MB of temporaries at 20,000 mentors)
_RESCORE_ROWS = 256      # mentees scored again at a time (their exact rows and pricing temporaries)
_MAX_THREADS = 4
_TAKE_BELOW = 64         # a rescored mentee's binned pairs with a reduced cost below this leave the codes
_INT16_SPREAD = 2 ** 13  # mentor potentials spread less than this: thresholds and selection keys fit int16
_DEFER_ABOVE_SHARE = 10  # more negative pairs in the windows than 1 per 10 mentees: the bins wait a round


@dataclass(frozen=True)
class PricedPairs:
    rows: np.ndarray       # int32, sorted by (row, column)
    cols: np.ndarray       # int32
    scores: np.ndarray     # int16: exact scores
    reduced: np.ndarray    # int64 reduced costs, all below the slack
    rescored: int          # mentees scored again


def _price_rows(scores: np.ndarray, rows: np.ndarray, mentee_slots: np.ndarray, mentor_slots: np.ndarray,
                potentials: Potentials, bonus: int, candidate_keys: np.ndarray, per_mentee: int, slack: int):
    """pricing.price over exact rows `rows` (sorted) of the cohort: (rows, cols, scores, reduced)."""
    m = len(mentor_slots)
    inside = candidate_keys[np.searchsorted(candidate_keys, rows[0] * m):np.searchsorted(candidate_keys,
                                                                                           (rows[-1] + 1) * m)]
    chosen = np.zeros(rows[-1] - rows[0] + 1, bool)     # rows may be scattered: keep their candidates only
    chosen[rows - rows[0]] = True
    inside = inside[chosen[inside // m - rows[0]]]
    local_keys = np.searchsorted(rows, inside // m) * m + inside % m
    local = Potentials(potentials.mentees[rows], potentials.mentors, potentials.source, potentials.sink)
    r, c, reduced = price(scores, mentee_slots[rows], mentor_slots, local, bonus, local_keys, per_mentee, slack)
    return rows[r].astype(np.int64), c.astype(np.int64), scores[r, c], reduced


def price_summarized(summary: ScoreSummary, row_scores: RowScores, mentee_slots: np.ndarray,
                     mentor_slots: np.ndarray, potentials: Potentials, bonus: int, candidate_keys: np.ndarray,
                     per_mentee: int, slack: int = 0, taken_out: "TakenOut | None" = None) -> PricedPairs:
    """What pricing.price finds over the whole matrix, found from the summary: pairs outside the
    candidates with a reduced cost below `slack`, at most `per_mentee` per mentee (the lowest). A
    pair in a bin is offered only if its mentee is scored again, which happens whenever such a pair
    might be negative: so every negative pair is seen, and the proof holds. While the window's pairs
    alone improve the flow a lot, the bins wait (the next rounds' potentials clear most of them; the
    proof needs them only in the last round). A mentee scored again has its binned pairs near the
    threshold taken out of the codes into `taken_out`, priced exactly every round from then on, so
    the same mentee is not flagged, and scored, round after round."""
    taken_out = taken_out if taken_out is not None else TakenOut(summary.n_mentors)
    n, m = summary.n_mentees, summary.n_mentors
    row_part, col_part, spread = threshold_parts(potentials, bonus, slack, mentee_slots, mentor_slots)
    # In a block of codes, an exact code beats the threshold when code > row_part + 80 - floor - col_part.
    code_rows = row_part.astype(np.int64) + FIRST_EXACT_CODE - summary.floors
    if spread < _INT16_SPREAD:     # then every threshold that matters fits int16: half the memory traffic
        code_rows = np.minimum(code_rows, np.iinfo(np.int16).max).astype(np.int16)
        col_part = col_part.astype(np.int16)
    else:
        code_rows = code_rows.astype(row_part.dtype)

    def price_block(start: int):
        stop = min(start + _BLOCK_ROWS, n)
        codes = summary.codes[start:stop]
        inside = candidate_keys[np.searchsorted(candidate_keys, start * m):np.searchsorted(candidate_keys, stop * m)]
        flat = below_thresholds(codes, code_rows[start:stop], col_part, spread, FIRST_EXACT_CODE - 1,
                                inside - start * m, per_mentee, start)
        rows, cols = start + flat // m, flat % m
        scores = summary.floors[rows] + codes.reshape(-1)[flat].astype(np.int16) - FIRST_EXACT_CODE
        reduced = potentials.mentees[rows] - potentials.mentors[cols] - bonus - scores.astype(np.int64)
        return rows.astype(np.int64), cols.astype(np.int64), scores, reduced

    found = _on_threads(price_block, range(0, n, _BLOCK_ROWS))
    rescore = np.zeros(0, np.int64)
    # While the windows alone improve the flow a lot, the bins wait for the next round's potentials.
    if sum(int(np.count_nonzero(part[3] < 0)) for part in found) <= n // _DEFER_ABOVE_SHARE:
        bins = _BinCheck(summary, potentials, bonus, mentee_slots, mentor_slots)
        checked = _on_threads(lambda start: bins.rows_to_score(start, summary.codes[start:start + _BLOCK_ROWS]),
                              range(0, n, _BLOCK_ROWS))
        rescore = np.concatenate(checked) if checked else rescore
    rescored_row = np.zeros(n, bool)
    rescored_row[rescore] = True
    found.append(taken_out.price(potentials, bonus, candidate_keys, per_mentee, slack))
    found = [tuple(values[~rescored_row[part[0]]] for values in part) for part in found]
    def score_again(start: int):
        chosen = rescore[start:start + _RESCORE_ROWS]
        exact = row_scores(chosen)
        taken_out.take(summary, chosen, exact, potentials, bonus)
        return _price_rows(exact, chosen, mentee_slots, mentor_slots, potentials, bonus, candidate_keys, per_mentee,
                           slack)

    found += _on_threads(score_again, range(0, len(rescore), _RESCORE_ROWS))
    rows, cols, scores, reduced = (np.concatenate([part[i] for part in found]) for i in range(4))
    order = np.argsort(rows * m + cols, kind="stable")
    return PricedPairs(rows[order].astype(np.int32), cols[order].astype(np.int32), scores[order].astype(np.int16),
                       reduced[order].astype(np.int64), len(rescore))


class TakenOut:
    """Binned pairs of mentees scored again, with their exact scores, taken out of the codes (marked
    excluded there, so the bins of their mentee no longer flag it) and priced exactly every round."""

    def __init__(self, n_mentors: int):
        self.n_mentors = n_mentors
        self.keys = np.zeros(0, np.int64)      # sorted
        self.scores = np.zeros(0, np.int16)
        self._new: list[tuple[np.ndarray, np.ndarray]] = []   # appended from several threads, merged once

    def take(self, summary: ScoreSummary, rows: np.ndarray, exact: np.ndarray, potentials: Potentials,
             bonus: int) -> None:
        """From the exact rows `rows`: the binned pairs whose reduced cost is below _TAKE_BELOW.
        Threads may take from different rows at once."""
        reduced = (potentials.mentees[rows] - bonus)[:, None] - potentials.mentors[None, :] - exact
        r, c = np.nonzero(is_binned(summary.codes[rows]) & (exact >= 0) & (reduced < _TAKE_BELOW))
        if len(r):
            summary.codes[rows[r], c] = CODE_EXCLUDED
            self._new.append((rows[r].astype(np.int64) * self.n_mentors + c, exact[r, c]))

    def _merge(self) -> None:
        if self._new:
            keys = np.concatenate([self.keys] + [keys for keys, _ in self._new])
            scores = np.concatenate([self.scores] + [scores for _, scores in self._new])
            order = np.argsort(keys, kind="stable")
            self.keys, self.scores, self._new = keys[order], scores[order], []

    def price(self, potentials: Potentials, bonus: int, candidate_keys: np.ndarray, per_mentee: int, slack: int):
        """(rows, cols, scores, reduced) of those outside the candidates below the slack, at most
        `per_mentee` per mentee, the lowest."""
        self._merge()
        outside = ~is_member(self.keys, candidate_keys)
        keys, scores = self.keys[outside], self.scores[outside]
        rows, cols = keys // self.n_mentors, keys % self.n_mentors
        reduced = potentials.mentees[rows] - potentials.mentors[cols] - bonus - scores.astype(np.int64)
        below = np.flatnonzero(reduced < slack)
        picked = below[_lowest_per_row(rows[below], cols[below], reduced[below], per_mentee, self.n_mentors)]
        return rows[picked], cols[picked], scores[picked], reduced[picked]


def _lowest_per_row(rows: np.ndarray, cols: np.ndarray, reduced: np.ndarray, top: int, n_mentors: int) -> np.ndarray:
    """Indices of each row's `top` pairs of lowest reduced cost, ties round-robin from the row."""
    if not len(rows):
        return np.zeros(0, np.int64)
    order = np.lexsort((round_robin(cols, rows, n_mentors), reduced, rows))
    ordered_rows = rows[order]
    first = np.flatnonzero(np.r_[True, ordered_rows[1:] != ordered_rows[:-1]])
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
    return order[rank < top]


class _BinCheck:
    """Which mentees have a pair in a bin that might be negative. A bin code c holds scores up to
    floor - 1 - (79 - c) * 8, above the threshold when 8c > row_part - floor + 633 - col_part; it
    is enough to test c > floor((row_part - floor + 633) / 8) - ceil(col_part / 8), which that
    implies, in int16 on the codes. Exact codes are capped at 79: they stand for scores at or above
    the floor, so they pass only where a pair of the highest bin would."""

    def __init__(self, summary: ScoreSummary, potentials: Potentials, bonus: int, mentee_slots: np.ndarray,
                 mentor_slots: np.ndarray):
        row_part, col_part, _ = threshold_parts(potentials, bonus, 0, mentee_slots, mentor_slots)
        floors = summary.floors.astype(np.int64)
        self.summary = summary
        # Below the floor a score is less than it: only mentees where that can beat a threshold.
        self.may_reach = (floors - 1 + int(col_part.max(initial=0)) > row_part) & (floors > 0)
        rows = (row_part - floors + 1 + (FIRST_EXACT_CODE - 1) * BIN_WIDTH) // BIN_WIDTH
        cols = -(-col_part.astype(np.int64) // BIN_WIDTH)
        fits = max(np.abs(rows[self.may_reach]).max(initial=0), np.abs(cols).max(initial=0)) < 2 ** 14
        self.dtype = np.int16 if fits else np.int64
        self.rows, self.cols = rows.astype(self.dtype), cols.astype(self.dtype)

    def rows_to_score(self, start: int, codes: np.ndarray) -> np.ndarray:
        checked = np.flatnonzero(self.may_reach[start:start + len(codes)])
        if not len(checked):
            return checked.astype(np.int64)
        capped = np.minimum(codes[checked], FIRST_EXACT_CODE - 1)
        threshold = np.subtract.outer(self.rows[start + checked], self.cols)
        np.maximum(threshold, CODE_EXCLUDED, out=threshold)      # excluded pairs never pass
        return (start + checked[(capped > threshold).any(axis=1)]).astype(np.int64)


def _on_threads(work: Callable, starts: range) -> list:
    threads = min(os.cpu_count() or 1, len(starts), _MAX_THREADS)
    if threads <= 1:
        return [work(start) for start in starts]
    with ThreadPoolExecutor(threads, thread_name_prefix="price-blocks") as pool:
        return list(pool.map(work, starts))


def is_member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """np.isin for a sorted set of keys, by binary search (both are millions of keys each round)."""
    if not len(sorted_keys):
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[at] == values
