"""Regenerate the back-test's expected results. Run only after an intended model change:

    .venv/bin/python tests/backtest/regenerate.py

and say in the commit message why the numbers moved.
"""

from pathlib import Path

import pandas as pd

import sop_sim

SEEDS = (0, 1)
HERE = Path(__file__).resolve().parent


def expected() -> pd.DataFrame:
    rows = [{"preset": name, "seed": seed, **sop_sim.run(name, seed=seed).summary}
            for name in sop_sim.PRESETS for seed in SEEDS]
    return pd.DataFrame(rows)


if __name__ == "__main__":
    path = HERE / "expected_summaries.csv"
    expected().to_csv(path, index=False, float_format="%.17g")
    print(f"wrote {path}")
