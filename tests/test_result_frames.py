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


def test_one_months_rows_match_the_frames():
    r = sop_sim.run("disengaged_executive", seed=4)
    for month in (0, 7, 35):
        rows = r.minutes_of(month)
        frame = r.minutes[r.minutes["month"] == month]
        assert [row["step"] for row in rows] == list(frame["step"])
        assert r.numbers_of(month) == {"month": month, **r.numbers.loc[month].to_dict()}
    assert r.minutes_of(99) == [] and r.numbers_of(99) is None
    first = r.decisions.iloc[0]
    assert r.escalation(first["id"])["summary"] == first["summary"]
    assert r.escalation("no such issue") is None
