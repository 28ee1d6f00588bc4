"""Start-up of ``import sop_sim`` and ``sop-sim --help`` against ``import numpy, simpy``.

Each case is a fresh interpreter (``python -c ...``), timed wall-clock from spawn to exit.
The cases are interleaved round by round so a busy shared machine affects them alike;
the medians and the ratios to the numpy+simpy baseline come from the same run.

    python bench/bench_startup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

CASES = {
    "python (nothing imported)": "pass",
    "import numpy, simpy (baseline)": "import numpy, simpy",
    "import sop_sim": "import sop_sim",
    "sop-sim --help": "import sys; sys.argv = ['sop-sim', '--help']; from sop_sim_cli import main; main()",
    "import sop_sim; sop_sim.run (model loaded)": "import sop_sim; sop_sim.run",
}
TARGET = 1.6


def _once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for code in CASES.values():
        _once(code)
    for _ in range(args.rounds):
        for name, code in CASES.items():
            times[name].append(_once(code))
    base = statistics.median(times["import numpy, simpy (baseline)"])
    print(f"load average {os.getloadavg()[0]:.1f}; {args.rounds} rounds, interleaved; target <= {TARGET}x baseline")
    print("| case | median ms | ratio to numpy+simpy |")
    print("|---|---:|---:|")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"| {name} | {med * 1000:.0f} | {med / base:.2f} |")


if __name__ == "__main__":
    main()
