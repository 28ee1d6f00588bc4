"""Benchmark replications: sequential vs every local core, and the memory of many summary rows.

Usage: ``python bench/bench_experiment.py [--reps 1000] [--repeat 1] [--big 10000]``

1. ``--reps`` replications of ``baseline``, first in this process (``jobs=1``, the
   baseline of the comparison) then on a process pool of every core, ``--repeat`` times
   each; prints median wall times, the speed-up, and checks both give identical numbers.
   The pool's start-up is included (a first call starts it; later calls reuse it).
2. ``--big`` replications on the pool while tracing the memory this (parent) process
   allocates: only summary rows come back, so the peak stays small. Prints the peak and
   the size of the final frame. ``--big 0`` skips this step.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from bench_run import machine  # noqa: E402

from sop_sim.experiment import replicate, shutdown_pool  # noqa: E402
from sop_sim.experiment.runner import local_cores, local_pool  # noqa: E402

MB = 1024 * 1024


def workers_cpu(cores: int) -> float:
    """CPU seconds used so far by the local pool's live worker processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in list(local_pool(cores)._processes):  # a private attribute: fine for a benchmark
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def wall(fn) -> tuple[float, pd.DataFrame]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--big", type=int, default=10_000)
    args = ap.parse_args()
    cores = local_cores()
    print(machine())
    seq_t, par_t, busy = [], [], []
    for _ in range(args.repeat):
        t, seq = wall(lambda: replicate("baseline", reps=args.reps, jobs=1, progress=False))
        seq_t.append(t)
        shutdown_pool()  # count the pool's start-up in every parallel timing
        t, par = wall(lambda: replicate("baseline", reps=args.reps, progress=False))
        par_t.append(t)
        busy.append(workers_cpu(cores) / (t * cores))
        pd.testing.assert_frame_equal(par, seq, check_exact=True)
    s, p = statistics.median(seq_t), statistics.median(par_t)
    print(f"{args.reps} replications of baseline (median of {args.repeat}):")
    print(f"  sequential (1 process): {s:.1f} s wall, {s / args.reps * 1e3:.1f} ms per run")
    print(f"  parallel ({cores} workers, pool start-up included): {p:.1f} s wall (target <= 20 s)")
    print(f"  speed-up: {s / p:.2f}x (target >= 1.7x); results identical bit for bit")
    print(f"  workers got {statistics.median(busy):.0%} of {cores} cores during the parallel run "
          "(well below 100% means other processes shared the machine)")
    if args.big:
        tracemalloc.start()
        t, big = wall(lambda: replicate("baseline", reps=args.big, seed=1, progress=False))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        frame = big.memory_usage(deep=True).sum()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{args.big} replications on {cores} workers: {t:.1f} s wall")
        print(f"  frame of {len(big)} summary rows: {frame / MB:.1f} MB")
        print(f"  peak Python allocation in this process while running: {peak / MB:.1f} MB")
        print(f"  peak resident memory: this process {rss:.0f} MB, largest worker {kids:.0f} MB")
    shutdown_pool()


if __name__ == "__main__":
    main()
