"""Forecast value added (model side), the plotting helpers and the UI tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import sop_sim
from sop_sim import plotdata, plotting
from sop_sim.fva import VERSIONS, fva_table
from sop_sim.ui.tables import (
    fmt_value,
    format_comparison,
    kpi_comparison,
    kpi_summary,
    minutes_frame,
    verdict,
)


@pytest.fixture(scope="module")
def base() -> sop_sim.Result:
    return sop_sim.run("baseline", seed=1)


@pytest.fixture(scope="module")
def no_supply() -> sop_sim.Result:
    return sop_sim.run("skip_supply_review", seed=1)


def test_fva_table_matches_a_hand_computation(base: sop_sim.Result) -> None:
    t = fva_table(base, cycle=5)
    assert tuple(t.index) == VERSIONS, "a full cycle gives the whole stairstep, naive first"
    p = base.plans.query("cycle == 5 and version == 'consensus'")
    orders = base.periods.set_index(["month", "family"])["orders"]
    common = p[p["month"].isin(base.periods["month"]) & (p["month"] >= 6)]  # the months after the cycle
    act = orders.reindex(pd.MultiIndex.from_frame(common[["month", "family"]])).to_numpy(float)
    wape = np.abs(common["units"].to_numpy() - act).sum() / act.sum()
    assert t.loc["consensus", "wape"] == pytest.approx(wape), "consensus WAPE should be sum|plan - orders| / orders"
    assert t["fva"].iloc[0] == 0.0, "the first version has no step before it"
    assert t.loc["sales_input", "fva"] == pytest.approx(t.loc["statistical", "wape"] - t.loc["sales_input", "wape"]), \
        "FVA is the error removed by the step"
    assert (t["actual"] == t["actual"].iloc[0]).all(), "every version is judged on the same months"


def test_fva_leaves_out_skipped_steps(base: sop_sim.Result) -> None:
    r = sop_sim.run("skip_demand_review", seed=1, months=12)
    assert "consensus" not in fva_table(r).index, "no demand review, no consensus plan to judge"
    assert "consensus" in fva_table(base).index, "the baseline judges the consensus plan"


@pytest.mark.parametrize("kwargs", [{"lag": 0}, {"lag": 40}, {"cycle": -1}, {"cycle": 999}])
def test_fva_rejects_bad_arguments(base: sop_sim.Result, kwargs: dict) -> None:
    with pytest.raises(ValueError, match="is invalid: allowed"):
        fva_table(base, **kwargs)


def test_plot_helpers_return_figures(base: sop_sim.Result, no_supply: sop_sim.Result) -> None:
    frames = {"baseline": base.kpis_by_month(), "variant": no_supply.kpis_by_month()}
    fig = plotting.timeseries_compare(frames, highlight="variant")
    assert isinstance(fig, Figure) and len([a for a in fig.axes if a.get_visible()]) == 4, "four panels expected"
    assert len(fig.axes[0].lines) == 2, "one line per run in each panel"
    wf = plotting.fva_waterfall(fva_table(base))
    assert len(wf.axes[0].patches) == 4, "one bar per step of the stairstep (naive, statistical, sales, consensus)"
    s = pd.DataFrame({"x": [0, 0.5, 1], "mean": [1, 2, 3], "low": [0, 1, 2], "high": [2, 3, 4]})
    assert isinstance(plotting.band(s, "x", unit="share"), Figure)
    assert isinstance(plotting.kpi_bars(pd.Series({"a": 1.0, "b": 2.0})), Figure)
    assert plotting.to_png(wf)[:4] == b"\x89PNG", "to_png should give PNG bytes"


def test_forest_plot_draws_one_interval_per_scenario() -> None:
    idx = pd.MultiIndex.from_tuples([("a", "fill_rate"), ("b", "fill_rate")], names=["scenario", "kpi"])
    d = pd.DataFrame({"diff": [0.1, -0.2], "ci_low": [0.05, -0.3], "ci_high": [0.15, -0.1],
                      "verdict": ["better", "worse"]}, index=idx)
    fig = plotting.forest(d, ["fill_rate"])
    assert len(fig.axes[0].lines) == 5, "two intervals, two points and the zero line"


def test_comparison_verdicts_follow_kpi_direction(base: sop_sim.Result, no_supply: sop_sim.Result) -> None:
    assert verdict("fill_rate", 0.9, 0.8) == "worse" and verdict("total_cost", 10, 8) == "better"
    assert verdict("forecast_bias", 0.0, 0.1) == "higher", "a KPI with no direction reads higher/lower"
    assert verdict("fill_rate", 0.9, 0.9) == "same"
    frame = kpi_comparison(base, no_supply)
    assert frame.loc["fill_rate", "scenario"] == no_supply.summary["fill_rate"], "values come from Result.summary"
    text = format_comparison(frame, "baseline", "no supply review")
    assert text.loc["Fill rate", "no supply review"] == fmt_value(no_supply.summary["fill_rate"], "share")
    assert list(kpi_summary({"a": base}, ["fill_rate"]).index) == ["Fill rate"], "rows are labelled from KPIS"


def test_minutes_frame_marks_what_went_wrong(no_supply: sop_sim.Result) -> None:
    m = minutes_frame(no_supply, 3)
    row = m[m["step"] == "Supply review"].iloc[0]
    assert "skipped by design" in row["problems"], "a skipped meeting should be listed as a problem"
    assert fmt_value(4.44, "days") == "4.4 days" and fmt_value(float("nan"), "share") == "n/a"


def test_timeseries_panels_carry_the_runs_series_and_limits(base: sop_sim.Result, no_supply: sop_sim.Result) -> None:
    a, b = base.kpis_by_month(), no_supply.kpis_by_month()
    panels = plotdata.timeseries_panels({"baseline": a, "variant": b})
    assert [p.column for p in panels] == list(plotdata.TIMESERIES), "one panel per column, in order"
    backlog = panels[3]
    assert list(backlog.series) == ["baseline", "variant"], "one series per run, in the order given"
    assert list(backlog.series["variant"][1]) == list(b["backorders"]), "the series are the frame's column"
    assert backlog.title == "Backorders" and backlog.caption == "units", "labels and units come from KPIS"
    lo, hi = backlog.y_range()
    assert lo == 0 and hi >= b["backorders"].max(), "a units axis starts at zero and fits the data"
    assert panels[0].y_range()[1] <= 1.005, "a share axis stops just past 100%"
    assert plotdata.axis_range(0.999, 1.001, "share") == pytest.approx((0.801, 1.005)), "a flat share gets a 20-point band"
    ticks = plotdata.axis_ticks(0.0, 1.005, "share")
    assert ticks[1.0] == "100%" and all(0 <= v <= 1.005 for v in ticks), "share ticks read as percentages"
    assert plotdata.month_ticks(36)[6] == "Jul Y1" and plotdata.month_ticks(12)[3] == "Apr Y1", \
        "month ticks are calendar months, every half-year over 18 months, every quarter up to 18"


def test_money_ticks_on_one_axis_share_one_style():
    from sop_sim.plotdata import axis_ticks, unit_caption

    assert list(axis_ticks(0, 1.8e6, "money").values()) == ["0", "0.5M", "1M", "1.5M"]
    assert list(axis_ticks(0, 160_000, "money").values()) == ["0", "50,000", "100,000", "150,000"]
    assert unit_caption("money") == "dollars"
