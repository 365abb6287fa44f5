"""Whole-cohort matching: a seeded realistic cohort (bench.matching_cohorts) scored by the engine,
then solved four ways: the pruned flow with its pricing proof (solve_cohort) on the int16 matrix,
the same from the one-byte summary built while scoring (scoring.summarize_prepared +
bounded_solver.solve_summarized), OR-Tools over every pair (the exact reference, with the very
solve call and costs solve_cohort uses, so the ratio measures the pruning alone) and greedy
best-pair-first. Each method runs in its own process so that its peak memory (ru_maxrss) is its own.

Targets (issue 15): 20,000 x 4,000 (capacity 5) scored and solved proven-optimal within 6 s on an
idle machine, the solve in the scoring process no slower than alone; 100,000 x 20,000 scored and
solved proven-optimal within 60 s and 3 GiB. The full graph at 100,000 x 20,000 (about 1.1 billion
arcs) does not fit in memory and is not run; at 5,000 x 1,000 and 20,000 x 4,000 both pruned
objectives must equal the full graph's exactly.

    python -m bench.matching                 # all sizes, recorded in bench/RESULTS.md
    python -m bench.matching --quick         # small sizes, printed only (also BENCH_MATCHING_QUICK=1)
    python -m bench.matching --cohort synthetic   # low-rank synthetic scores, printed only"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SIZES = [(20_000, 4_000), (5_000, 1_000)]
QUICK_SIZES = [(2_000, 400), (1_000, 200)]
LARGE = (100_000, 20_000)        # the one-byte summary only: the int16 matrix alone would be 4 GB
QUICK_LARGE = (10_000, 2_000)
CAPACITY = 5
SEED = 7
CHILD_TIMEOUT_S = 1800


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_scores(n_mentees: int, n_mentors: int, seed: int = SEED, excluded: float = 0.02,
                     popularity: float = 0.6) -> np.ndarray:
    """Low-rank affinities plus a popularity per mentor plus noise, squashed to 0..1000, with a few
    pairs excluded: popular mentors everyone wants, as in real cohorts."""
    from matching.engine.model import EXCLUDED, SCORE_SCALE

    rng = np.random.default_rng(seed)
    rank = 8
    mentees = rng.standard_normal((n_mentees, rank)).astype(np.float32)
    mentors = rng.standard_normal((n_mentors, rank)).astype(np.float32)
    appeal = (rng.standard_normal(n_mentors) * popularity).astype(np.float32)
    scores = np.empty((n_mentees, n_mentors), np.int16)
    for start in range(0, n_mentees, 2048):
        stop = min(start + 2048, n_mentees)
        logits = mentees[start:stop] @ mentors.T * np.float32(0.9 / np.sqrt(rank)) + appeal
        logits += rng.standard_normal(logits.shape, dtype=np.float32) * np.float32(0.6)
        block = np.rint(SCORE_SCALE / (1 + np.exp(-logits)))
        block[rng.random(block.shape, dtype=np.float32) < excluded] = EXCLUDED
        scores[start:stop] = block
    return scores


# --- children: one measurement each, printed as one JSON line --------------------------------------

def _score(cohort: str, n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    started = time.perf_counter()
    if cohort == "synthetic":
        scores = synthetic_scores(n, m)
        figures = {"generate_s": 0.0, "score_s": time.perf_counter() - started}
        return scores, np.ones(n, np.int32), np.full(m, CAPACITY, np.int32), figures
    from bench.matching_cohorts import generate_cohort
    from matching.engine.scoring import score_pairs

    problem = generate_cohort(n, m, capacity=CAPACITY, seed=SEED)
    generated = time.perf_counter()
    scored = score_pairs(problem)
    figures = {"generate_s": generated - started, "score_s": time.perf_counter() - generated}
    del problem
    return scored.scores, scored.mentee_slots, scored.mentor_slots, figures


def _result(assignment, seconds: float) -> dict:
    figures = {"solve_s": seconds, "matched": assignment.matched_slots, "score": assignment.total_score,
               "peak_mib": _peak_mib()}
    if assignment.proof is not None:
        figures.update({f"proof_{key}": value for key, value in vars(assignment.proof).items()})
    return figures


def child_pipeline(cohort: str, n: int, m: int, store: Path) -> dict:
    """Score the cohort and solve it as the service does, in one process; keep the matrix for the others."""
    from matching.engine.solver import solve_cohort

    scores, mentee_slots, mentor_slots, figures = _score(cohort, n, m)
    figures["rss_before_solve_mib"] = _rss_mib()
    started = time.perf_counter()
    assignment = solve_cohort(scores, mentee_slots, mentor_slots)
    figures.update(_result(assignment, time.perf_counter() - started))
    figures["excluded_share"] = float(np.count_nonzero(scores < 0) / max(scores.size, 1))
    np.save(store / "scores.npy", scores)
    np.save(store / "mentee_slots.npy", mentee_slots)
    np.save(store / "mentor_slots.npy", mentor_slots)
    return figures


def child_solve(method: str, store: Path) -> dict:
    """One method on the stored matrix, alone in its process."""
    from bench.matching_baselines import solve_full_graph, solve_greedy
    from matching.engine.solver import solve_cohort

    solver = {"pruned": solve_cohort, "full": solve_full_graph, "greedy": solve_greedy}[method]
    scores, mentee_slots, mentor_slots = (np.load(store / f"{name}.npy")
                                          for name in ("scores", "mentee_slots", "mentor_slots"))
    loaded = _rss_mib()
    started = time.perf_counter()
    assignment = solver(scores, mentee_slots, mentor_slots)
    figures = _result(assignment, time.perf_counter() - started)
    figures["rss_loaded_mib"] = loaded
    return figures


def child_bounded(n: int, m: int) -> dict:
    """Score the cohort into its one-byte summary and solve from it, in one process, as a cohort too
    large for the int16 matrix would be."""
    from bench.matching_cohorts import generate_cohort
    from matching.engine.bounded_solver import solve_summarized
    from matching.engine.prepared_cohort import garbage_collection_paused, prepare_cohort
    from matching.engine.scoring import summarize_prepared

    started = time.perf_counter()
    problem = generate_cohort(n, m, capacity=CAPACITY, seed=SEED)
    generated = time.perf_counter()
    with garbage_collection_paused():
        cohort = prepare_cohort(problem)
        mentee_slots = np.array([person.slots for person in cohort.mentees], np.int32)
        mentor_slots = np.array([person.slots for person in cohort.mentors], np.int32)
        summary, row_scores = summarize_prepared(cohort, mentee_slots, mentor_slots)
    scored = time.perf_counter()
    figures = {"generate_s": generated - started, "score_s": scored - generated, "rss_before_solve_mib": _rss_mib(),
               "summary_mib": (summary.codes.nbytes + summary.kept_keys.nbytes + summary.kept_scores.nbytes) / 2 ** 20}
    assignment = solve_summarized(summary, row_scores, mentee_slots, mentor_slots)
    figures.update(_result(assignment, time.perf_counter() - scored))
    return figures


def _run_child(*args: str) -> dict:
    load = os.getloadavg()[0]     # other work on the machine shows in every timing: noted with each
    completed = subprocess.run([sys.executable, "-m", "bench.matching", "--child", *args], cwd=ROOT,
                               capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
    if completed.returncode:
        raise RuntimeError(f"bench child {args} failed:\n{completed.stderr[-4000:]}")
    return {**json.loads(completed.stdout.strip().splitlines()[-1]), "load": load}


# --- the parent --------------------------------------------------------------------------------

def run(cohort: str, sizes: list[tuple[int, int]], large: tuple[int, int] | None) -> list[dict]:
    results = []
    for n, m in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-matching-") as store:
            pipeline = _run_child("pipeline", cohort, str(n), str(m), store)
            pruned = _run_child("solve", "pruned", store)
            full = _run_child("solve", "full", store)
            greedy = _run_child("solve", "greedy", store)
        bounded = _run_child("bounded", str(n), str(m)) if cohort == "realistic" else None
        for name, other in (("pipeline", pipeline), ("solve alone", pruned), ("bounded", bounded)):
            if other and (other["matched"], other["score"]) != (full["matched"], full["score"]):
                raise AssertionError(f"{n} x {m}: pruned solve ({name}) {other['matched']} slots / {other['score']} "
                                     f"differs from the full graph's {full['matched']} / {full['score']}")
        results.append({"n": n, "m": m, "pipeline": pipeline, "pruned": pruned, "full": full, "greedy": greedy,
                        "bounded": bounded})
        print(f"{n} x {m}: " + json.dumps(results[-1]), flush=True)
    if large and cohort == "realistic":
        n, m = large
        bounded = _run_child("bounded", str(n), str(m))
        if not bounded["proof_proven"]:
            raise AssertionError(f"{n} x {m}: the bounded solve ended without its proof")
        results.append({"n": n, "m": m, "bounded": bounded})
        print(f"{n} x {m}: " + json.dumps(results[-1]), flush=True)
    return results


def report(cohort: str, results: list[dict]) -> str:
    from bench.results import machine

    source = ("bench.matching_cohorts.generate_cohort (seed 7) scored by matching.engine.scoring.score_pairs"
              if cohort == "realistic" else "bench.matching.synthetic_scores (low rank + mentor popularity, seed 7)")
    lines = [f"## Whole-cohort matching{'' if cohort == 'realistic' else ', synthetic scores'}", "",
             f"{machine()}. Cohort: {source}; one mentor per mentee, capacity {CAPACITY}. Each solver runs in its",
             "own process on the same matrix (peak = that process's ru_maxrss, the 2-byte-per-pair matrix included).",
             "The 1-minute load average when each process started is noted: above 2 the machine was shared and",
             "timings stretch.", ""]
    for result in results:
        n, m = result["n"], result["m"]
        if "full" not in result:
            lines += _large_report(n, m, result["bounded"])
            continue
        pipe, pruned, full, greedy = result["pipeline"], result["pruned"], result["full"], result["greedy"]
        speed = full["solve_s"] / pruned["solve_s"]
        lean = full["peak_mib"] / pruned["peak_mib"]
        gap = 1 - greedy["score"] / full["score"] if full["score"] else 0.0
        lines += [
            f"### {n:,} x {m:,} ({n * m / 1e6:,.1f} M pairs, {pipe['excluded_share']:.0%} excluded)", "",
            "| measure | value |", "|---|---|",
            (f"| cohort generation (bench only, not in the budget) / scoring (score_pairs) | "
             f"{pipe['generate_s']:.2f} s / {pipe['score_s']:.2f} s |" if cohort == "realistic" else
             f"| synthetic score matrix (stands for scoring) | {pipe['score_s']:.2f} s |"),
            f"| pruned solve + proof (solve_cohort), in the scoring process | {pipe['solve_s']:.2f} s |",
            f"| scoring + solve | {pipe['score_s'] + pipe['solve_s']:.2f} s (target 6 s on an idle machine; load "
            f"{pipe['load']:.1f}) |",
            f"| peak memory of that process (cohort, scores, solve) | {pipe['peak_mib']:,.0f} MiB; "
            f"{pipe['peak_mib'] - pipe['rss_before_solve_mib']:,.0f} MiB above its size before the solve (at most "
            f"what the solve adds) |",
            f"| pricing proof | {pipe['proof_rounds']} flows solved, {pipe['proof_pairs_added']:,} pairs added to "
            f"the first candidates, {pipe['proof_candidate_pairs']:,} arcs in the last flow, "
            f"{pipe['proof_pairs_priced'] / 1e6:,.1f} M reduced costs computed, proven: {pipe['proof_proven']} |",
            f"| objective (matched slots / total score) | {pipe['matched']:,} / {pipe['score']:,} |",
            f"| pruned solve alone (matrix loaded; load {pruned['load']:.1f}) | {pruned['solve_s']:.2f} s, "
            f"peak {pruned['peak_mib']:,.0f} MiB; "
            f"in the scoring process / alone: {pipe['solve_s'] / pruned['solve_s']:.2f} |",
            f"| full graph, OR-Tools over every pair, same solve call and costs | {full['solve_s']:.2f} s, "
            f"peak {full['peak_mib']:,.0f} MiB, {full['matched']:,} / {full['score']:,} |",
            f"| pruned vs full graph | {speed:.1f}x faster, {lean:.0f}x less memory, same objective |",
            f"| greedy (best pair first) | {greedy['solve_s']:.2f} s, {greedy['matched']:,} / {greedy['score']:,}: "
            f"{full['matched'] - greedy['matched']:,} fewer slots, score {gap:.2%} below the optimum |"]
        if result.get("bounded"):
            lines += _bounded_rows(result["bounded"]) + [
                f"| one-byte summary vs full graph | same objective; solve {full['solve_s'] / result['bounded']['solve_s']:.1f}x "
                f"faster |"]
        lines.append("")
    return "\n".join(lines)


def _bounded_rows(bounded: dict) -> list[str]:
    return [
        f"| one-byte summary: scoring into it (summarize_prepared) / solve from it (solve_summarized) | "
        f"{bounded['score_s']:.2f} s / {bounded['solve_s']:.2f} s = {bounded['score_s'] + bounded['solve_s']:.2f} s, "
        f"peak {bounded['peak_mib']:,.0f} MiB (summary {bounded['summary_mib']:,.0f} MiB); load {bounded['load']:.1f} |",
        f"| its proof | {bounded['proof_rounds']} flows solved, {bounded['proof_pairs_added']:,} pairs added, "
        f"{bounded['proof_candidate_pairs']:,} arcs in the last flow, {bounded['proof_rows_rescored']:,} mentee rows "
        f"scored again, proven: {bounded['proof_proven']}; {bounded['matched']:,} / {bounded['score']:,} |"]


def _large_report(n: int, m: int, bounded: dict) -> list[str]:
    return [
        f"### {n:,} x {m:,} ({n * m / 1e9:,.1f} billion pairs), one-byte summary", "",
        "| measure | value |", "|---|---|",
        f"| cohort generation (bench only, not in the budget) | {bounded['generate_s']:.2f} s |",
        *_bounded_rows(bounded),
        f"| scoring + solve | {bounded['score_s'] + bounded['solve_s']:.2f} s (target 60 s), peak "
        f"{bounded['peak_mib'] / 1024:,.2f} GiB (target 3 GiB) |",
        "| full graph | not run: about 1.1 billion arcs, tens of GB in OR-Tools; the int16 matrix alone is 4 GB |",
        ""]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_MATCHING_QUICK")))
    parser.add_argument("--cohort", choices=("realistic", "synthetic"), default="realistic")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "pipeline":
            figures = child_pipeline(rest[0], int(rest[1]), int(rest[2]), Path(rest[3]))
        elif kind == "bounded":
            figures = child_bounded(int(rest[0]), int(rest[1]))
        else:
            figures = child_solve(rest[0], Path(rest[1]))
        print(json.dumps(figures))
        return
    results = run(args.cohort, QUICK_SIZES if args.quick else SIZES, QUICK_LARGE if args.quick else LARGE)
    text = report(args.cohort, results)
    print(text)
    if not args.quick and args.cohort == "realistic":
        from bench.results import record

        record("matching", text)


if __name__ == "__main__":
    main()
