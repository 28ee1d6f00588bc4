"""Back-test: every preset reproduces its saved summary (regenerate only with the script)."""

from pathlib import Path

import pandas as pd
import pytest

import sop_sim

SAVED = pd.read_csv(Path(__file__).parent / "backtest" / "expected_summaries.csv")


@pytest.mark.parametrize(("preset", "seed"), list(SAVED[["preset", "seed"]].itertuples(index=False, name=None)))
def test_preset_reproduces_saved_summary(preset, seed):
    want = SAVED[(SAVED.preset == preset) & (SAVED.seed == seed)].iloc[0].drop(["preset", "seed"]).astype(float)
    got = sop_sim.run(preset, seed=seed).summary
    pd.testing.assert_series_equal(got[want.index], want, check_names=False, rtol=1e-12, atol=1e-9,
                                   obj=f"{preset} seed {seed} (run tests/backtest/regenerate.py only for an "
                                       "intended model change)")
