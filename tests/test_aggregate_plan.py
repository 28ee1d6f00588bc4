"""Aggregate production planning: hand-worked examples, validation, invariants.

Layers: classic textbook exercises worked by hand (the arithmetic is in each docstring;
no published answer key was read for these, so they check the arithmetic, not a
publication); validation of bad input; verification of the conventions on small
hand-computed cases; invariants over random demand (hypothesis). Published worked
examples reproduced to the dollar, the optimum, the conventions and ``price_plan`` are
in ``tests/test_aggregate_published.py`` and ``tests/test_aggregate_optimum.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sop_sim.errors import ScenarioError
from sop_sim.planning import ProductionPlan, compare_strategies, production_plan
from sop_sim.planning.aggregate import COST_COLUMNS, COST_TYPES, InfeasiblePlanError

# --------------------------------------------------------------------------- examples

JONES_DEMAND = [1000, 2000, 4000, 3000]
JONES = dict(
    initial_workers=15,
    units_per_worker=100,
    hire_cost=2000,
    fire_cost=3000,
    unit_cost=100,
    carrying_cost=25,
    safety_stock=100,
)


def test_jones_inc_level_chase_and_hybrid_by_hand() -> None:
    """Jones Inc. (a classic quarterly exercise in the Jacobs & Chase / CPIM style;
    statement published e.g. at solutioninn.com, "Jones Inc. is preparing an aggregate
    production plan for next year").

    Demand 1000, 2000, 4000, 3000 per quarter; 100 units on hand and kept as safety
    stock; regular production $100/unit; overtime $150/unit; carrying $25/unit/quarter
    on quarter-ending inventory; hire $2,000, fire $3,000; 15 workers; 100 units per
    worker per quarter.

    Hand arithmetic (ours; no published answer key was available to compare with):

    (a) Level. Requirement = 10,000 + 100 - 100 = 10,000 units over 4 quarters
        = 2,500/quarter = 25 workers; hire 10 at the start: 10 x 2,000 = $20,000.
        Ending inventory: 100+2500-1000 = 1600; 1600+2500-2000 = 2100;
        2100+2500-4000 = 600; 600+2500-3000 = 100.
        Carrying (1600+2100+600+100) x 25 = 4400 x 25 = $110,000.
        Production 10,000 x 100 = $1,000,000.
        Total 1,000,000 + 20,000 + 110,000 = $1,130,000.
    (b) Chase. Workers 10, 20, 40, 30 (demand / 100). From 15: fire 5 ($15,000),
        hire 10 ($20,000), hire 20 ($40,000), fire 10 ($30,000): hiring $60,000,
        firing $45,000. Inventory stays at 100: carrying 4 x 100 x 25 = $10,000.
        Total 1,000,000 + 60,000 + 45,000 + 10,000 = $1,115,000.
    (c) Hire 7 (22 workers, 2,200/quarter), build stock, overtime when short.
        Hire 7 x 2,000 = $14,000. Ending inventory: 100+2200-1000 = 1300;
        1300+2200-2000 = 1500; 1500+2200-4000 = -300 -> overtime 400 -> 100;
        100+2200-3000 = -700 -> overtime 800 -> 100.
        Regular 8,800 x 100 = $880,000; overtime 1,200 x 150 = $180,000 (in the kit's
        terms: unit_cost $100 on every unit made in-house plus overtime_cost $50 on top);
        carrying (1300+1500+100+100) x 25 = $75,000.
        Total 880,000 + 180,000 + 75,000 + 14,000 = $1,149,000.
    """
    level = production_plan("level", JONES_DEMAND, **JONES)
    chase = production_plan("chase", JONES_DEMAND, **JONES)
    hybrid = production_plan("hybrid", JONES_DEMAND, hybrid_workers=22, overtime_cost=50, **JONES)
    assert level.total_cost == 1_130_000, f"level: expected $1,130,000, got {level.total_cost}"
    assert chase.total_cost == 1_115_000, f"chase: expected $1,115,000, got {chase.total_cost}"
    assert hybrid.total_cost == 1_149_000, f"hybrid: expected $1,149,000, got {hybrid.total_cost}"

    assert level.table["workers"].tolist() == [25] * 4
    assert level.table["ending_inventory"].tolist() == [1600, 2100, 600, 100]
    assert level.cost_breakdown.to_dict() == {
        "hiring": 20_000, "firing": 0, "labour": 0, "production": 1_000_000,
        "overtime": 0, "subcontract": 0, "carrying": 110_000, "backorder": 0,
    }  # fmt: skip
    assert chase.table["workers"].tolist() == [10, 20, 40, 30]
    assert chase.table["hired"].tolist() == [0, 10, 20, 0]
    assert chase.table["fired"].tolist() == [5, 0, 0, 10]
    assert chase.cost_breakdown["hiring"] == 60_000 and chase.cost_breakdown["firing"] == 45_000
    assert hybrid.table["overtime_units"].tolist() == [0, 0, 400, 800]
    assert hybrid.table["ending_inventory"].tolist() == [1300, 1500, 100, 100]


def test_jacobs_chase_six_month_level_and_chase_by_hand() -> None:
    """ "A firm must plan production for the next six months" (Jacobs & Chase,
    Operations and Supply Chain Management, S&OP chapter; the variant with these numbers
    is published e.g. at raywriters.com, 2020-08-22).

    Demand 260, 260, 260, 260, 470, 650; $320 per unit; holding $18/unit/month on
    ending inventory; hire $170, fire $340 per worker; 10 units per worker per month;
    15 workers; 125 units on hand kept as safety stock; hiring at the start of a month.

    Hand arithmetic (ours):

    Level. Requirement 2,160 over 6 months = 360/month = 36 workers; hire 21:
        21 x 170 = $3,570. Ending inventory 125+360-260 = 225, 325, 425, 525,
        525+360-470 = 415, 415+360-650 = 125 (peak 525).
        Carrying (225+325+425+525+415+125) x 18 = 2,040 x 18 = $36,720.
        Production 2,160 x 320 = $691,200. Total 691,200 + 3,570 + 36,720 = $731,490.
    Chase. Workers 26, 26, 26, 26, 47, 65; hires 11 + 21 + 18 = 50: 50 x 170 = $8,500;
        no firing. Inventory stays at 125: carrying 6 x 125 x 18 = $13,500.
        Total 691,200 + 8,500 + 13,500 = $713,200.
    """
    demand = [260, 260, 260, 260, 470, 650]
    kw = dict(
        initial_workers=15, units_per_worker=10, hire_cost=170, fire_cost=340,
        unit_cost=320, carrying_cost=18, safety_stock=125,
    )  # fmt: skip
    level = production_plan("level", demand, **kw)
    chase = production_plan("chase", demand, **kw)
    assert level.total_cost == 731_490, f"level: expected $731,490, got {level.total_cost}"
    assert chase.total_cost == 713_200, f"chase: expected $713,200, got {chase.total_cost}"
    assert level.table["production"].tolist() == [360] * 6
    assert level.table["ending_inventory"].max() == 525
    assert level.table["hired"].sum() == 21
    assert chase.table["workers"].tolist() == [26, 26, 26, 26, 47, 65]
    assert chase.table["hired"].sum() == 50 and chase.table["fired"].sum() == 0


# ---------------------------------------------------------------------- verification


def test_hybrid_overtime_limit_then_subcontracting() -> None:
    """Jones (c) with overtime capped at 10 units per worker (220 a quarter) and
    subcontracting at $200/unit: Q3 short 400 -> 220 overtime + 180 subcontracted;
    Q4 short 800 -> 220 + 580. Overtime 440 x 150 = 66,000; subcontract 760 x 200 =
    152,000; regular 880,000; carrying 75,000; hiring 14,000: total $1,187,000."""
    plan = production_plan(
        "hybrid", JONES_DEMAND, hybrid_workers=22, overtime_cost=50,
        max_overtime_per_worker=10, subcontract_cost=200, **JONES,
    )  # fmt: skip
    assert plan.table["overtime_units"].tolist() == [0, 0, 220, 220]
    assert plan.table["subcontract_units"].tolist() == [0, 0, 180, 580]
    assert plan.total_cost == 1_187_000


def test_hybrid_with_backorders() -> None:
    """Demand 4000, 1000, 2000, 3000; Jones costs; crew of 25 (hire 10), no overtime,
    backorders at $40/unit/quarter. Ending 100+2500-4000 = -1400 (backlog 1400),
    -1400+2500-1000 = 100, 100+2500-2000 = 600, 600+2500-3000 = 100.
    Hiring 20,000 + production 1,000,000 + backorders 1400 x 40 = 56,000
    + carrying (100+600+100) x 25 = 20,000: total $1,096,000."""
    plan = production_plan("hybrid", [4000, 1000, 2000, 3000], hybrid_workers=25,
                           allow_backorders=True, backorder_cost=40, **JONES)  # fmt: skip
    assert plan.table["ending_inventory"].tolist() == [-1400, 100, 600, 100]
    assert plan.table["backorders"].tolist() == [1400, 0, 0, 0]
    assert plan.total_cost == 1_096_000, f"expected $1,096,000, got {plan.total_cost}"
    assert "backorders" in plan.summary()


def test_hybrid_too_small_is_infeasible_and_compare_reports_it() -> None:
    with pytest.raises(InfeasiblePlanError, match="hybrid_workers=15"):
        production_plan("hybrid", JONES_DEMAND, **JONES)
    table = compare_strategies(JONES_DEMAND, **JONES)
    assert list(table.index) == ["level", "chase", "hybrid", "optimal"]
    assert table.loc["level", "total_cost"] == 1_130_000
    assert table.loc["chase", "total_cost"] == 1_115_000
    assert (
        math.isnan(table.loc["hybrid", "total_cost"])
        and "safety stock" in table.loc["hybrid", "note"]
    )
    assert table.loc["chase", "note"] == ""
    for c in COST_TYPES:
        assert c in table.columns, f"expected a column per cost type, missing {c}"
    ok = table.loc[["level", "chase", "optimal"]]
    assert np.allclose(ok[list(COST_TYPES)].sum(axis=1), ok["total_cost"])


def test_level_front_loaded_demand_raises_workforce_or_backorders() -> None:
    """Demand 300, 100, 100, 100; 100 units/worker; no safety stock; 2 workers today;
    hire $40, unit $10, carrying $1, backorder $5.

    Without backorders the level workforce must cover 300 in period 1: ceil(300/100) = 3
    (more than ceil(600/400) = 2). Output 300, 300, then 0, 0 (never over-build); ending
    0, 200, 100, 0. Cost: hire 1 x 40 + 600 x 10 + (200+100) x 1 = $6,340.
    With backorders, 2 workers: output 200, 200, 200, 0; ending -100, 0, 100, 0.
    Cost: 6,000 + backorder 100 x 5 + carrying 100 x 1 = $6,600.
    """
    kw = dict(initial_workers=2, units_per_worker=100, hire_cost=40, fire_cost=0,
              unit_cost=10, carrying_cost=1, safety_stock=0, backorder_cost=5)  # fmt: skip
    strict = production_plan("level", [300, 100, 100, 100], **kw)
    assert strict.table["workers"].tolist() == [3] * 4
    assert strict.table["ending_inventory"].tolist() == [0, 200, 100, 0]
    assert strict.table["unused_capacity"].tolist() == [0, 0, 300, 300]
    assert strict.total_cost == 6_340
    loose = production_plan("level", [300, 100, 100, 100], allow_backorders=True, **kw)
    assert loose.table["workers"].tolist() == [2] * 4
    assert loose.table["ending_inventory"].tolist() == [-100, 0, 100, 0]
    assert loose.table["backorders"].tolist() == [100, 0, 0, 0]
    assert loose.total_cost == 6_600


def test_chase_uses_extra_initial_inventory_first() -> None:
    """Demand 100, 100; safety stock 50; 170 on hand; 10 units/worker; 5 workers.
    Period 1 needs 100 + 50 - 170 < 0: make nothing, 0 workers, end with 70.
    Period 2 needs 100 + 50 - 70 = 80: 8 workers, end at 50."""
    plan = production_plan("chase", [100, 100], initial_workers=5, units_per_worker=10,
                           hire_cost=1, fire_cost=1, unit_cost=1, carrying_cost=1,
                           safety_stock=50, initial_inventory=170)  # fmt: skip
    assert plan.table["production"].tolist() == [0, 80]
    assert plan.table["workers"].tolist() == [0, 8]
    assert plan.table["ending_inventory"].tolist() == [70, 50]
    assert plan.total_cost == 5 + 8 + 80 + 120  # fire 5, hire 8, make 80, carry 70 + 50


def test_labour_cost_and_period_labels() -> None:
    demand = pd.Series(JONES_DEMAND, index=["Q1", "Q2", "Q3", "Q4"])
    plan = production_plan("level", demand, labour_cost_per_worker=1000, **JONES)
    assert list(plan.table.index) == ["Q1", "Q2", "Q3", "Q4"]
    assert plan.cost_breakdown["labour"] == 25 * 4 * 1000
    assert plan.total_cost == 1_130_000 + 100_000
    relabelled = production_plan("chase", JONES_DEMAND, periods=["a", "b", "c", "d"], **JONES)
    assert list(relabelled.table.index) == ["a", "b", "c", "d"]


def test_plan_is_frozen_and_explains_itself() -> None:
    plan = production_plan("level", JONES_DEMAND, **JONES)
    assert isinstance(plan, ProductionPlan)
    with pytest.raises(AttributeError):
        plan.total_cost = 0  # type: ignore[misc]
    with pytest.raises(ValueError):
        plan.arrays["workers"][0] = 99
    assert "table" not in vars(plan), "the DataFrame should be built lazily"
    assert plan.table is plan.table, "and only once"
    text = plan.summary()
    assert "$1,130,000" in text and "carrying" in text and "stock" in text
    assert "hires" in production_plan("chase", JONES_DEMAND, **JONES).summary()


# ------------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("override", "needle"),
    [
        ({"strategy": "smooth"}, "strategy='smooth'"),
        ({"demand": []}, "demand=[]"),
        ({"demand": [100, -5]}, "demand[1]=-5.0"),
        ({"demand": [100, float("nan")]}, "demand[1]=nan"),
        ({"demand": [[1, 2], [3, 4]]}, "demand with shape (2, 2)"),
        ({"demand": ["a", "b"]}, "demand="),
        ({"initial_workers": 15.5}, "initial_workers=15.5"),
        ({"initial_workers": -1}, "initial_workers=-1"),
        ({"initial_workers": True}, "initial_workers=True"),
        ({"hybrid_workers": 2.5}, "hybrid_workers=2.5"),
        ({"units_per_worker": 0}, "units_per_worker=0"),
        ({"units_per_worker": -3}, "units_per_worker=-3"),
        ({"hire_cost": -1}, "hire_cost=-1"),
        ({"fire_cost": -1}, "fire_cost=-1"),
        ({"unit_cost": float("inf")}, "unit_cost=inf"),
        ({"carrying_cost": -0.5}, "carrying_cost=-0.5"),
        ({"safety_stock": -1}, "safety_stock=-1"),
        ({"initial_inventory": -1}, "initial_inventory=-1"),
        ({"overtime_cost": -1}, "overtime_cost=-1"),
        ({"max_overtime_units": -1}, "max_overtime_units=-1"),
        ({"subcontract_cost": "cheap"}, "subcontract_cost='cheap'"),
        ({"backorder_cost": -2}, "backorder_cost=-2"),
        ({"labour_cost_per_worker": -2}, "labour_cost_per_worker=-2"),
        ({"allow_backorders": "yes"}, "allow_backorders='yes'"),
        ({"periods": ["a", "b"]}, "periods="),
        ({"periods": ["a", "a", "b", "c"]}, "periods="),
    ],
)
def test_bad_input_raises_one_line_scenario_error(override: dict, needle: str) -> None:
    args = {"strategy": "level", "demand": JONES_DEMAND, **JONES, **override}
    with pytest.raises(ScenarioError) as info:
        production_plan(args.pop("strategy"), args.pop("demand"), **args)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert needle in message, f"expected the message to name {needle!r}: {message}"
    assert "\n" not in message and ("expected" in message or "allowed" in message)


# ------------------------------------------------------------------------ invariants


def check_invariants(plan: ProductionPlan, demand: list[float], kw: dict) -> None:
    t = plan.table
    ss = kw["safety_stock"]
    begin, end = t["beginning_inventory"].to_numpy(), t["ending_inventory"].to_numpy()
    assert np.allclose(begin + t["production"] - t["demand"], end), "begin + made - demand = end"
    assert np.allclose(begin[1:], end[:-1]) and begin[0] == ss, "inventory carries over"
    assert np.allclose(t["demand"], demand)
    assert end[-1] == pytest.approx(ss, abs=1e-6), f"plan should end at safety stock {ss}"
    assert (end >= ss - 1e-6).all(), "without backorders every period keeps safety stock"
    workers = t["workers"].to_numpy()
    assert (workers >= 0).all() and np.issubdtype(workers.dtype, np.integer)
    change = np.diff(workers, prepend=kw["initial_workers"])
    assert (t["hired"] - t["fired"] == change).all() and (
        (t["hired"] == 0) | (t["fired"] == 0)
    ).all()
    assert (t["regular_units"] <= workers * kw["units_per_worker"] + 1e-6).all()
    assert (t["unused_capacity"] >= -1e-6).all()
    costs = t[list(COST_COLUMNS)]
    assert (costs >= 0).all().all(), "costs are non-negative"
    assert plan.total_cost == pytest.approx(costs.to_numpy().sum(), rel=1e-12, abs=1e-6)
    assert plan.cost_breakdown.sum() == pytest.approx(plan.total_cost, rel=1e-12, abs=1e-6)


plan_inputs = st.fixed_dictionaries(
    {
        "initial_workers": st.integers(0, 60),
        "units_per_worker": st.one_of(st.integers(1, 200), st.floats(0.5, 200)),
        "hire_cost": st.integers(0, 5000),
        "fire_cost": st.integers(0, 5000),
        "unit_cost": st.integers(0, 500),
        "carrying_cost": st.floats(0, 50),
        "safety_stock": st.integers(0, 500),
    }
)
# Units to three decimals: a plan for 1e-9 units of demand is float noise, not a case.
demands = st.lists(
    st.one_of(st.integers(0, 5000), st.floats(0, 5000).map(lambda x: round(x, 3))),
    min_size=1,
    max_size=24,
)


@settings(max_examples=150, deadline=None)
@given(demand=demands, kw=plan_inputs, crew=st.integers(0, 80))
def test_invariants_over_random_demand(demand: list[float], kw: dict, crew: int) -> None:
    level = production_plan("level", demand, **kw)
    chase = production_plan("chase", demand, **kw)
    hybrid = production_plan(
        "hybrid", demand, hybrid_workers=crew, overtime_cost=1.5 * kw["unit_cost"], **kw
    )
    for plan in (level, chase, hybrid):
        check_invariants(plan, demand, kw)

    upw, ss = kw["units_per_worker"], kw["safety_stock"]
    w = level.table["workers"].to_numpy()
    assert (w == w[0]).all(), "a level plan keeps one workforce size"
    if w[0] > 0:  # and it is the smallest one that never dips below safety stock
        need = np.cumsum(demand)  # initial inventory == safety stock
        reach = (w[0] - 1) * upw * np.arange(1, len(demand) + 1)
        assert (reach < need - 1e-6).any(), "one worker fewer should not have been enough"
    assert np.allclose(chase.table["production"], demand), "a chase plan makes each period's demand"
    assert np.allclose(chase.table["ending_inventory"], ss)
    expected = [max(0, math.ceil(x / upw - 1e-9)) for x in demand]
    assert chase.table["workers"].tolist() == expected
    assert (hybrid.table["workers"] == crew).all()


@settings(max_examples=100, deadline=None)
@given(
    demand=demands, kw=plan_inputs, start=st.integers(0, 3000), backorder_cost=st.integers(0, 99)
)
def test_level_with_backorders_and_any_starting_stock(
    demand: list[float], kw: dict, start: int, backorder_cost: int
) -> None:
    plan = production_plan(
        "level", demand, initial_inventory=start, allow_backorders=True,
        backorder_cost=backorder_cost, **kw,
    )  # fmt: skip
    t = plan.table
    upw, ss = kw["units_per_worker"], kw["safety_stock"]
    need = sum(demand) + ss - start
    assert (t["workers"] == max(0, math.ceil(need / (len(demand) * upw) - 1e-9))).all()
    end = t["ending_inventory"].to_numpy()
    assert np.allclose(t["beginning_inventory"] + t["production"] - t["demand"], end)
    assert end[-1] == pytest.approx(max(ss, start - sum(demand)), abs=1e-6)
    assert np.allclose(t["backorders"], np.maximum(-end, 0))
    assert np.allclose(t["cost_backorder"], t["backorders"] * backorder_cost)
    assert np.allclose(t["cost_carrying"], np.maximum(end, 0) * kw["carrying_cost"])
    assert plan.total_cost == pytest.approx(t[list(COST_COLUMNS)].to_numpy().sum(), abs=1e-6)
