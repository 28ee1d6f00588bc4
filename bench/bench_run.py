"""Benchmark one default 36-month run against a bare SimPy loop with the same number of events.

Usage: ``python bench/bench_run.py [--runs 30] [--profile] [--presets] [--against DIR]``

Prints the median wall and CPU time of one ``sop_sim.run("baseline", seed=i)``, how many
events the model schedules (counted from the environment after a run), the median time
of a bare SimPy process scheduling that many timeouts, and the ratio of the two. With
``--profile`` it also prints a pyinstrument profile of ten runs: where the time goes.
With ``--presets`` it measures every preset the same way (its own event count; preset
runs and bare loops alternate, so a busy shared machine slows both alike) and prints a
table of medians and ratios (issue 15: <= 25x). With ``--against DIR`` it measures another
checkout of the kit too (say ``git worktree add /tmp/before <commit>``), in a child process
fed one job at a time, alternating with this tree's runs, so both see the same load: each
tree's ratio to its own bare loop, and the ratio of the two trees (issue 10: <= 1.00).

Wall time on a shared machine is noisy; ``bench/bench_instructions.py`` counts the
instructions of a run with valgrind, which does not depend on the load.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import time

import simpy

import sop_sim
from sop_sim.model import SOPModel


def machine() -> str:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown CPU"
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or "?"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"nproc {nproc}, {cpu}, Python {platform.python_version()}; load average now {load}"


def count_events(seed: int = 0, preset: str = "baseline") -> tuple[int, int]:
    """(events scheduled, events processed) in one default run."""
    model = SOPModel(sop_sim.get_scenario(preset), seed)
    steps = 0
    step = model.env.step

    def counting_step() -> None:
        nonlocal steps
        steps += 1
        step()

    model.env.step = counting_step  # type: ignore[method-assign]
    model.run()
    return next(model.env._eid), steps  # _eid counts every event ever scheduled


def bare_loop(n_events: int) -> None:
    """A SimPy process that does nothing but schedule ``n_events`` events (start + timeouts)."""
    env = simpy.Environment()

    def proc(env: simpy.Environment):
        for _ in range(n_events - 1):
            yield env.timeout(1)

    env.process(proc(env))
    env.run()


def timed(fn, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``fn(i)`` over ``runs`` calls (after one warm-up)."""
    fn(0)
    wall, cpu = [], []
    for i in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn(i)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--profile", action="store_true", help="print a pyinstrument profile of ten runs")
    ap.add_argument("--presets", action="store_true", help="every preset against its bare loop (table)")
    ap.add_argument("--against", metavar="DIR", help="also measure the checkout in DIR, alternating with this one")
    args = ap.parse_args()
    if args.against:
        against(args.against, args.runs)
        return
    if args.presets:
        every_preset(args.runs)
        return
    print(machine())
    scheduled, processed = count_events()
    run_wall, run_cpu = timed(lambda i: sop_sim.run("baseline", seed=i), args.runs)
    bare_wall, bare_cpu = timed(lambda i: bare_loop(scheduled), args.runs)
    print(f"events per default run: {scheduled} scheduled, {processed} processed")
    print(f"one default 36-month run: median {run_wall * 1e3:.1f} ms wall, {run_cpu * 1e3:.1f} ms CPU")
    print(f"bare SimPy loop, {scheduled} events: median {bare_wall * 1e3:.2f} ms wall, {bare_cpu * 1e3:.2f} ms CPU")
    print(f"ratio run / bare loop: {run_wall / bare_wall:.0f}x wall, {run_cpu / bare_cpu:.0f}x CPU (target <= 25x)")
    print(f"SimPy's own share of a run: about {bare_wall / run_wall:.1%}")
    if args.profile:
        from pyinstrument import Profiler

        prof = Profiler(interval=0.001)
        prof.start()
        for i in range(10):
            sop_sim.run("baseline", seed=i)
        prof.stop()
        print(prof.output_text(unicode=False, color=False))


def every_preset(runs: int) -> None:
    """Median run and bare loop per preset, alternated run by run; a Markdown table."""
    print(machine())
    print("| preset | events | run median ms | bare loop median ms | ratio | target <= 25x |")
    print("|---|---:|---:|---:|---:|---|")
    for name in sop_sim.PRESETS:
        events, _ = count_events(0, name)
        sop_sim.run(name, seed=0)
        run_t, bare_t = [], []
        for i in range(runs):
            t = time.perf_counter()
            sop_sim.run(name, seed=i)
            run_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            bare_loop(events)
            bare_t.append(time.perf_counter() - t)
        r, b = statistics.median(run_t), statistics.median(bare_t)
        print(f"| {name} | {events} | {r * 1e3:.1f} | {b * 1e3:.2f} | {r / b:.0f}x | {'met' if r / b <= 25 else 'not met'} |")


#: The child that runs jobs in the other checkout: "run SEED" or "bare N" on stdin, seconds on stdout.
_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
import simpy, sop_sim
assert sop_sim.__file__.startswith(sys.argv[1]), sop_sim.__file__
def bare(n):
    env = simpy.Environment()
    def proc(env):
        for _ in range(n - 1):
            yield env.timeout(1)
    env.process(proc(env))
    env.run()
for line in sys.stdin:
    kind, arg = line.split()
    t = time.perf_counter()
    sop_sim.run("baseline", seed=int(arg)) if kind == "run" else bare(int(arg))
    print(time.perf_counter() - t, flush=True)
"""


def against(other: str, runs: int) -> None:
    """Baseline runs and bare loops of this tree and of the checkout ``other``, interleaved job by job."""
    import sys
    from pathlib import Path

    other = str(Path(other).resolve())
    if not (Path(other) / "sop_sim" / "__init__.py").is_file():
        raise SystemExit(f"--against {other}: not a checkout of the kit (no sop_sim/__init__.py there)")
    print(machine())
    events, _ = count_events()
    child = subprocess.Popen([sys.executable, "-c", _CHILD, other], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)

    def there(kind: str, arg: int) -> float:
        child.stdin.write(f"{kind} {arg}\n")
        child.stdin.flush()
        return float(child.stdout.readline())

    def here(fn) -> float:
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t

    times: dict[str, list[float]] = {"run here": [], "bare here": [], "run there": [], "bare there": []}
    there("run", 0)
    sop_sim.run("baseline", seed=0)
    for i in range(runs):
        times["run here"].append(here(lambda i=i: sop_sim.run("baseline", seed=i)))
        times["run there"].append(there("run", i))
        times["bare here"].append(here(lambda: bare_loop(events)))
        times["bare there"].append(there("bare", events))
    child.stdin.close()
    child.wait()
    med = {k: statistics.median(v) for k, v in times.items()}
    r_here, r_there = med["run here"] / med["bare here"], med["run there"] / med["bare there"]
    print(f"baseline run, median of {runs}, alternating with the other tree:")
    print(f"  this tree:  {med['run here'] * 1e3:.1f} ms, {r_here:.0f}x its bare loop ({med['bare here'] * 1e3:.2f} ms)")
    print(f"  {other}: {med['run there'] * 1e3:.1f} ms, {r_there:.0f}x its bare loop ({med['bare there'] * 1e3:.2f} ms)")
    print(f"  this tree / other tree: {med['run here'] / med['run there']:.2f} (run time), "
          f"{r_here / r_there:.2f} (ratio to the bare loop)")


if __name__ == "__main__":
    main()
