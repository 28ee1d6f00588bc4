"""Result's monthly KPI frame agrees with the books it is summed from."""

import pandas as pd
import pytest

import sop_sim


@pytest.mark.parametrize("preset", ["baseline", "no_sop", "silos"])
def test_kpis_by_month_equals_the_books_grouped_by_month(preset):
    r = sop_sim.run(preset, seed=2)
    p = r.periods.groupby("month").sum(numeric_only=True)
    costs = ["material_cost", "outsourcing_cost", "expediting_cost", "late_freight_cost", "holding_cost"]
    want = pd.DataFrame({
        "fill_rate": p["filled_from_stock"] / p["orders"].where(p["orders"] > 0),
        "backorders": p["backlog"],
        "inventory_value": p["inventory_value"],
        "total_cost": p[costs].sum(axis=1) + r.plant[["labour_cost", "overtime_cost", "hiring_cost"]].sum(axis=1),
        "revenue": p["revenue"],
        "sets_of_numbers": r.numbers["sets_of_numbers"],
    })
    pd.testing.assert_frame_equal(r.kpis_by_month(), want, rtol=1e-12)
    assert r.kpis_by_month() is not r.kpis_by_month(), "each call gives a frame the caller may change"
