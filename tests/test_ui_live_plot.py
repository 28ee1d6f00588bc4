"""The browser plots (sop_sim.ui.live_plot) update in place: new data on the same marks, no new figure."""

from __future__ import annotations

import bqplot as bq
import ipywidgets as widgets
import numpy as np
import pytest

import sop_sim
from sop_sim.plotdata import REFERENCE_COLOUR, SCENARIO_COLOUR, TIMESERIES
from sop_sim.ui.explorer import ScenarioExplorer
from sop_sim.ui.live_plot import LiveTimeseries, js_ticks, set_ticks, steady_range


@pytest.fixture(scope="module")
def frames() -> tuple:
    return (sop_sim.run("baseline", seed=2).kpis_by_month(),
            sop_sim.run("baseline", seed=2, skip_steps=frozenset({"supply_review"})).kpis_by_month())


def _tree(w: widgets.Widget) -> list[widgets.Widget]:
    """Every widget under ``w`` (children, and a figure's marks, axes and scales)."""
    out = [w]
    for child in getattr(w, "children", ()):
        out += _tree(child)
    return out


def test_update_sets_the_marks_data_without_a_new_figure(frames: tuple) -> None:
    a, b = frames
    plot = LiveTimeseries(("baseline", "this scenario"), highlight="this scenario", months=36)
    figures, lines, tree = list(plot.figures), dict(plot.lines), _tree(plot.widget)
    plot.update({"baseline": a, "this scenario": a})
    plot.update({"baseline": a, "this scenario": b})
    assert plot.figures == figures and all(x is y for x, y in zip(plot.figures, figures, strict=True)), \
        "an update should keep the same figures"
    assert all(plot.lines[c] is lines[c] for c in TIMESERIES), "an update should keep the same marks"
    assert _tree(plot.widget) == tree, "an update should add or replace no widget"
    assert not any(isinstance(w, widgets.Output) for w in tree), "nothing is shown as a picture in an Output"
    backlog = plot.lines["backorders"]
    assert np.array_equal(backlog.y[1], b["backorders"].to_numpy(dtype=float)), "the scenario's line carries the new run"
    assert np.array_equal(backlog.y[0], a["backorders"].to_numpy(dtype=float)), "the reference line is the reference"
    assert list(backlog.colors) == [REFERENCE_COLOUR, SCENARIO_COLOUR], "reference grey, scenario red"
    assert plot.y_scales["backorders"].max >= b["backorders"].max(), "the y axis rescales to the new data"
    assert plot.y_scales["backorders"].min == 0, "a units axis starts at zero"
    assert plot.y_scales["fill_rate"].max <= 1.005, "a share axis stops just past 100%"


def test_panels_are_labelled_for_learners(frames: tuple) -> None:
    plot = LiveTimeseries(("baseline", "this scenario"), highlight="this scenario", months=36)
    plot.update({"baseline": frames[0], "this scenario": frames[1]})
    titles = [f.title for f in plot.figures]
    assert titles == ["Fill rate", "Inventory value", "Total cost", "Backorders"], "panels titled by KPI label"
    assert [plot.y_axes[c].label for c in TIMESERIES] == ["%", "dollars", "dollars", "units"], "y axes name the unit"
    months = plot.x_axes[0].tick_labels
    assert months["0"] == "Jan Y1" and months["6"] == "Jul Y1", "the x axis shows calendar months"
    shares = plot.y_axes["fill_rate"].tick_labels
    assert shares and all(t.endswith("%") for t in shares.values()), f"share ticks read as percentages: {shares}"
    assert "this scenario" in plot.legend.value and "baseline" in plot.legend.value, "the legend names both runs"
    assert isinstance(plot.figures[0], bq.Figure)


def test_tick_labels_are_keyed_as_the_browser_prints_numbers() -> None:
    values, labels = js_ticks({0.0: "0", 3.0: "Apr Y1", 0.25: "25%"})
    assert list(values) == [0.0, 3.0, 0.25] and labels == {"0": "0", "3": "Apr Y1", "0.25": "25%"}


def test_explorer_change_updates_the_same_plot_in_place() -> None:
    ex = ScenarioExplorer(seed=1)
    plot, figures = ex.plot, list(ex.panel.figures)
    before = ex.panel.lines["total_cost"].y.copy()
    ex.steps["supply_review"].value = False
    assert ex.plot is plot and all(x is y for x, y in zip(ex.panel.figures, figures, strict=True)), \
        "a lever change should update the figures on show, not build new ones"
    after = ex.panel.lines["total_cost"].y
    assert np.array_equal(after[0], before[0]) and not np.array_equal(after[1], before[1]), \
        "only the scenario's line should change when the reference stays"
    expected = ex.result.kpis_by_month()["total_cost"].to_numpy(dtype=float)
    assert np.array_equal(after[1], expected), "the plot shows the run's own monthly KPIs"


def test_the_axis_stays_while_the_new_lines_fill_it() -> None:
    assert steady_range((None, None), (0.0, 3.0)) == (0.0, 3.0), "the first update sets the limits"
    assert steady_range((0.0, 4.0), (0.0, 3.0)) == (0.0, 4.0), "lines that still fill the axis keep it"
    assert steady_range((0.0, 4.0), (0.0, 1.0)) == (0.0, 1.0), "much smaller lines get their own axis"
    assert steady_range((0.0, 4.0), (0.0, 6.0)) == (0.0, 6.0), "lines beyond the axis widen it"


def test_an_axis_keeps_the_labels_it_has_shown() -> None:
    axis = bq.Axis(scale=bq.LinearScale())
    set_ticks(axis, {0.0: "0", 500.0: "500"})
    set_ticks(axis, {0.0: "0", 2000.0: "2,000"})
    labels = dict(axis.tick_labels)
    set_ticks(axis, {0.0: "0", 500.0: "500"})
    assert list(axis.tick_values) == [0.0, 500.0], "the axis shows the ticks asked for"
    assert axis.tick_labels == labels == {"0": "0", "500": "500", "2000": "2,000"}, \
        "going back to limits already shown needs no new labels"
    set_ticks(axis, {0.0: "0%", 0.5: "50%"})
    assert axis.tick_labels["0"] == "0%" and axis.tick_labels["0.5"] == "50%", "a changed label is replaced"
