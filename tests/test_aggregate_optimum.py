"""The optimal plan, the textbook conventions and pricing a given plan.

Layers: the optimum against the heuristics (property test with hypothesis); each
convention on a small case worked by hand (arithmetic in the docstring); price_plan's
verdicts, one line each; validation of the new arguments.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sop_sim.errors import ScenarioError
from sop_sim.planning import compare_strategies, price_plan, production_plan
from sop_sim.planning.aggregate import COST_COLUMNS, InfeasiblePlanError

JONES_DEMAND = [1000, 2000, 4000, 3000]
JONES = dict(initial_workers=15, units_per_worker=100, hire_cost=2000, fire_cost=3000,
             unit_cost=100, carrying_cost=25, safety_stock=100)  # fmt: skip

# ----------------------------------------------------------------------- the optimum


def test_optimum_on_jones_beats_every_heuristic_and_shows_its_slacks() -> None:
    """Jones Inc. with overtime at $50 on top of the $100 unit cost, at most 10 units a
    worker. Level $1,130,000 and chase $1,115,000 (hand-worked in test_aggregate_plan);
    the optimum can only be cheaper, keeps whole workers and ends at safety stock."""
    kw = dict(JONES, overtime_cost=50, max_overtime_per_worker=10)
    table = compare_strategies(JONES_DEMAND, hybrid_workers=22, **kw)
    best = table.loc["optimal", "total_cost"]
    assert best <= table.loc[["level", "chase", "hybrid"], "total_cost"].min()
    plan = production_plan("optimal", JONES_DEMAND, **kw)
    t = plan.table
    assert t["workers"].dtype.kind == "i"
    assert t["ending_inventory"].iloc[-1] == 100 and (t["ending_inventory"] >= 100).all()
    assert (t["spare_overtime"] == t["workers"] * 10 - t["overtime_units"]).all()
    assert (t["above_target"] == t["ending_inventory"] - 100).all()
    assert plan.total_cost == pytest.approx(t[list(COST_COLUMNS)].to_numpy().sum())
    text = plan.summary()
    assert text.startswith("Optimal plan over 4 periods costs $") and "What binds" in text


def test_lp_relaxation_on_request_is_never_dearer() -> None:
    """Red Tomato (Chopra & Meindl, see test_aggregate_published): with fractional workers
    allowed the optimum keeps 64 7/12 workers and costs less than the whole-worker plan."""
    from test_aggregate_published import (  # tests/ is on sys.path (rootdir-less)
        RED_TOMATO,
        RED_TOMATO_DEMAND,
    )

    whole = production_plan("optimal", RED_TOMATO_DEMAND, **RED_TOMATO)
    lp = production_plan("optimal", RED_TOMATO_DEMAND, integer_workers=False, **RED_TOMATO)
    assert lp.total_cost < whole.total_cost
    assert lp.table["workers"].iloc[0] == pytest.approx(64 + 7 / 12)


def test_optimum_with_no_feasible_plan_says_why_in_one_line() -> None:
    """The crew cannot grow before the hire lead time and there is no overtime: the
    4,000 units of quarter 1 cannot be made by 15 workers."""
    with pytest.raises(InfeasiblePlanError) as info:
        production_plan("optimal", [4000, 1000], hire_lead_periods=2, **JONES)
    message = str(info.value)
    assert "strategy='optimal'" in message and "hire_lead_periods" in message and "\n" not in message


# -------------------------------------------------------------------- property test

cases = st.fixed_dictionaries(
    {
        "initial_workers": st.integers(0, 40),
        "units_per_worker": st.integers(5, 150),
        "hire_cost": st.integers(0, 3000),
        "fire_cost": st.integers(0, 3000),
        "unit_cost": st.integers(0, 200),
        "labour_cost_per_worker": st.integers(0, 2000),
        "carrying_cost": st.integers(0, 40),
        "safety_stock": st.integers(0, 300),
    },
    optional={
        "overtime_cost": st.integers(0, 100),
        "max_overtime_per_worker": st.integers(0, 30),
        "subcontract_cost": st.integers(50, 400),
        "max_subcontract_units": st.integers(0, 800),
        "carrying_on": st.sampled_from(["ending", "average"]),
        "ending_inventory": st.integers(0, 500),
        "ending_workers": st.integers(0, 40),
        "hire_lead_periods": st.integers(0, 3),
        "backorder_cost": st.integers(0, 80),
        "allow_backorders": st.booleans(),
    },
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(demand=st.lists(st.integers(0, 3000), min_size=1, max_size=10), kw=cases, crew=st.integers(0, 60))
def test_optimum_never_costs_more_than_level_chase_or_hybrid(demand: list[int], kw: dict, crew: int) -> None:
    priced = {}
    for strategy in ("level", "chase", "hybrid"):
        try:
            priced[strategy] = production_plan(strategy, demand, hybrid_workers=crew, **kw)
        except InfeasiblePlanError:
            continue
    assume(priced)
    best = production_plan("optimal", demand, **kw)  # feasible: the heuristics' plans are candidates
    for strategy, plan in priced.items():
        assert best.total_cost <= plan.total_cost + 1e-6 * max(1.0, plan.total_cost), (
            f"optimal ${best.total_cost:,.2f} costs more than {strategy} ${plan.total_cost:,.2f}"
        )
    t = best.table
    end = t["ending_inventory"].to_numpy()
    target = kw.get("ending_inventory", kw["safety_stock"])
    assert end[-1] >= target - 1e-6, "the last period meets its condition"
    if not kw.get("allow_backorders", False):
        assert (end[:-1] >= kw["safety_stock"] - 1e-6).all(), "without backorders, safety stock every period"
    assert np.allclose(t["beginning_inventory"] + t["production"] - t["demand"], end)
    assert (t["regular_units"] <= t["workers"] * kw["units_per_worker"] + 1e-6).all()
    lead = kw.get("hire_lead_periods", 0)
    assert (t["hired"].to_numpy()[:lead] == 0).all(), "no hire works before the hiring lead time"
    assert best.total_cost == pytest.approx(t[list(COST_COLUMNS)].to_numpy().sum(), abs=1e-6)


# ---------------------------------------------------------------------- conventions


def test_ending_inventory_is_a_last_period_condition_apart_from_safety_stock() -> None:
    """Demand 100, 100; 10 units a worker; safety stock 20 kept through period 1, but
    the horizon must end with 50. Chase: period 1 makes 100 (ends at 20), period 2 makes
    100 + 50 - 20 = 130 (13 workers)."""
    kw = dict(initial_workers=10, units_per_worker=10, hire_cost=1, fire_cost=1, unit_cost=1,
              carrying_cost=1, safety_stock=20)  # fmt: skip
    plan = production_plan("chase", [100, 100], ending_inventory=50, **kw)
    assert plan.table["ending_inventory"].tolist() == [20, 50]
    assert plan.table["workers"].tolist() == [10, 13]
    level = production_plan("level", [100, 100], ending_inventory=50, **kw)
    assert level.table["ending_inventory"].iloc[-1] == 50


def test_ending_workers_costs_the_return_to_the_starting_workforce() -> None:
    """Jones chase (workers 10, 20, 40, 30 from 15) must end the year with 15 workers:
    15 closing layoffs at $3,000 = $45,000 on top of the $1,115,000 chase plan."""
    plan = production_plan("chase", JONES_DEMAND, ending_workers=15, **JONES)
    t = plan.table
    assert t["closing_fired"].tolist() == [0, 0, 0, 15] and t["closing_hired"].sum() == 0
    assert t["cost_firing"].iloc[-1] == (10 + 15) * 3000
    assert plan.total_cost == 1_115_000 + 45_000
    assert "returns to 15 (15 laid off then" in plan.summary()


def test_average_carrying_as_stevenson_counts_it() -> None:
    """Stevenson's skateboard data (level output 300 a period, forecast 200, 200, 300,
    400, 500, 200, start and end with no stock, regular $2, inventory $1 per unit per
    period on average inventory, backorders $5 per unit per period). Hand arithmetic
    (ours): ending stock 100, 200, 200, 100, -100, 0; average on hand 50, 150, 200, 150,
    50, 0 = 600 -> $600; backorders 100 -> $500; regular 1,800 x $2 = $3,600; total $4,700."""
    demand = [200, 200, 300, 400, 500, 200]
    kw = dict(initial_workers=15, units_per_worker=20, hire_cost=0, fire_cost=0, unit_cost=2,
              carrying_cost=1, initial_inventory=0, carrying_on="average", allow_backorders=True,
              backorder_cost=5)  # fmt: skip
    plan = price_plan(demand, production=[300] * 6, workers=[15] * 6, **kw)
    assert plan.violation is None
    assert plan.table["average_inventory"].tolist() == [50, 150, 200, 150, 50, 0]
    assert plan.cost_breakdown[["production", "carrying", "backorder"]].tolist() == [3600, 600, 500]
    assert plan.total_cost == 4700
    assert production_plan("level", demand, **kw).total_cost == 4700, "the level strategy builds the same plan"


def test_working_days_and_safety_stock_as_a_share_of_demand() -> None:
    """Jacobs & Chase's six-month example: beginning inventory 400, safety stock 25% of
    each month's demand, 22, 19, 21, 21, 22, 20 working days, 5 labour hours a unit and
    8-hour days. The production requirement row (demand + safety stock - beginning
    inventory) is published as 1,850, 1,425, 1,000, 850, 1,150, 1,725 (studylib.net doc
    25222497); a chase plan makes exactly that, with ceil(units / (days x 1.6)) workers."""
    demand = [1800, 1500, 1100, 900, 1100, 1600]
    days = [22, 19, 21, 21, 22, 20]
    plan = production_plan("chase", demand, initial_workers=50, working_days=days, units_per_worker_day=8 / 5,
                           safety_stock_share=0.25, initial_inventory=400, hire_cost=200, fire_cost=250,
                           unit_cost=100, carrying_cost=1.5)  # fmt: skip
    t = plan.table
    assert t["production"].tolist() == [1850, 1425, 1000, 850, 1150, 1725]
    assert t["ending_inventory"].tolist() == [450, 375, 275, 225, 275, 400]
    expected = [math.ceil(u / (dd * 1.6) - 1e-9) for u, dd in zip(t["production"], days, strict=True)]
    assert t["workers"].tolist() == expected


def test_hire_lead_time_makes_early_hires_infeasible_and_compare_says_so() -> None:
    """Jones with a two-quarter hiring lead time: chase fires 5 in Q1 and must hire 10
    in Q2, before a hire decided now could work; level hires 10 in Q1. Both are reported
    infeasible with the reason; the optimum keeps at most 15 workers until Q3."""
    kw = dict(JONES, overtime_cost=50, subcontract_cost=200, hire_lead_periods=2)
    with pytest.raises(InfeasiblePlanError, match="hire_lead_periods=2"):
        production_plan("chase", JONES_DEMAND, **kw)
    table = compare_strategies(JONES_DEMAND, **kw)
    assert math.isnan(table.loc["level", "total_cost"]) and "hire" in table.loc["level", "note"]
    best = production_plan("optimal", JONES_DEMAND, **kw)
    assert (best.table["workers"].iloc[:2] <= 15).all() and best.table["hired"].iloc[:2].sum() == 0


def test_hybrid_builds_ahead_with_overtime_when_the_peak_needs_more_than_its_cap() -> None:
    """Jones (c) with overtime capped at 15 units a worker (330 a quarter for 22 workers).
    Q3 ends 1,500 + 2,200 - 4,000 = -300: 330 overtime leaves it 70 short, so Q2 works
    70 overtime ahead. Q4: 100 + 2,200 - 3,000 = -700: 330 overtime, 470 short, built
    ahead with Q2's spare 260 and 210 in Q1. Overtime 210, 330, 330, 330 (1,200 units,
    $60,000 on top of $100 each); ending stock 1,510, 2,040, 570, 100: carrying 4,220 x
    $25 = $105,500; hiring $14,000; units 10,000 x $100. Total $1,179,500 (the uncapped
    hybrid costs $1,149,000: building ahead costs $30,500 of carrying)."""
    plan = production_plan("hybrid", JONES_DEMAND, hybrid_workers=22, overtime_cost=50,
                           max_overtime_per_worker=15, **JONES)  # fmt: skip
    assert plan.table["overtime_units"].tolist() == [210, 330, 330, 330]
    assert plan.table["ending_inventory"].tolist() == [1510, 2040, 570, 100]
    assert plan.total_cost == 1_179_500
    with pytest.raises(InfeasiblePlanError, match="hybrid_workers=22"):  # 5 a worker: 440 short in all
        production_plan("hybrid", JONES_DEMAND, hybrid_workers=22, overtime_cost=50, max_overtime_per_worker=5,
                        **JONES)  # fmt: skip


def test_overtime_units_also_pay_the_unit_cost() -> None:
    """Jones (c): 1,200 overtime units cost $100 (unit_cost) + $50 (overtime_cost) each."""
    plan = production_plan("hybrid", JONES_DEMAND, hybrid_workers=22, overtime_cost=50, **JONES)
    assert plan.cost_breakdown["production"] == (8800 + 1200) * 100
    assert plan.cost_breakdown["overtime"] == 1200 * 50


# ------------------------------------------------------------------------ price_plan


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"production": [2600, 2000, 2500, 2900]}, "period 1 makes 2,600 units on regular time, more than 25 workers"),
        ({"overtime": [0, 0, 100, 0]}, "no overtime is allowed"),
        ({"production": [2500, 2500, 1950, 2550]}, "period 3 ends with 50 units, below safety stock (100)"),
        ({"production": [2500, 2500, 2000, 2500]}, "period 4 leaves 400 units of demand unmet, but backorders are not"),
        ({"production": [2500, 2500, 2500, 2400]}, "period 4 ends with 0 units, below the required ending"),
        ({"subcontract": [0, 0, 50, 0]}, "no subcontracting is allowed"),
    ],
)
def test_price_plan_names_the_first_broken_constraint(change: dict, needle: str) -> None:
    given_plan = {"production": [2500] * 4, "workers": [25] * 4, **change}
    plan = price_plan(JONES_DEMAND, **given_plan, **JONES)
    assert plan.violation is not None and needle in plan.violation, plan.violation
    assert "\n" not in plan.violation
    assert plan.total_cost > 0, "a broken plan is still priced"
    assert "breaks a constraint" in plan.summary()


def test_price_plan_of_the_level_plan_matches_production_plan() -> None:
    level = production_plan("level", JONES_DEMAND, **JONES)
    given_plan = price_plan(JONES_DEMAND, production=[2500] * 4, workers=[25] * 4, **JONES)
    assert given_plan.total_cost == level.total_cost == 1_130_000
    assert given_plan.violation is None and "keeps every constraint" in given_plan.summary()
    late = price_plan(JONES_DEMAND, production=[2500] * 4, workers=[25] * 4, hire_lead_periods=1, **JONES)
    assert "hire_lead_periods=1" in late.violation


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({"workers": [25, 25, 25]}, "workers="),
        ({"workers": [25, 25, 25.5, 25]}, "workers[2]=25.5"),
        ({"production": [2500, -1, 2500, 2500]}, "production[1]=-1.0"),
        ({"overtime": "lots"}, "overtime="),
        ({"strategy": "level"}, "strategy='level'"),
        ({"carrying_on": "median"}, "carrying_on='median'"),
        ({"hire_lead_periods": -1}, "hire_lead_periods=-1"),
        ({"integer_workers": "yes"}, "integer_workers='yes'"),
        ({"ending_workers": 2.5}, "ending_workers=2.5"),
        ({"ending_inventory": -5}, "ending_inventory=-5"),
        ({"safety_stock_share": 0.25}, "safety_stock=100 with safety_stock_share=0.25"),
        ({"working_days": 20}, "units_per_worker together with working_days"),
        ({"hire_costs": 5}, "hire_costs=5 is not allowed: expected options among"),
    ],
)
def test_bad_input_to_price_plan_is_one_clear_line(kw: dict, needle: str) -> None:
    args = {"production": [2500] * 4, "workers": [25] * 4, **JONES, **kw}
    with pytest.raises(ScenarioError) as info:
        price_plan(JONES_DEMAND, **args)
    message = str(info.value)
    assert needle in message, message
    assert "\n" not in message and ("expected" in message or "allowed" in message)


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({"units_per_worker": None}, "units_per_worker=None"),
        ({"units_per_worker": None, "working_days": [20, 20], "units_per_worker_day": 5}, "working_days="),
        ({"units_per_worker": None, "working_days": [20, 0, 20, 20], "units_per_worker_day": 5},
         "working_days[1]=0.0"),
        ({"labour_cost_per_worker": [1, 2]}, "labour_cost_per_worker="),
    ],
)
def test_bad_capacity_arguments(kw: dict, needle: str) -> None:
    with pytest.raises(ScenarioError) as info:
        production_plan("optimal", JONES_DEMAND, **{**JONES, **kw})
    assert needle in str(info.value), str(info.value)
