"""Confidence intervals for replicated runs: per scenario, and paired against a reference.

With common random numbers, replication ``i`` of two scenarios saw the same demand,
attendance and data noise. The difference of the two runs is then mostly the effect of
the lever, so a t-interval on the *paired* differences is much narrower than comparing
two separate means: fewer replications show whether an effect is real.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sop_sim.metrics import KPIS


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Column-wise mean, sample standard deviation and half-width of a t-interval.

    ``values`` is (replications x KPIs). With one replication the spread is unknown, so
    the standard deviation and half-width are NaN.
    """
    n = values.shape[0]
    mean = values.mean(axis=0)
    if n < 2:
        nan = np.full(values.shape[1], np.nan)
        return mean, nan, nan, n
    # inverse Student t CDF; imported here to keep `import sop_sim` light
    from scipy.special import stdtrit

    sd = values.std(axis=0, ddof=1)
    half = stdtrit(n - 1, 0.5 + level / 2) * sd / np.sqrt(n)
    return mean, sd, half, n


def summary_table(runs: pd.DataFrame, scenarios: Sequence[str], kpis: Sequence[str],
                  level: float = 0.95) -> pd.DataFrame:
    """Mean, standard deviation and confidence interval of every KPI in every scenario."""
    parts = []
    for name in scenarios:
        mean, sd, half, n = t_interval(runs.loc[runs["scenario"] == name, list(kpis)].to_numpy(float), level)
        parts.append(pd.DataFrame({"scenario": name, "kpi": list(kpis), "mean": mean, "sd": sd, "n": n,
                                   "ci_low": mean - half, "ci_high": mean + half}))
    return pd.concat(parts, ignore_index=True).set_index(["scenario", "kpi"])


def verdict(kpi: str, low: float, high: float) -> str:
    """Whether a difference interval shows the scenario better, worse or not clearly different."""
    better = KPIS[kpi].higher_is_better if kpi in KPIS else None
    if np.isnan(low) or np.isnan(high):
        return "unknown (one replication)"
    if low == high == 0:
        return "same"
    if low <= 0 <= high:
        return "no clear difference"
    if better is None:
        return "higher" if low > 0 else "lower"
    return "better" if (low > 0) == better else "worse"


def paired_differences(runs: pd.DataFrame, scenarios: Sequence[str], reference: str, kpis: Sequence[str],
                       level: float = 0.95) -> pd.DataFrame:
    """Scenario minus reference, replication by replication, with a t-interval per KPI.

    ``verdict`` reads the interval with each KPI's direction (:data:`sop_sim.metrics.KPIS`):
    "better" or "worse" when the whole interval lies on one side of zero.
    """
    cols = list(kpis)
    ref = runs.loc[runs["scenario"] == reference].set_index("rep")[cols]
    parts = []
    for name in scenarios:
        if name == reference:
            continue
        other = runs.loc[runs["scenario"] == name].set_index("rep")[cols]
        diff = (other - ref.loc[other.index]).to_numpy(float)
        mean, sd, half, n = t_interval(diff, level)
        low, high = mean - half, mean + half
        parts.append(pd.DataFrame({
            "scenario": name, "kpi": cols, "reference_mean": ref.to_numpy(float).mean(axis=0),
            "mean": other.to_numpy(float).mean(axis=0), "diff": mean, "sd": sd, "n": n,
            "ci_low": low, "ci_high": high,
            "verdict": [verdict(k, lo, hi) for k, lo, hi in zip(cols, low, high, strict=True)],
        }))
    if not parts:
        return pd.DataFrame(columns=["scenario", "kpi", "reference_mean", "mean", "diff", "sd", "n", "ci_low",
                                     "ci_high", "verdict"]).set_index(["scenario", "kpi"])
    return pd.concat(parts, ignore_index=True).set_index(["scenario", "kpi"])
