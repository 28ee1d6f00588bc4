"""Count how the kit answers bad input, by category: clear errors, garbage, tracebacks, hangs, lost data.

Usage::

    python bench/bad_input_census.py [--only-fast] [--json out.json]
    SOP_SIM_CENSUS_OLD=1 PYTHONPATH=/path/to/old/tree python bench/bad_input_census.py   # "before"

Runs every case of ``tests/bad_input_cases.py`` (the battery's own list) in a fresh
temporary folder and prints one line per case that is not a clear error, then a table of
outcomes per category. The process limits its own memory (a reader of ``/dev/zero`` then
fails with MemoryError rather than exhausting the machine).
"""

from __future__ import annotations

import argparse
import collections
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import bad_input_cases as bic  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only-fast", action="store_true", help="skip the cases that start their own processes")
    ap.add_argument("--json", help="also write every case's outcome to this file")
    args = ap.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (6 * 1024**3, resource.RLIM_INFINITY))
    cases = bic.CASES + ([] if args.only_fast else bic.PROCESS_CASES)
    table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    rows = []
    t0 = time.perf_counter()
    for ident, category, run in cases:
        with tempfile.TemporaryDirectory() as d:
            r = bic.run_case(run, Path(d))
        table[category][r.outcome] += 1
        rows.append({"case": ident, "category": category, "outcome": r.outcome, "detail": r.detail})
        if r.outcome != bic.CLEAR:
            print(f"{r.outcome:9s} {category:12s} {ident}: {r.detail}", flush=True)
    print(f"\n{len(cases)} cases in {time.perf_counter() - t0:.0f} s")
    head = f"{'category':14s} {'cases':>5s} " + " ".join(f"{o:>9s}" for o in bic.OUTCOMES)
    print(head)
    total = collections.Counter()
    for category in sorted(table):
        c = table[category]
        total.update(c)
        print(f"{category:14s} {sum(c.values()):5d} " + " ".join(f"{c[o]:9d}" for o in bic.OUTCOMES))
    print(f"{'all':14s} {sum(total.values()):5d} " + " ".join(f"{total[o]:9d}" for o in bic.OUTCOMES))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
