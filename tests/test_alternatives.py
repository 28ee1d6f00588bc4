"""The supply review prices level, chase and hybrid plans with the aggregate planner."""

import sop_sim


def test_every_held_supply_review_prices_three_strategies():
    r = sop_sim.run("baseline", seed=2, months=12)
    held = r.minutes.query("step == 'supply_review' and held")
    alt = r.alternatives
    assert len(alt) == 3 * len(held), "three strategies per supply review held"
    assert set(alt.strategy) == {"level", "chase", "hybrid"}
    priced = alt[alt.strategy != "hybrid"]
    assert priced.total_cost.notna().all() and (priced.total_cost > 0).all(), "level and chase always get a price"
    unpriced = alt[alt.total_cost.isna()]
    assert (unpriced.note.str.len() > 0).all(), "an infeasible hybrid says why"
    level = alt[alt.strategy == "level"]
    assert (level.fired + level.hired >= 0).all()
    assert held.decisions.map(lambda d: any("level, chase and hybrid" in x for x in d)).all(), \
        "the minutes should say operations compared the strategies"


def test_no_supply_review_no_alternatives():
    r = sop_sim.run("skip_supply_review", seed=2, months=6)
    assert r.alternatives.empty, "nobody prices alternatives when the supply review is skipped"
