"""Count the CPU instructions of one default run with valgrind: a figure the machine's load cannot move.

Usage: ``python bench/bench_instructions.py [--preset baseline] [--runs 8] [--against DIR]``

Wall-clock benchmarks on a shared machine move by 10-20 % from one minute to the next;
instruction counts do not. Valgrind's callgrind tool runs the interpreter twice: once
with one warm-up run, once with the warm-up and ``--runs`` more; the difference divided
by ``--runs`` is the cost of one run, with start-up and imports taken out. With
``--against DIR`` the same is counted for another checkout of the kit (for example the
tree before a change: ``git worktree add /tmp/before <commit>``) and the ratio printed.
Needs ``valgrind`` (Debian package ``valgrind``); takes about a minute per tree.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Fixed hash seed and one BLAS thread: otherwise string hashing and thread start-up move the count by
#: a few million instructions from one call to the next.
_QUIET_ENV = {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}

_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1])
import sop_sim
assert sop_sim.__file__.startswith(sys.argv[1]), sop_sim.__file__
sop_sim.run(sys.argv[2], seed=0)
for s in range(int(sys.argv[3])):
    sop_sim.run(sys.argv[2], seed=s + 1)
"""


def instructions(tree: Path, preset: str, runs: int) -> int:
    """Instructions the interpreter executes for the warm-up plus ``runs`` runs in ``tree``."""
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, "-c", _SCRIPT, str(tree), preset, str(runs)],
                         capture_output=True, text=True, check=True, env=_QUIET_ENV)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no instruction count: {out.stderr.strip()[-200:]}")
    return int(found.group(1))


def per_run(tree: Path, preset: str, runs: int) -> float:
    return (instructions(tree, preset, runs) - instructions(tree, preset, 0)) / runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="baseline")
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--against", metavar="DIR", help="another checkout of the kit to count the same way")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt-get install valgrind (it counts instructions)")
    here = per_run(ROOT, args.preset, args.runs)
    print(f"{args.preset}, one run: {here / 1e6:.1f}M instructions (this tree, mean of {args.runs} runs)")
    if args.against:
        other = Path(args.against).resolve()
        if not (other / "sop_sim" / "__init__.py").is_file():
            raise SystemExit(f"--against {other}: not a checkout of the kit (no sop_sim/__init__.py there)")
        there = per_run(other, args.preset, args.runs)
        print(f"{args.preset}, one run: {there / 1e6:.1f}M instructions ({other})")
        print(f"this tree / other tree: {here / there:.3f}")


if __name__ == "__main__":
    main()
