"""Node potentials of a solved cohort flow: the shortest-path distances of its residual graph from a
virtual root joined to every node by a 0-cost arc. On an optimal flow they are well defined (no
negative cycle) and every residual arc has a reduced cost >= 0, which is the dual certificate the
solver uses to price pairs it left out. OR-Tools solves the flow but does not expose its duals.

The cohort network, in the numbering used here: mentees 0..n-1, mentors n..n+m-1, source n+m,
sink n+m+1.
    source -> mentee      capacity: mentors the mentee wants, cost 0
    mentee -> mentor      capacity 1 per candidate pair, cost -(bonus + score)
    mentor -> sink        capacity: places the mentor has left, cost 0
    source -> sink        capacity: every mentee slot, cost 0 (the slots that stay unmatched)
The source supplies every mentee slot and the sink takes them all."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class InfeasiblePotentials(AssertionError):
    """The potentials leave a residual arc with a negative reduced cost: the flow is not optimal, or
    the potentials are wrong. Either is a bug, never a result."""


@dataclass(frozen=True)
class CohortFlow:
    """A flow of the cohort network restricted to candidate pairs."""

    mentee_slots: np.ndarray  # int64 (n,)
    mentor_slots: np.ndarray  # int64 (m,)
    rows: np.ndarray          # int32 (p,): the candidate pairs' mentees
    cols: np.ndarray          # int32 (p,): their mentors
    weights: np.ndarray       # int64 (p,): bonus + score, minus the pair arc's cost
    used: np.ndarray          # bool (p,): the pair carries flow

    @property
    def n_mentees(self) -> int:
        return len(self.mentee_slots)

    @property
    def n_mentors(self) -> int:
        return len(self.mentor_slots)

    def mentee_flow(self) -> np.ndarray:
        return np.bincount(self.rows[self.used], minlength=self.n_mentees).astype(np.int64)

    def mentor_flow(self) -> np.ndarray:
        return np.bincount(self.cols[self.used], minlength=self.n_mentors).astype(np.int64)


@dataclass(frozen=True)
class Potentials:
    """Shortest residual distances (all <= 0), one per node; reduced cost = cost + p(tail) - p(head)."""

    mentees: np.ndarray  # int64 (n,)
    mentors: np.ndarray  # int64 (m,)
    source: int
    sink: int

    def as_vector(self) -> np.ndarray:
        """In the network's node numbering (mentees, mentors, source, sink)."""
        return np.concatenate([self.mentees, self.mentors, [self.source, self.sink]]).astype(np.int64)


def residual_arcs(flow: CohortFlow) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every arc of the residual graph as (tails, heads, costs), in the network's node numbering."""
    n, m = flow.n_mentees, flow.n_mentors
    source, sink = n + m, n + m + 1
    mentee_flow, mentor_flow = flow.mentee_flow(), flow.mentor_flow()
    supply, matched = int(flow.mentee_slots.sum()), int(flow.used.sum())
    mentees, mentors = np.arange(n), n + np.arange(m)
    free, used = ~flow.used, flow.used

    def zero_cost(tails, heads):
        return tails, heads, np.zeros(len(tails), np.int64)

    parts = [
        (flow.rows[free], n + flow.cols[free], -flow.weights[free]),     # pair not taken: may take it
        (n + flow.cols[used], flow.rows[used], flow.weights[used]),      # pair taken: may give it back
    ]
    unsaturated, flowing = mentee_flow < flow.mentee_slots, mentee_flow > 0
    open_, loaded = mentor_flow < flow.mentor_slots, mentor_flow > 0
    parts += [
        zero_cost(np.full(int(unsaturated.sum()), source), mentees[unsaturated]),
        zero_cost(mentees[flowing], np.full(int(flowing.sum()), source)),
        zero_cost(mentors[open_], np.full(int(open_.sum()), sink)),
        zero_cost(np.full(int(loaded.sum()), sink), mentors[loaded]),
        zero_cost(np.array([source] * (matched > 0)), np.array([sink] * (matched > 0))),          # bypass less
        zero_cost(np.array([sink] * (supply > matched)), np.array([source] * (supply > matched))),  # bypass more
    ]
    tails, heads, costs = (np.concatenate([part[i] for part in parts]).astype(np.int64) for i in range(3))
    return tails, heads, costs


def reduced_costs(flow: CohortFlow, potentials: Potentials) -> np.ndarray:
    """The reduced cost of every residual arc (order of `residual_arcs`)."""
    tails, heads, costs = residual_arcs(flow)
    p = potentials.as_vector()
    return costs + p[tails] - p[heads]


