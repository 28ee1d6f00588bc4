"""The teaching points, as paired statistical tests over common random numbers.

Each scenario is run with the same seeds as ``baseline``; a one-sided paired t-test
on the per-seed differences must reject "no effect" at p < 0.05. The benchmark script
``bench/teaching_points.py`` reports the same comparisons over 30 seeds.
"""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sop_sim

SEEDS = range(16)
ALPHA = 0.05


@pytest.fixture(scope="module")
def runs():
    names = ["baseline", "no_sop", "skip_demand_review", "skip_supply_review", "skip_pre_sop",
             "disengaged_executive", "silos", "poor_data", "supply_chain_only", "short_horizon"]
    return {n: [sop_sim.run(n, seed=s) for s in SEEDS] for n in names}


def kpi(runs, name, k):
    return np.array([r.summary[k] for r in runs[name]])


def assert_higher(a, b, what):
    """a > b on average, paired by seed."""
    diff = a - b
    if np.all(diff == diff[0]) and diff[0] > 0:
        return  # a constant positive difference: no variance to test
    p = stats.ttest_rel(a, b, alternative="greater").pvalue
    assert p < ALPHA, f"expected {what}: mean difference {diff.mean():.4g}, p = {p:.3g}"


def test_1_baseline_beats_no_sop(runs):
    assert_higher(kpi(runs, "baseline", "fill_rate"), kpi(runs, "no_sop", "fill_rate"),
                  "mature S&OP to fill more orders from stock than no S&OP")
    assert_higher(kpi(runs, "no_sop", "total_cost"), kpi(runs, "baseline", "total_cost"),
                  "no S&OP to cost more than mature S&OP")


def test_2_skipping_demand_review(runs):
    assert_higher(kpi(runs, "skip_demand_review", "forecast_wape"), kpi(runs, "baseline", "forecast_wape"),
                  "a higher forecast error without the demand review")
    assert_higher(kpi(runs, "baseline", "fill_rate"), kpi(runs, "skip_demand_review", "fill_rate"),
                  "a lower fill rate without the demand review")
    r = runs["skip_demand_review"][0]
    plans = r.plans
    assert "consensus" not in set(plans.version), "no consensus plan may exist without a demand review"
    # the promotion and the new product surprise operations: the plan in force misses them
    p = r.periods.query("family == 'trimmers' and month == 3").iloc[0]  # the promotion month
    b = runs["baseline"][0].periods.query("family == 'trimmers' and month == 3").iloc[0]
    assert p["planned_production"] < b["planned_production"], "the promotion should be missing from the plan"


def test_3_skipping_supply_review(runs):
    base, skip = "baseline", "skip_supply_review"
    extra = kpi(runs, skip, "overtime_cost") + kpi(runs, skip, "expediting_cost") + kpi(runs, skip, "backorders")
    ref = kpi(runs, base, "overtime_cost") + kpi(runs, base, "expediting_cost") + kpi(runs, base, "backorders")
    assert_higher(extra, ref, "infeasible plans to show as overtime, expediting or backorders")
    assert_higher(kpi(runs, base, "plan_adherence"), kpi(runs, skip, "plan_adherence"),
                  "lower plan adherence when nobody checks capacity")


def test_4_skipping_pre_sop(runs):
    assert_higher(kpi(runs, "skip_pre_sop", "escalations"), kpi(runs, "baseline", "escalations"),
                  "more escalations reaching the executives without a pre-S&OP")
    assert_higher(kpi(runs, "skip_pre_sop", "decision_latency_days"),
                  kpi(runs, "baseline", "decision_latency_days"), "slower decisions on raw issues")
    dec = runs["skip_pre_sop"][0].decisions
    assert (~dec["prepared"]).all(), "without a pre-S&OP no escalation arrives with prepared options"


