"""EngagementSweep and RaciExplorer driven without a browser."""

from __future__ import annotations

import pytest

from sop_sim.experiment import sweep
from sop_sim.knowledge import load_kb
from sop_sim.ui.raci import RaciExplorer
from sop_sim.ui.sweep import EngagementSweep
from sop_sim.ui.tables import fmt_value


def test_sweep_shows_the_experiment_modules_numbers() -> None:
    s = EngagementSweep(points=3, reps=2, seed=4)
    assert s.values() == [0.0, 0.5, 1.0], "three levels should be 0, 0.5 and 1"
    expected = sweep("baseline", "executive_engagement", [0.0, 0.5, 1.0], reps=2, seed=4,
                     progress=False).by_value("fill_rate")
    got = s.summary()
    assert got["mean"].to_numpy() == pytest.approx(expected["mean"].to_numpy()), \
        "the widget should show exactly what sop_sim.experiment.sweep computes"
    assert fmt_value(expected["mean"].iloc[0], "share") in s.table.value, "the table should show the means"
    assert list(s.band.mean.y) == pytest.approx(list(expected["mean"])), "the plot's line is the sweep's means"
    comparison, figure, marks = s.comparison, s.band.figure, (s.band.mean, s.band.band)
    s.kpi.value = "total_cost"
    assert s.comparison is comparison, "changing the KPI should redraw, not run again"
    assert "Total cost" in s.table.value, "the table should switch to the chosen KPI"
    cost = s.summary()
    assert s.band.figure is figure and (s.band.mean, s.band.band) == marks, "the plot is updated in place"
    assert list(s.band.mean.y) == pytest.approx(list(cost["mean"])), "the line shows the chosen KPI's means"
    assert list(s.band.band.y[0]) == pytest.approx(list(cost["ci_low"])), "the band starts at the interval's low end"
    assert s.band.figure.title.startswith("Total cost") and "dollars" in s.band.y_axis.label, \
        "the title and the y axis name the chosen KPI and its unit"
    s.reps.value = 3
    s.run_button.click()
    assert s.comparison is not comparison and s.comparison.reps == 3, "Run should run again with the new settings"


def test_sweep_waits_for_run_when_asked() -> None:
    s = EngagementSweep(run=False)
    assert s.comparison is None and len(s.band.mean.y) == 0, "nothing should run or be drawn before Run is pressed"
    with pytest.raises(RuntimeError, match="press Run"):
        s.summary()


def test_raci_role_and_artefact_details() -> None:
    kb = load_kb()
    r = RaciExplorer()
    assert kb.responsibilities("process_owner")[0].replace("&", "&amp;") in r.detail.value, \
        "the process owner's responsibilities should show first"
    r.artefacts.value = "demand_plan"
    assert r.selected == ("artefact", "demand_plan") and r.roles.value is None, "an artefact click replaces the role"
    for owner in kb.owners("demand_plan"):
        assert kb.name(owner) in r.detail.value, f"{owner} owns the demand plan and should be listed"
    r.roles.value = "finance"
    assert r.selected == ("role", "finance") and r.artefacts.value is None, "a role click replaces the artefact"
    assert "background:#fff3cd;font-weight:bold\"><th style='text-align:left'>Finance" in r.matrix.value, \
        "the chosen role's row should be highlighted in the matrix"
