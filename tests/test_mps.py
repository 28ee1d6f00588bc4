"""The master schedule: disaggregation that conserves the S&OP plan, time fences, MRP offsets."""

from __future__ import annotations

import pytest

import sop_sim
from sop_sim import mps
from sop_sim.errors import ScenarioError


@pytest.fixture(scope="module")
def base() -> sop_sim.Result:
    return sop_sim.run("baseline", seed=0)


def test_item_mix_sums_to_one_and_falls_item_by_item(base: sop_sim.Result) -> None:
    for fam in base.scenario.company.families:
        mix = mps.item_mix(fam)
        assert len(mix) == fam.skus, "one share per item of the family"
        assert mix.sum() == pytest.approx(1.0), "the shares of a family add up to 1"
        assert (mix.diff().dropna() < 0).all(), "each item sells less than the one before"


def test_schedule_adds_up_to_the_authorized_family_plan(base: sop_sim.Result) -> None:
    sched = mps.master_schedule(base, cycle=3)
    rec = mps.reconcile(sched, base, 3)
    assert len(rec) == 3, "a 13-week schedule holds three whole months"
    assert (rec["difference"] == 0).all(), "the MPS must add up exactly to the S&OP plan, month by month"
    plan = mps.authorized_family_plan(base, 3)
    first = plan.index[0]
    mowers = sched[(sched["month"] == first) & (sched["family"] == "mowers")]["units"].sum()
    assert mowers == int(plan.loc[first, "mowers"]), "family totals are conserved, item by item"
    assert (sched["units"] >= 0).all() and sched["units"].dtype.kind == "i", "whole, non-negative units"


def test_deterministic_case_known_by_hand() -> None:
    # 100 units over 4 weeks and a 4-item family with decay 0.5: 8/15, 4/15, 2/15, 1/15 of 25
    shares = mps.item_mix(sop_sim.config.Family("x", "X", 100, 0, (1,) * 12, 0, 1, 1, 1, skus=4), decay=0.5)
    assert list(mps._split(25, shares.to_numpy())) == [13, 7, 3, 2], "largest remainder rounding by hand"
    assert list(mps._split(100, [0.25] * 4)) == [25] * 4


def test_time_fences_zone_the_weeks(base: sop_sim.Result) -> None:
    f = mps.TimeFences(frozen_weeks=2, slushy_weeks=5, horizon_weeks=8)
    sched = mps.master_schedule(base, cycle=3, fences=f)
    zones = sched.drop_duplicates("week").set_index("week")["zone"]
    assert list(zones) == ["frozen"] * 2 + ["slushy"] * 3 + ["liquid"] * 3
    assert mps.judge_change(1, True)[0] == "frozen"
    assert "S&OP" in mps.judge_change(10, False)[1], "a new family volume goes back to S&OP"
    assert mps.judge_change(6, True)[0] == "slushy" and mps.judge_change(13, True)[0] == "liquid"
    with pytest.raises(ScenarioError, match="frozen"):
        mps.TimeFences(frozen_weeks=6, slushy_weeks=4)
    with pytest.raises(ScenarioError, match="weeks 1 to 13"):
        mps.judge_change(14, True)


def test_mrp_offsets_orders_by_the_lead_time(base: sop_sim.Result) -> None:
    mat = mps.material_plan(mps.master_schedule(base, cycle=3), lead_weeks=8)
    early = mat[mat["week"] <= 8]
    assert early["order"].str.startswith("already ordered").all(), "needs inside the lead time were ordered by S&OP"
    assert (mat.loc[mat["week"] == 9, "order"] == "released by MRP in wk 1").all()


def test_item_level_review_fills_the_meeting(base: sop_sim.Result) -> None:
    load = mps.planning_load(base.scenario.company)
    assert load.loc["Master schedule", "numbers to agree"] > 5 * load.loc["S&OP", "numbers to agree"]
    agenda = mps.agenda_minutes(base.scenario.company)
    assert agenda.loc["items (SKUs)", "minutes left for issues"] == 0, "item review leaves no time for issues"
    assert agenda.loc["product families", "minutes left for issues"] > 60
    sku = sop_sim.run("sku_level", seed=0)
    assert mps.overrun_share(sku) > mps.overrun_share(base), "the sku_level preset overruns its executive meetings"


def test_unknown_cycle_is_one_clear_line(base: sop_sim.Result) -> None:
    with pytest.raises(ScenarioError, match="cycle 99 authorized no plan"):
        mps.master_schedule(base, cycle=99)