def check_feasible(flow: CohortFlow, potentials: Potentials) -> None:
    """Raise InfeasiblePotentials unless every residual arc has a reduced cost >= 0."""
    costs = reduced_costs(flow, potentials)
    if len(costs) and int(costs.min()) < 0:
        raise InfeasiblePotentials(f"{int((costs < 0).sum())} residual arcs have a negative reduced cost "
                                   f"(lowest {int(costs.min())})")


def _csr(tails: np.ndarray, heads: np.ndarray, costs: np.ndarray, n_tails: int):
    order = np.argsort(tails, kind="stable")
    indptr = np.zeros(n_tails + 1, np.int64)
    np.cumsum(np.bincount(tails, minlength=n_tails), out=indptr[1:])
    return indptr, heads[order].astype(np.int64), costs[order].astype(np.int64)


def _relax(tail_dist: np.ndarray, frontier: np.ndarray, csr, head_dist: np.ndarray) -> np.ndarray:
    """Relax the arcs out of `frontier` (tail indices) into `head_dist` in place; return a mask of
    the heads whose distance went down."""
    indptr, heads, costs = csr
    improved = np.zeros(len(head_dist), bool)
    if not len(frontier):
        return improved
    starts = indptr[frontier]
    counts = indptr[frontier + 1] - starts
    total = int(counts.sum())
    if not total:
        return improved
    # Arc positions of every frontier node's range, without a Python loop.
    arcs = np.arange(total, dtype=np.int64) + np.repeat(starts - (np.cumsum(counts) - counts), counts)
    candidate = np.repeat(tail_dist[frontier], counts) + costs[arcs]
    target = heads[arcs]
    better = candidate < head_dist[target]
    if better.any():
        target, candidate = target[better], candidate[better]
        np.minimum.at(head_dist, target, candidate)
        improved[target] = True
    return improved


def shortest_path_potentials(flow: CohortFlow) -> Potentials:
    """Label-correcting Bellman-Ford that only relaxes arcs out of nodes whose distance changed,
    mentee side then mentor side in each round (the graph is bipartite apart from source and sink).
    Raises InfeasiblePotentials on a negative cycle (the flow was not optimal)."""
    n, m = flow.n_mentees, flow.n_mentors
    mentee_flow, mentor_flow = flow.mentee_flow(), flow.mentor_flow()
    free, used = ~flow.used, flow.used
    forward = _csr(flow.rows[free].astype(np.int64), flow.cols[free].astype(np.int64), -flow.weights[free], n)
    backward = _csr(flow.cols[used].astype(np.int64), flow.rows[used].astype(np.int64), flow.weights[used], m)
    unsaturated = mentee_flow < flow.mentee_slots   # source -> mentee
    flowing = mentee_flow > 0                       # mentee -> source
    open_ = mentor_flow < flow.mentor_slots         # mentor -> sink
    loaded = mentor_flow > 0                        # sink -> mentor
    supply, matched = int(flow.mentee_slots.sum()), int(flow.used.sum())
    source_to_sink, sink_to_source = matched > 0, supply - matched > 0

    dm, dn = np.zeros(n, np.int64), np.zeros(m, np.int64)
    ds = dt = 0
    changed_m = np.ones(n, bool)
    source_changed = sink_changed = True
    for _ in range(n + m + 3):
        # Mentees whose distance changed: to mentors over pairs not taken, and back to the source.
        frontier = np.flatnonzero(changed_m)
        changed_n = _relax(dm, frontier, forward, dn)
        back = changed_m & flowing
        if back.any() and int(dm[back].min()) < ds:
            ds, source_changed = int(dm[back].min()), True
        # Mentors whose distance changed: to the sink if they have room.
        to_sink = changed_n & open_
        if to_sink.any() and int(dn[to_sink].min()) < dt:
            dt, sink_changed = int(dn[to_sink].min()), True
        # Source and sink between themselves (0-cost arcs).
        if source_to_sink and ds < dt:
            dt, sink_changed = ds, True
        if sink_to_source and dt < ds:
            ds, source_changed = dt, True
        if sink_changed:
            lowered = loaded & (dn > dt)
            dn[lowered] = dt
            changed_n |= lowered
        # Mentors to mentees over pairs taken, and the source to mentees with room.
        changed_m = _relax(dn, np.flatnonzero(changed_n), backward, dm)
        if source_changed:
            lowered = unsaturated & (dm > ds)
            dm[lowered] = ds
            changed_m |= lowered
        source_changed = sink_changed = False
        if not changed_m.any():
            return Potentials(dm, dn, ds, dt)
    raise InfeasiblePotentials("the residual graph has a negative cycle: the flow is not optimal")
