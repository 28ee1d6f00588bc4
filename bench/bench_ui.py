"""Benchmark the ScenarioExplorer: time from a control change to updated outputs.

Usage: ``python bench/bench_ui.py [--repeats 20] [--write]``

A change sets a control's ``.value`` the way a click does; the observer re-runs the
variant (the reference run is cached per seed) and redraws the KPI table, the minutes
and the plots before returning, so the time of the assignment is the time to updated
output (minus the front end's network hop and paint). Three cases:

* ``new variant``: a data-quality value not seen before, so the model really runs;
* ``cached variant``: back to a value already shown (no run, only the redraw);
* ``month slider``: only the minutes are redrawn.

Each is compared with a bare ``sop_sim.run`` of the default scenario. The target is a
median under 200 ms for a new variant. ``--write`` replaces the ``bench_ui`` section of
``bench/RESULTS.md`` (other sections are left as they are).
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import time
from pathlib import Path

import sop_sim
from sop_sim.ui.explorer import ScenarioExplorer

TARGET_MS = 200.0
RESULTS = Path(__file__).with_name("RESULTS.md")
BEGIN, END = "<!-- bench_ui:begin -->", "<!-- bench_ui:end -->"


def _median_ms(times: list[float]) -> float:
    return 1000 * statistics.median(times)


def _timed(action) -> float:  # noqa: ANN001 - a no-argument callable
    t = time.perf_counter()
    action()
    return time.perf_counter() - t


def measure(repeats: int) -> dict[str, float]:
    """Median milliseconds of each case, and of a bare run and of the redraw alone."""
    ex = ScenarioExplorer(seed=0)
    bare = [_timed(lambda i=i: sop_sim.run("baseline", seed=0)) for i in range(repeats)]
    values = [round(0.99 - 0.01 * i, 2) for i in range(repeats)]
    slider = ex.fields["data_quality"]
    new = [_timed(lambda v=v: setattr(slider, "value", v)) for v in values]
    cached = [_timed(lambda v=v: setattr(slider, "value", v)) for v in values]
    render = [_timed(ex.render) for _ in range(repeats)]
    month = [_timed(lambda m=m: setattr(ex.month, "value", m)) for m in range(1, repeats + 1)]
    return {"bare run": _median_ms(bare), "new variant": _median_ms(new), "cached variant": _median_ms(cached),
            "redraw only": _median_ms(render), "month slider": _median_ms(month)}


def report(ms: dict[str, float], repeats: int) -> str:
    bare = ms["bare run"]
    lines = [BEGIN, "## ScenarioExplorer: change to updated output (`bench/bench_ui.py`)", "",
             f"Machine: {platform.machine()}, Python {platform.python_version()}; median of {repeats} changes; "
             f"target < {TARGET_MS:.0f} ms for a new variant.", "",
             "| case | median ms | ratio to a bare run |", "|---|---:|---:|"]
    lines += [f"| {name} | {value:.0f} | {value / bare:.2f} |" for name, value in ms.items()]
    verdict = "meets" if ms["new variant"] < TARGET_MS else "misses"
    lines += ["", f"A new variant {verdict} the target ({ms['new variant']:.0f} ms): one model run plus the "
              "redraw (KPI table, minutes and a four-panel PNG).", END]
    return "\n".join(lines)


def write(section: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--write", action="store_true", help="update the bench_ui section of bench/RESULTS.md")
    args = parser.parse_args()
    ms = measure(args.repeats)
    section = report(ms, args.repeats)
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
