"""ScenarioExplorer driven without a browser: set control values, read what is shown."""

from __future__ import annotations

import re

import pytest

import sop_sim
from sop_sim.metrics import KPIS
from sop_sim.ui._view import check_fields
from sop_sim.ui.explorer import ScenarioExplorer
from sop_sim.ui.tables import fmt_value


def _row(html: str, label: str) -> list[str]:
    """Cells of the KPI table row whose header is ``label``."""
    m = re.search(rf"<th[^>]*>{re.escape(label)}</th>(.*?)</tr>", html)
    assert m, f"expected a row labelled {label!r} in the KPI table"
    return re.findall(r"<td>(.*?)</td>", m.group(1))


@pytest.fixture(scope="module")
def explorer() -> ScenarioExplorer:
    return ScenarioExplorer(seed=3, month=6)


def test_starts_identical_to_the_reference(explorer: ScenarioExplorer) -> None:
    frame = explorer.kpi_frame()
    assert (frame["verdict"] == "same").all(), "baseline against baseline should show no difference at all"
    assert explorer.result is explorer.reference, "an unchanged baseline should reuse the cached reference run"


def test_unticking_supply_review_changes_table_and_plan_adherence(explorer: ScenarioExplorer) -> None:
    before_table = explorer.kpis.value
    before_backlog = explorer.panel.lines["backorders"].y.copy()
    reference = explorer.reference
    explorer.steps["supply_review"].value = False
    try:
        assert explorer.kpis.value != before_table, "unticking the supply review should change the KPI table"
        expected = sop_sim.run("baseline", seed=3, skip_steps=frozenset({"supply_review"})).summary
        cells = _row(explorer.kpis.value, KPIS["plan_adherence"].label)
        assert cells[1] == fmt_value(expected["plan_adherence"], "share"), \
            f"plan adherence shown {cells[1]!r}, the model says {expected['plan_adherence']:.1%}"
        assert explorer.kpi_frame().loc["fill_rate", "scenario"] == pytest.approx(expected["fill_rate"]), \
            "the explorer's run should equal sop_sim.run with the same lever and seed"
        assert explorer.reference is reference, "a lever change should re-run only the variant, not the reference"
        assert (explorer.panel.lines["backorders"].y != before_backlog).any(), "the plots should show the new run"
        assert "Supply review" in explorer.minutes.value and "skipped by design" in explorer.minutes.value, \
            "the minutes should show the supply review as skipped"
    finally:
        explorer.steps["supply_review"].value = True
    assert explorer.kpis.value == before_table, "ticking the step again should bring the identical table back"


def test_choosing_a_month_shows_its_minutes(explorer: ScenarioExplorer) -> None:
    explorer.month.value = 10
    minutes = explorer.result.minutes
    decision = minutes[(minutes["month"] == 10) & (minutes["step"] == "demand_review")]["decisions"].iloc[0][0]
    assert "Minutes of Nov Y1" in explorer.minutes.value, "the minutes header should name the chosen month"
    assert decision.split(",")[0] in explorer.minutes.value.replace("&amp;", "&"), \
        f"month 10's demand review decision {decision!r} should be shown"


def test_preset_loads_its_levers_and_marks_absences() -> None:
    ex = ScenarioExplorer(preset="disengaged_executive", seed=1, month=5)
    assert ex.fields["executive_engagement"].value == 0.25, "the preset's engagement should move the slider"
    expected = sop_sim.run("disengaged_executive", seed=1).summary
    assert ex.kpi_frame().loc["open_escalations", "scenario"] == pytest.approx(expected["open_escalations"]), \
        "the KPI table should show the preset's own run"
    absent = ex.result.minutes.query("month == 5")["absent"].map(len).sum()
    assert absent > 0, "this seed and month were chosen because someone is absent"
    assert "absent:" in ex.minutes.value, "absent roles should be marked in the minutes"
    ex.preset.value = "baseline"
    assert ex.fields["executive_engagement"].value == 1.0, "going back to baseline should reset the slider"
    assert (ex.kpi_frame()["verdict"] == "same").all(), "back on baseline the table should show no change"


def test_silos_show_several_sets_of_numbers() -> None:
    ex = ScenarioExplorer(seed=0, month=4)
    ex.fields["silos"].value = True
    sets = int(ex.result.numbers.loc[4, "sets_of_numbers"])
    assert sets > 1, "with silos the functions should work from different plans"
    assert f"({sets} sets of numbers)" in ex.minutes.value, "the plans in use should be listed with their count"
    assert ex.kpi_frame().loc["sets_of_numbers", "verdict"] == "worse", "more sets of numbers should read as worse"


def test_seed_change_reruns_both_runs() -> None:
    ex = ScenarioExplorer(seed=0)
    first = ex.reference
    ex.seed.value = 7
    assert ex.reference is not first and ex.reference.seed == 7, "a new seed needs a new reference run"
    assert ex.result.seed == 7, "the variant should run on the new seed too"


def test_widget_fields_are_checked_against_the_scenario() -> None:
    assert check_fields(["silos", "data_quality"]) == ("silos", "data_quality")
    with pytest.raises(ValueError, match="not a Scenario field"):
        check_fields(["executive_mood"])
