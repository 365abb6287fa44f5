"""Where a session of a given length may start, as a boolean grid per person: cell k is True when
[grid_start + k*step, + minutes) lies wholly inside the person's free time. Containment in both
people's free time is containment in their common free time, so a pair's possible starts are the
AND of two rows, and its earliest start is an `argmax`: a cohort is thousands of row operations
instead of interval arithmetic per pair. Exact to the minute, because each cell is decided from
the intervals, not from a coarsened picture of them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class StartGrid:
    """Session starts grid_start, grid_start + step, ... (epoch minutes), `cells` of them."""

    grid_start: int
    step: int
    cells: int
    minutes: int

    @classmethod
    def over(cls, not_before: int, horizon_end: int, minutes: int, step: int) -> "StartGrid":
        grid_start = -(-not_before // step) * step
        return cls(grid_start, step, max(0, (horizon_end - minutes - grid_start) // step + 1), minutes)

    def start_minute(self, cell: int) -> int:
        return self.grid_start + cell * self.step

    def feasible_starts(self, free_sets: list[np.ndarray]) -> np.ndarray:
        """A (people, cells) boolean matrix from each person's normal free set."""
        rows = len(free_sets)
        width = self.cells + 1  # one spare column: where the last run ends
        marks = np.zeros(rows * width, dtype=np.int8)
        if rows and self.cells:
            lengths = np.fromiter((len(free) for free in free_sets), dtype=np.int64, count=rows)
            if lengths.sum():
                spans = np.concatenate([free for free in free_sets if len(free)])
                owner = np.repeat(np.arange(rows, dtype=np.int64), lengths)
                first = -(-(spans[:, 0] - self.grid_start) // self.step)
                last = (spans[:, 1] - self.minutes - self.grid_start) // self.step
                first, last = np.maximum(first, 0), np.minimum(last, self.cells - 1)
                fits = first <= last
                owner, first, last = owner[fits], first[fits], last[fits]
                # +1 where a run of feasible starts begins, -1 after it ends; runs of one person never
                # overlap (its free intervals are disjoint), so the running sum is 0 or 1
                np.add.at(marks, owner * width + first, 1)
                np.add.at(marks, owner * width + last + 1, -1)
        running = np.cumsum(marks.reshape(rows, width), axis=1, dtype=np.int8)
        del marks
        return running[:, : self.cells].view(bool)  # 0 or 1: read as booleans without another copy

    def cells_overlapping(self, cell: int) -> slice:
        """The starts whose session would overlap one booked at `cell`."""
        reach = -(-self.minutes // self.step)  # cells within this many steps overlap
        return slice(max(cell - reach + 1, 0), min(cell + reach, self.cells))
