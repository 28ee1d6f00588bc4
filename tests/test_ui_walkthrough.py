"""CycleWalkthrough driven without a browser: click Next/Back, read the meeting shown."""

from __future__ import annotations

import pytest

from sop_sim.config import STEP_IDS
from sop_sim.knowledge import load_kb
from sop_sim.ui.walkthrough import CycleWalkthrough, plan_table


@pytest.fixture(scope="module")
def walk() -> CycleWalkthrough:
    return CycleWalkthrough("baseline", seed=2, month=4)


def test_next_and_back_follow_the_cycle_order(walk: CycleWalkthrough) -> None:
    kb = load_kb()
    walk.go(0)
    assert walk.back.disabled, "Back should be disabled on the first meeting"
    seen = []
    for _ in STEP_IDS:
        seen.append(walk.step)
        assert kb.name(walk.step).replace("&", "&amp;") in walk.header.value, "the header should name the meeting"
        walk.next.click()
    assert tuple(seen) == STEP_IDS, f"Next should visit the steps in cycle order, got {seen}"
    assert walk.next.disabled and walk.step == "executive_sop", "Next should stop at the executive meeting"
    walk.back.click()
    assert walk.step == "pre_sop", "Back should return to the pre-S&OP meeting"


def test_each_meeting_shows_its_key_output(walk: CycleWalkthrough) -> None:
    walk.go(1)
    assert "Consensus demand plan made in May Y1" in walk.output_table.value, \
        "after the demand review the consensus demand plan should be on show"
    walk.go(4)
    assert "Authorized plan made in May Y1" in walk.output_table.value, \
        "after the executive meeting the authorized plan should be on show"
    figure, bars = walk.waterfall.figure, walk.waterfall.bars
    assert walk.fva.layout.display != "none" and len(bars.y) == 4, \
        "the forecast-value-added waterfall should be drawn: naive, statistical, sales input, consensus"
    assert list(walk.waterfall.values.text)[0].endswith("%"), "each bar is labelled with its error"
    walk.go(0)
    assert walk.waterfall.figure is figure and walk.waterfall.bars is bars, "Back updates the same plot in place"
    assert len(bars.y) == 2, "after data gathering only the naive and statistical forecasts exist"


def test_month_change_restarts_at_the_first_meeting(walk: CycleWalkthrough) -> None:
    walk.go(3)
    walk.month.value = 9
    assert walk.position == 0 and "Oct Y1" in walk.header.value, "a new month starts at data gathering"


def test_skipped_step_is_reported_and_plan_falls_back() -> None:
    w = CycleWalkthrough("skip_demand_review", seed=0, month=3)
    w.next.click()
    assert w.step == "demand_review" and "skipped by design" in w.details.value, \
        "the skipped demand review should say so"
    assert "Statistical forecast made in Apr Y1" in w.output_table.value, \
        "without a demand review the latest plan is the statistical forecast"


def test_plan_table_totals_and_values(walk: CycleWalkthrough) -> None:
    t = plan_table(walk.result, 4, "authorized", months=3)
    assert list(t.index)[-1] == "total" and len(t.columns) == 4, "three month columns, a value column, a total row"
    assert t.loc["total"].sum() == pytest.approx(t.drop(index="total").sum().sum(), abs=4), \
        "the total row should add up the families"
    assert plan_table(walk.result, 4, "no_such_version").empty, "an unknown version gives an empty table"
