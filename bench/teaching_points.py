"""Full figures for the teaching points: every preset against baseline over 30 paired seeds.

Two tables:

* **Money and service**, every preset: mean ``economic_profit``, ``margin`` and
  ``fill_rate`` of baseline and preset, the paired difference and the one-sided paired
  t-test p-value for "baseline earns more" (economic profit, margin). The lesson holds on
  money when both p-values are below 0.05. Fill rate is checked against the plausibility
  bounds: no single-lever preset below 75 %, baseline at or above 95 %.
* **Mechanisms**, per preset: the KPI that shows *why* it loses (the ones
  ``tests/test_teaching_points.py`` checks), with the direction the lesson predicts.

Run: ``.venv/bin/python bench/teaching_points.py [--seeds 30]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy import stats

import sop_sim


def mower_peak_fill(result) -> float:
    """Fill rate of mowers in their spring peak (April to July) of the second and third years."""
    p = result.periods
    pk = p[(p.family == "mowers") & (p.month % 12).isin([3, 4, 5, 6]) & (p.month >= 12)]
    return float(pk.filled_from_stock.sum() / pk.orders.sum())


def undecided_family_issues(result) -> float:
    """Escalations still open at the end of the run (issues no meeting got to)."""
    d = result.decisions
    return float((d.status == "open").sum()) if len(d) else 0.0


DERIVED = {"mower_peak_fill": mower_peak_fill, "undecided_issues": undecided_family_issues}

# preset -> [(kpi, expected direction of preset vs baseline)]: the mechanism behind each lesson
LESSONS = {
    "no_sop": [("fill_rate", "lower"), ("total_cost", "higher")],
    "skip_demand_review": [("forecast_wape", "higher"), ("fill_rate", "lower")],
    "skip_supply_review": [("plan_adherence", "lower"), ("backorders", "higher"), ("overtime_cost", "higher")],
    "skip_pre_sop": [("escalations", "higher"), ("decision_latency_days", "higher")],
    "disengaged_executive": [("open_escalations", "higher"), ("decision_latency_days", "higher"),
                             ("sets_of_numbers", "higher"), ("attendance", "lower"), ("margin", "lower")],
    "silos": [("sets_of_numbers", "higher"), ("fill_rate", "lower")],
    "poor_data": [("forecast_wape", "higher")],
    "supply_chain_only": [("aop_gap", "higher")],
    "short_horizon": [("fill_rate", "lower"), ("mower_peak_fill", "lower")],
    "sku_level": [("decision_latency_days", "higher"), ("fill_rate", "lower"), ("undecided_issues", "higher")],
}
MONEY = ("economic_profit", "margin")


def one_sided_p(a: np.ndarray, b: np.ndarray, direction: str) -> float:
    """Paired one-sided t-test p-value that ``a`` is ``direction`` than ``b``."""
    alt = "greater" if direction == "higher" else "less"
    diff = a - b
    if np.ptp(diff) == 0:
        return 0.0 if diff[0] != 0 and np.sign(diff[0]) == (1 if alt == "greater" else -1) else 1.0
    return float(stats.ttest_rel(a, b, alternative=alt).pvalue)


def collect(seeds: range, presets=None) -> dict[str, pd.DataFrame]:
    """Summary rows (plus the derived KPIs) per preset, one row per seed."""
    out = {}
    for name in presets or ["baseline", *LESSONS]:
        rows = []
        for s in seeds:
            r = sop_sim.run(name, seed=s)
            rows.append({**r.summary.to_dict(), **{k: f(r) for k, f in DERIVED.items()}})
        out[name] = pd.DataFrame(rows)
    return out


def money_table(runs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    base = runs["baseline"]
    rows = []
    for name in LESSONS:
        row: dict[str, object] = {"preset": name}
        for k in MONEY:
            a, b = runs[name][k].to_numpy(), base[k].to_numpy()
            row[f"{k}_baseline"] = b.mean()
            row[f"{k}_preset"] = a.mean()
            row[f"{k}_p"] = one_sided_p(b, a, "higher")
            row[f"{k}_seeds_baseline_ahead"] = int((b > a).sum())
        row["fill_baseline"] = base.fill_rate.mean()
        row["fill_preset"] = runs[name].fill_rate.mean()
        row["holds"] = all(row[f"{k}_p"] < 0.05 for k in MONEY) and row["fill_preset"] >= 0.75
        rows.append(row)
    return pd.DataFrame(rows)


def mechanism_table(runs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    base = runs["baseline"]
    rows = []
    for name, lessons in LESSONS.items():
        for k, direction in lessons:
            a, b = runs[name][k].to_numpy(), base[k].to_numpy()
            p = one_sided_p(a, b, direction)
            rows.append({"preset": name, "kpi": k, "expected": direction, "baseline": b.mean(),
                         "preset_mean": a.mean(), "mean_diff": (a - b).mean(), "p_value": p, "holds": p < 0.05})
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=30)
    n = ap.parse_args().seeds
    t0 = time.perf_counter()
    runs = collect(range(n))
    pd.set_option("display.width", 250)
    fmt = lambda v: f"{v:,.4g}"  # noqa: E731
    money = money_table(runs)
    print(f"Money and service, {n} paired seeds (p: one-sided paired t-test that baseline earns more)")
    print(money.to_string(index=False, float_format=fmt))
    mech = mechanism_table(runs)
    print(f"\nMechanisms, {n} paired seeds")
    print(mech.to_string(index=False, float_format=fmt))
    print(f"\n{len(runs) * n} runs in {time.perf_counter() - t0:.1f} s; baseline fill {runs['baseline'].fill_rate.mean():.1%}; "
          f"money lessons hold for {int(money.holds.sum())} of {len(money)} presets; "
          f"{int(mech.holds.sum())} of {len(mech)} mechanism lessons hold at p < 0.05")


if __name__ == "__main__":
    main()
