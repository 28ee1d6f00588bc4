"""The supply review prices level, chase, hybrid and optimal plans with the aggregate planner."""

import math

import sop_sim
from sop_sim.planning.alternatives import price_alternatives


def test_every_held_supply_review_prices_four_strategies():
    r = sop_sim.run("baseline", seed=2, months=12)
    held = r.minutes.query("step == 'supply_review' and held")
    alt = r.alternatives
    assert len(alt) == 4 * len(held), "four strategies per supply review held"
    assert set(alt.strategy) == {"level", "chase", "hybrid", "optimal"}
    best = alt[alt.strategy == "optimal"].set_index("month").total_cost
    assert best.notna().all() and (best > 0).all(), "the optimum always exists (backorders are allowed)"
    others = alt[alt.strategy != "optimal"].groupby("month").total_cost.min()
    assert ((best <= others + 1e-6 * others) | others.isna()).all(), "no alternative is cheaper than the optimum"
    unpriced = alt[alt.total_cost.isna()]
    assert (unpriced.note.str.len() > 0).all(), "an infeasible alternative says why"
    assert held.decisions.map(lambda d: any("level, chase and hybrid" in x for x in d)).all(), \
        "the minutes should say operations compared the strategies"
    lead = r.scenario.company.plant.hire_lead_months - 1
    assert all(rec["hire_lead"] == lead for rec in r._r["alternatives"]), "hires work only after the lead time"
    late = alt[alt.note.str.contains("hire_lead_periods", regex=False)]
    assert late.total_cost.isna().all(), "a plan hiring before the lead time is never priced"


def test_an_alternative_the_plant_cannot_staff_in_time_is_never_priced():
    r = sop_sim.run("baseline", seed=2, months=3)
    rec = dict(r._r["alternatives"][0])
    rec["demand_hours"] = [h * 1.6 for h in rec["demand_hours"]]  # more work than today's crew can do
    now = {row["strategy"]: row for row in price_alternatives({**rec, "hire_lead": 0})}
    later = {row["strategy"]: row for row in price_alternatives({**rec, "hire_lead": 3})}
    assert not math.isnan(now["chase"]["total_cost"]), "with immediate hires the chase plan is priced"
    for strategy in ("level", "chase"):
        assert math.isnan(later[strategy]["total_cost"]), f"{strategy} hires before the lead time"
        assert "hire_lead_periods=3" in later[strategy]["note"]
    assert later["optimal"]["total_cost"] >= now["optimal"]["total_cost"], "waiting for hires costs more"


def test_no_supply_review_no_alternatives():
    r = sop_sim.run("skip_supply_review", seed=2, months=6)
    assert r.alternatives.empty, "nobody prices alternatives when the supply review is skipped"
