"""Economics: every option priced with its full effect, and economic profit, checked by hand."""

import dataclasses

import pytest

import sop_sim
from sop_sim import economics as eco
from sop_sim.errors import ScenarioError


def test_promotion_counts_the_discount_on_the_whole_month_and_the_dip_after():
    # mowers: price 320, variable cost 220; 1,000 units; +25 % at 10 % off; 15 % pull-forward
    p = eco.promotion(320.0, 220.0, 1000.0, 0.25, 0.10, 0.15, 1000.0)
    assert p.parts["extra units"] == pytest.approx(250 * (288 - 220))  # +17,000
    assert p.parts["discount on the base volume"] == pytest.approx(-32_000)
    assert p.parts["pull-forward dip next month"] == pytest.approx(-0.15 * 0.25 * 1000 * 100)  # -3,750
    assert p.cost == pytest.approx(18_750), "the promotion takes 18,750 from the margin"
    # the old pricing showed only the extra units, a gain of 17,000
    assert p.cost > 0 > -p.parts["extra units"]


def test_promotion_pays_when_the_uplift_is_big_enough():
    # break-even uplift u: u*(288-220) = 32 + 0.15*u*100  ->  u = 32/53
    assert eco.promotion(320.0, 220.0, 1000.0, 0.7, 0.10, 0.15, 1000.0).cost < 0
    assert eco.promotion(320.0, 220.0, 1000.0, 0.5, 0.10, 0.15, 1000.0).cost > 0


def test_overtime_outsourcing_accept_and_hiring():
    assert eco.overtime(100.0, 25.0, 1.5).cost == pytest.approx(3750.0)
    # outsourced mowers: contract price 220*1.25 = 275, our material 170 saved -> 105 a unit
    assert eco.outsourcing([10.0, 0.0], [220.0, 72.0], [170.0, 52.0], 0.25).cost == pytest.approx(1050.0)
    # accepting a gap: 10 mowers short in month 0 ship late in month 1, 5 trimmers short in month 1 ship
    # late in month 2; 20 mowers short in month 1 find nothing in month 2 and are lost
    late_cost, lost_cost = eco.shortfall_rates([320.0, 110.0], [170.0, 52.0], 0.08)
    s = eco.demand_shortfall([[110.0, 50.0], [100.0, 55.0], [0.0, 0.0]], [0.0, 0.0],
                             [[100.0, 50.0], [90.0, 50.0], [0.0, 5.0]], late_cost, lost_cost)
    a = eco.accept(s, late_cost, lost_cost)
    assert a.cost == pytest.approx(s.cost)
    assert a.parts["contribution of lost units"] == pytest.approx(-20 * 150)
    assert a.parts["express freight on late units"] == pytest.approx(-(10 * 25.6 + 5 * 8.8))
    h = eco.hiring(3, 4000.0, 4000.0, months_paid=10, lead_months=4, shortfall_cost=500.0)
    assert h.cost == pytest.approx(3 * 4000 + 3 * 4000 * 10 + 500)
    assert set(h.parts) == {"recruiting", "wages from month 4 on", "demand still short"}


def test_explain_reads_as_signed_money():
    assert eco.overtime(100.0, 25.0, 1.5).explain() == "overtime pay -3,750"


def test_reactive_hires_fire_only_on_a_lasting_backlog():
    hpw, regular = 160.0, 9600.0
    assert eco.reactive_hires([2000.0, 2000.0], regular, hpw, 0) == 7  # 2000 h / (2 months * 160 h) = 6.25
    assert eco.reactive_hires([2000.0, 900.0], regular, hpw, 0) == 0, "one bad month is not a trend"
    assert eco.reactive_hires([2000.0, 2000.0], regular, hpw, 4) == 0, "people are already on their way"
    assert eco.reactive_hires([2000.0], regular, hpw, 0) == 0
    assert eco.reactive_hires([90_000.0, 90_000.0], regular, hpw, 0) == 12, "capped"


def test_capital_charge_write_down_and_economic_profit():
    assert eco.capital_charge([120_000.0] * 12, 0.10) == pytest.approx(12_000.0)
    # 1,000 finished units against 600 expected: 400 excess at 220; material 300 all excess
    assert eco.excess_stock_value(1000, 300, 600, 220.0, 170.0) == pytest.approx(400 * 220 + 300 * 170)
    # 200 finished against 600 expected: material covers the other 400, so 100 of 500 are excess
    assert eco.excess_stock_value(200, 500, 600, 220.0, 170.0) == pytest.approx(100 * 170)
    assert eco.write_down(1000.0, 5000.0, 0.5) == pytest.approx(2000.0)
    assert eco.economic_profit(1_000_000.0, 50_000.0, 20_000.0) == pytest.approx(930_000.0)


