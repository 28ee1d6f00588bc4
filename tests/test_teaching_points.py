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
FAILURES = ["no_sop", "skip_demand_review", "skip_supply_review", "skip_pre_sop", "disengaged_executive", "silos",
            "poor_data", "supply_chain_only", "short_horizon", "sku_level"]


@pytest.fixture(scope="module")
def runs():
    return {n: [sop_sim.run(n, seed=s) for s in SEEDS] for n in ["baseline", *FAILURES]}


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


# --- the lessons hold on money, for the reason the minutes show ------------------------------
@pytest.mark.parametrize("preset", FAILURES)
def test_11_mature_sop_earns_more_than_every_failure(runs, preset):
    for k in ("economic_profit", "margin"):
        assert_higher(kpi(runs, "baseline", k), kpi(runs, preset, k), f"mature S&OP to earn more {k} than {preset}")


def test_12_service_stays_plausible(runs):
    assert kpi(runs, "baseline", "fill_rate").mean() >= 0.95, "mature S&OP keeps service at 95% or better"
    low = {p: round(kpi(runs, p, "fill_rate").mean(), 3) for p in FAILURES if kpi(runs, p, "fill_rate").mean() < 0.75}
    assert not low, f"no single lever should drop the fill rate below 75%: {low}"


def test_13_without_a_supply_review_the_schedule_still_nets_backlog(runs):
    """The loss comes from capacity not planned ahead, not from a schedule that ignores backorders."""
    idle_with_backlog = []
    for r in runs["skip_supply_review"]:
        per = r.periods.groupby("month").backlog.sum()
        util = (r.plant.regular_hours / r.plant.capacity_hours).to_numpy()
        idle_with_backlog.append(int(((per.to_numpy() > 500) & (util < 0.85)).sum()))
    # the schedule that ignored backorders left about six such months a run; netting leaves about one
    assert np.mean(idle_with_backlog) <= 2.0, f"backlog left waiting while hours sit idle: {idle_with_backlog}"
    r = runs["skip_supply_review"][0]
    notes = " ".join(n for ns in r.minutes.query("step == 'supply_review'").notes for n in ns)
    assert "no workforce plan" in notes and "no capacity check" in notes
    assert (r.plant.hires_started.sum() > 0) == (len(r.events) > 0), "hires come only from the late, reactive rule"


def _backlog_hours(r):
    hpu = {f.id: f.hours_per_unit for f in sop_sim.default_company().families}
    return r.periods.assign(h=r.periods.family.map(hpu) * r.periods.backlog).groupby("month").h.sum()


def test_14_no_sop_still_hires_late_when_backlog_piles_up(runs):
    for r in runs["no_sop"]:
        ev = r.events
        assert (ev.kind == "reactive_hiring").any(), "without S&OP the company still reacts to its backlog"
        m = int(ev.month.min())
        assert _backlog_hours(r).loc[m - 2:m - 1].min() > 0.10 * 9600 * 0.9, "it hires only once backorders piled up"
        assert r.plant.hiring_cost.sum() == r.plant.hires_started.sum() * 12000.0, "and every hire is charged"
    # a planned hire is decided before the backlog builds up: at most a few seeds hire in reaction
    ahead = 0
    for r in runs["baseline"]:
        started = r.plant.hires_started.to_numpy().nonzero()[0]
        if len(started):
            m = int(started.min())
            ahead += bool(_backlog_hours(r).loc[max(0, m - 2):m - 1].min() <= 0.10 * 9600)
        else:
            ahead += 1
    assert ahead >= 0.75 * len(runs["baseline"]), "mature S&OP hires ahead of the need, not after it"


def test_15_short_horizon_hurts_at_the_mower_peak(runs):
    def mower_peak_fill(result):
        p = result.periods
        pk = p[(p.family == "mowers") & (p.month % 12).isin([3, 4, 5, 6]) & (p.month >= 12)]
        return pk.filled_from_stock.sum() / pk.orders.sum()

    assert_higher(np.array([mower_peak_fill(r) for r in runs["baseline"]]),
                  np.array([mower_peak_fill(r) for r in runs["short_horizon"]]),
                  "worse mower service in the spring peak that needs capacity decided months ahead")


def test_16_sku_level_leaves_family_issues_undecided_and_pays_for_it(runs):
    def undecided(r):
        notes = [n for ns in r.minutes.query("step == 'supply_review'").notes for n in ns]
        not_discussed = sum("before the capacity gap" in n for n in notes)
        return not_discussed + int(((r.decisions.kind == "capacity") & (r.decisions.status == "open")).sum())

    assert min(undecided(r) for r in runs["sku_level"]) > 0, "capacity gaps go undecided at every SKU-level run"
    assert sum(undecided(r) for r in runs["baseline"]) == 0
    late = lambda r: r.periods.late_freight_cost.sum() + r.periods.lost_sales.sum()  # noqa: E731
    assert_higher(np.array([late(r) for r in runs["sku_level"]]), np.array([late(r) for r in runs["baseline"]]),
                  "undecided capacity shows up as late freight and lost sales")


def test_17_finance_prices_the_options_and_the_promotion_with_its_full_effect(runs):
    r = runs["baseline"][0]
    pre = r.minutes.query("step == 'pre_sop'")
    lines = [(c, d) for cs, ds in zip(pre.decision_codes, pre.decisions, strict=True) for c, d in zip(cs, ds, strict=True)]
    scenarios = [d for c, d in lines if c == "scenarios_priced"]
    assert scenarios, "finance prices operations' capacity options against the margin"
    assert all(d.count(";") >= 1 and "recommended: " in d for d in scenarios), "at least two scenarios, one recommended"
    assert any("hire" in d and "outsource" in d for d in scenarios)
    promo = [d for c, d in lines if c == "promotion_declined"]
    assert promo and all("discount on the base volume" in d and "pull-forward dip" in d for d in promo)
    assert r.decisions[r.decisions.kind == "aop_gap"].empty, "a promotion that loses margin is not proposed"
    held = pre[pre.held]
    assert all("plan_recommended" in cs for cs in held.decision_codes), "every pre-S&OP recommends one plan"


# --- deviant play in the role-play does not pay ------------------------------------------------
def _game(role, answer, seed, months=12):
    game = sop_sim.Game("baseline", seed=seed, human_roles={role}, months=months)
    while (request := game.advance()) is not None:
        game.decide(request, answer(request))
    return game.result.summary


def _inflate(request):
    answer = request.suggestion()
    answer["adjust_pct"] = {f: 40.0 for f in answer["adjust_pct"]}
    return answer


def _never_decide(request):
    answer = request.suggestion()
    if "choices" in answer:
        answer["choices"] = {k: "defer" for k in answer["choices"]}
    answer["authorize"] = False
    return answer


@pytest.mark.parametrize("role,answer", [("sales", _inflate), ("executive_sponsor", _never_decide)],
                         ids=["sales_inflates_40pct", "executive_never_decides"])
def test_18_deviant_players_end_below_the_agents(role, answer):
    seeds = range(10)
    below = sum(_game(role, answer, s)["economic_profit"] < sop_sim.run("baseline", seed=s, months=12).summary[
        "economic_profit"] for s in seeds)
    assert below > len(seeds) / 2, f"the deviant {role} should end below the all-agent game on most seeds: {below}"
