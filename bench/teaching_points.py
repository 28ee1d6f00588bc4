"""Full figures for the teaching points: every preset against baseline over 30 paired seeds.

Prints, per preset and KPI, the mean of baseline, the mean of the preset, the mean paired
difference and the one-sided paired t-test p-value in the direction the lesson predicts.
Run: ``.venv/bin/python bench/teaching_points.py [--seeds 30]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy import stats

import sop_sim

# preset -> [(kpi, expected direction of preset vs baseline)]
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
    "short_horizon": [("fill_rate", "lower")],
    "sku_level": [("decision_latency_days", "higher"), ("fill_rate", "lower")],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=30)
    n = ap.parse_args().seeds
    t0 = time.perf_counter()
    runs = {name: pd.DataFrame([sop_sim.run(name, seed=s).summary for s in range(n)])
            for name in ["baseline", *LESSONS]}
    rows = []
    base = runs["baseline"]
    for name, lessons in LESSONS.items():
        for k, direction in lessons:
            a, b = runs[name][k].to_numpy(), base[k].to_numpy()
            alt = "greater" if direction == "higher" else "less"
            diff = a - b
            p = 0.0 if np.ptp(diff) == 0 and np.sign(diff[0]) == (1 if alt == "greater" else -1) and diff[0] != 0 \
                else stats.ttest_rel(a, b, alternative=alt).pvalue
            rows.append({"preset": name, "kpi": k, "expected": direction, "baseline": b.mean(),
                         "preset_mean": a.mean(), "mean_diff": diff.mean(), "p_value": p, "holds": p < 0.05})
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print(table.to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
    print(f"\n{len(runs) * n} runs in {time.perf_counter() - t0:.1f} s; "
          f"{int(table.holds.sum())} of {len(table)} lessons hold at p < 0.05")


if __name__ == "__main__":
    main()