def test_summary_economic_profit_adds_up_from_the_period_records():
    r = sop_sim.run("baseline", seed=2, months=12)
    s, p = r.summary, r.periods
    assert s["capital_charge"] == pytest.approx((p.finished_goods_value + p.material_value).sum() * 0.10 / 12)
    assert s["economic_profit"] == pytest.approx(s["margin"] - s["capital_charge"] - s["stock_write_down"])
    assert list(s.index[:1]) == ["economic_profit"], "economic profit leads the summary"


def test_inventory_counts_materials_and_finished_goods():
    r = sop_sim.run("baseline", seed=2, months=12)
    p = r.periods
    assert (p.inventory_value == p.finished_goods_value + p.material_value).all()
    months = p.month.nunique()
    assert r.summary["inventory_value"] == pytest.approx(p.inventory_value.sum() / months)
    assert p.material_value.sum() > 0


def test_excess_stock_is_written_down():
    # a shorter cover window and a full write-down make the pre-built spring stock excess
    sc = sop_sim.PRESETS["baseline"]
    co = dataclasses.replace(sc.company, excess_cover_months=1, excess_write_down=1.0)
    r = sop_sim.run(dataclasses.replace(sc, company=co), seed=0, months=12)
    p = r.periods
    last = p[p.month == p.month.max()]
    first = p[p.month == 0]
    assert r.summary["stock_write_down"] == pytest.approx(last.excess_provision_end.sum()
                                                          - first.excess_provision_begin.sum())


@pytest.mark.parametrize("field,value", [("cost_of_capital", 1.5), ("excess_cover_months", 0),
                                         ("excess_write_down", -0.1)])
def test_economic_parameters_are_validated(field, value):
    with pytest.raises(ScenarioError, match=f"company.{field}"):
        dataclasses.replace(sop_sim.default_company(), **{field: value})


def test_reactive_hires_are_charged():
    r = sop_sim.run("skip_supply_review", seed=1)
    pl = r.plant
    arrived = int(pl.hires_arrived.sum())
    started = int(pl.hires_started.sum())
    assert started >= arrived, "every worker who arrived was recruited, and charged, in some month"
    assert pl.hiring_cost.sum() == pytest.approx(started * (4000.0 + 2 * 160 * 25.0)), "recruiting + training wages"


def test_demand_shortfall_ships_late_then_loses():
    # opening backlog of 10; supply 100 then 0; demand 50 a month
    s = eco.demand_shortfall([[50.0], [50.0], [50.0]], [-10.0], [[100.0], [0.0], [0.0]], [2.0], [30.0])
    assert s.late == [[10.0], [0.0], [0.0]], "the opening backlog ships late first"
    assert s.backordered == [[0.0], [10.0], [50.0]], "40 left after month 0; 10 short in month 1; 50 in month 2"
    assert s.lost == [[0.0], [0.0], [10.0]], "month 1's backorders find no stock in month 2"
    # late: 10 (month 0) + 50 still waiting at the end, at 2; lost: 10 at 30
    assert s.cost == pytest.approx(10 * 2 + 50 * 2 + 10 * 30)
    assert eco.shortfall_rates([320.0], [170.0], 0.08) == ([pytest.approx(25.6)], [150.0])


def test_safety_stock_not_built_is_not_a_shortfall():
    s = eco.demand_shortfall([[50.0], [50.0]], [0.0], [[50.0], [50.0]])
    assert s.cost == 0 and s.backordered == [[0.0], [0.0]]


def test_finance_raises_a_promotion_only_when_it_pays():
    sc = sop_sim.PRESETS["baseline"]
    default = sop_sim.run(sc, seed=0, months=12)
    assert (default.decisions.kind != "aop_gap").all(), "with the default margins a promotion loses money"
    rich = dataclasses.replace(sc.company, families=tuple(
        dataclasses.replace(f, price=f.price * 2.5) if f.id == "blowers" else f for f in sc.company.families))
    r = sop_sim.run(dataclasses.replace(sc, company=rich), seed=0, months=12)
    gap = r.decisions[r.decisions.kind == "aop_gap"]
    assert len(gap) and (gap.recommendation == "promote").all(), "a promotion that pays is proposed"
    lines = [d for ds in r.minutes.query("step == 'pre_sop'").decisions for d in ds if "adds" in d]
    assert lines and "discount on the base volume" in lines[0], "the minutes show how it was priced"
