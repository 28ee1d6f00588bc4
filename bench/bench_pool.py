"""Local pool: joblib's loky executor (the kit's default) against the old hand-written pool.

Usage: ``python bench/bench_pool.py [--reps 200] [--repeat 3] [--write]``

Times ``replicate("baseline", reps)`` on 2 workers, start-up included (each pool is shut
down before each timing), alternating the two pools so both see the same machine load:
loky through the default path, the old pool as ``concurrent.futures.ProcessPoolExecutor``
with the ``forkserver`` start method passed as ``executor=`` (exactly what the runner used
to build). Also checks both give identical numbers. Prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from sop_sim.experiment import replicate, shutdown_pool


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="append the figures to bench/RESULTS.md")
    args = ap.parse_args()
    loky_t, old_t = [], []
    ref = None
    for _ in range(args.repeat):
        shutdown_pool()
        t = time.perf_counter()
        a = replicate("baseline", reps=args.reps, jobs=2, progress=False)
        loky_t.append(time.perf_counter() - t)
        shutdown_pool()
        t = time.perf_counter()
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver")) as ex:
            b = replicate("baseline", reps=args.reps, executor=ex, progress=False)
        old_t.append(time.perf_counter() - t)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        ref = a if ref is None else ref
    lo, ol = statistics.median(loky_t), statistics.median(old_t)
    lines = [f"- {args.reps} replications of baseline on 2 workers, start-up included, median of {args.repeat} "
             f"(alternating): loky {lo:.1f} s, old forkserver pool {ol:.1f} s, ratio loky/old {lo / ol:.2f}; "
             "identical numbers"]
    print("\n".join(lines))
    if args.write:
        with (Path(__file__).resolve().parent / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(f"\n## Local pool: loky vs the old pool (bench/bench_pool.py, issue 13): "
                     f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, shared 2-core machine\n\n"
                     + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