def test_5_executive_engagement_is_monotone():
    levels = [1.0, 0.6, 0.2]
    base = sop_sim.PRESETS["baseline"]
    table = pd.DataFrame([
        {"level": e, "seed": s, **sop_sim.run(replace(base, executive_engagement=e), seed=s).summary}
        for e in levels for s in range(10)
    ])
    means = table.groupby("level").mean().loc[levels]
    for k in ("open_escalations", "decision_latency_days", "sets_of_numbers"):
        assert means[k].is_monotonic_increasing, f"{k} should rise as engagement falls: {means[k].to_dict()}"
    assert means["attendance"].is_monotonic_decreasing, "other functions should attend less"
    assert means["fill_rate"].iloc[0] > means["fill_rate"].iloc[-1], "service should worsen"
    hi = table[table.level == 1.0].set_index("seed")
    lo = table[table.level == 0.2].set_index("seed")
    assert_higher(lo["open_escalations"].to_numpy(), hi["open_escalations"].to_numpy(), "more open escalations")
    assert_higher(hi["margin"].to_numpy(), lo["margin"].to_numpy(), "a lower margin with a disengaged executive")


def test_5b_attendance_decays_after_the_executive_stays_away():
    r = sop_sim.run("disengaged_executive", seed=3)
    m = r.minutes
    rates = m.assign(n=m.present.map(len), d=m.absent.map(len)).groupby("month")[["n", "d"]].sum()
    early, late = rates.iloc[:3], rates.iloc[-12:]
    assert (late.d.sum() / (late.n + late.d).sum()) > (early.d.sum() / (early.n + early.d).sum()), \
        "absences should grow in the months after the executive stops attending"


def test_6_silos(runs):
    assert (kpi(runs, "silos", "sets_of_numbers") > 1).all(), "silos mean more than one set of numbers"
    worse_service = stats.ttest_rel(kpi(runs, "baseline", "fill_rate"), kpi(runs, "silos", "fill_rate"),
                                    alternative="greater").pvalue
    worse_stock = stats.ttest_rel(kpi(runs, "silos", "inventory_value"), kpi(runs, "baseline", "inventory_value"),
                                  alternative="greater").pvalue
    assert min(worse_service, worse_stock) < ALPHA, "silos should cost service or inventory"


def test_7_poor_data(runs):
    assert_higher(kpi(runs, "poor_data", "forecast_wape"), kpi(runs, "baseline", "forecast_wape"),
                  "a higher forecast error with poor data")


def test_8_supply_chain_only(runs):
    r = runs["supply_chain_only"][0]
    assert "consensus" not in set(r.plans.version), "the demand plan should be the bare statistical forecast"
    held = r.minutes.query("step == 'supply_review' and held")
    assert held["inputs"].map(lambda i: "statistical forecast" in i).all(), "supply plans from the bare forecast"
    assert not (r.decisions["kind"] == "aop_gap").any(), "nobody raises the gap to the AOP"
    assert_higher(kpi(runs, "supply_chain_only", "aop_gap"), kpi(runs, "baseline", "aop_gap"),
                  "a wider gap to the annual operating plan")


def test_9_short_horizon_hurts_at_the_seasonal_peak(runs):
    def peak_fill(result):
        p = result.periods
        pk = p[(p.month % 12).isin([3, 4, 5, 6]) & (p.month >= 12)]
        return pk.filled_from_stock.sum() / pk.orders.sum()

    assert_higher(np.array([peak_fill(r) for r in runs["baseline"]]),
                  np.array([peak_fill(r) for r in runs["short_horizon"]]),
                  "worse service in the spring peaks that need long-lead capacity")


@pytest.mark.parametrize("preset", ["baseline", "skip_pre_sop", "disengaged_executive", "silos", "short_horizon"])
def test_10_consensus_exists_before_supply_review_uses_it(runs, preset):
    for r in runs[preset][:3]:
        m = r.minutes
        for month, g in m.groupby("month"):
            sr = g[g.step == "supply_review"]
            if sr.empty or not sr.iloc[0]["held"] or "demand_plan" not in sr.iloc[0]["inputs"]:
                continue
            dr = g[g.step == "demand_review"].iloc[0]
            assert dr["held"] and dr["day"] < sr.iloc[0]["day"], f"month {month}: supply review before consensus"
            assert ((r.plans.cycle == month) & (r.plans.version == "consensus")).any()
