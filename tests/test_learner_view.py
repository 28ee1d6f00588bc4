"""What a learner reads in the widgets, tables and plots: full text, calendar months, no developer strings."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import sop_sim
from sop_sim import plotting
from sop_sim.fva import fva_table
from sop_sim.ui.raci import RaciExplorer
from sop_sim.ui.sweep import clip_interval
from sop_sim.ui.tables import escalation_log, fva_view, minutes_html, minutes_table, show_table
from sop_sim.ui.walkthrough import CycleWalkthrough

DEVELOPER = re.compile(r"<\w+ [^>]*object at|PosixPath|\bnan\b|NaN|-0\.0+\b|\d\.\d+e[+-]\d+|\.\.\.")


@pytest.fixture(scope="module")
def disengaged() -> sop_sim.Result:
    return sop_sim.run("disengaged_executive", seed=0)


def test_ticks_have_thousands_separators_and_no_negative_zero() -> None:
    units, share = plotting._fmt("units"), plotting._fmt("share")
    assert units(2500) == "2,500", "2,500 should not read as 2k"
    assert units(-0.0) == "0" and units(1e-12) == "0" and share(0.0) == "0%"
    assert units(1_200_000) == "1.2M" and share(0.95) == "95%"


def test_plots_are_projector_grade() -> None:
    r = sop_sim.run("baseline", seed=0)
    fig = plotting.timeseries_compare({"baseline": r.kpis_by_month()}, highlight="baseline")
    assert fig.dpi >= 100 and fig.get_figwidth() >= 10, "a projector needs a large, sharp figure"
    texts = [t for ax in fig.axes for t in (*ax.get_xticklabels(), *ax.get_yticklabels(), ax.title, ax.yaxis.label)
             if t.get_text()]
    assert min(t.get_fontsize() for t in texts) >= 11, "no text under 11 pt"
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[-1].get_xticklabels() if t.get_text()]
    assert ticks and all(re.fullmatch(r"[A-Z][a-z]{2} Y\d", t) for t in ticks), f"calendar months expected: {ticks}"
    assert all(ax.yaxis.label.get_text() for ax in fig.axes if ax.get_visible()), "every y axis names its unit"


def test_tables_show_every_character(disengaged: sop_sim.Result) -> None:
    long = "x " * 80
    table = show_table(pd.DataFrame({"text": [long.strip()], "n": [2500.0], "z": [-0.0]}))
    assert long.strip() in repr(table) and long.strip() in table._repr_html_(), "nothing is cut with ..."
    assert "2,500" in repr(table) and "-0" not in repr(table)
    assert "min-width:16em" in table._repr_html_(), "long text keeps a readable width and scrolls sideways"
    text = repr(minutes_table(disengaged, 5))
    assert text.startswith("Minutes of Jun Y1") and not DEVELOPER.search(text), text


def test_minutes_name_calendar_months_and_no_ids(disengaged: sop_sim.Result) -> None:
    page = minutes_html(disengaged, 8)
    assert "Minutes of Sep Y1" in page and "overflow-x:auto" in page
    log = escalation_log(disengaged)
    assert list(log.columns) == ["raised in", "about", "outcome", "days waited"]
    assert not DEVELOPER.search(log.to_string()) and not log.to_string().count(" I1 "), "no NaN, no ids"
    assert log["raised in"].str.fullmatch(r"[A-Z][a-z]{2} Y\d").all()


def test_fva_view_reads_in_points() -> None:
    view = fva_view(fva_table(sop_sim.run("baseline", seed=0)))
    text = view.to_string()
    assert "%" in text and "-0.000" not in text and "(starting point)" in text and "points" in text


def test_count_interval_is_clipped_at_zero() -> None:
    frame = pd.DataFrame({"mean": [0.6], "ci_low": [-0.03], "ci_high": [1.23]})
    assert clip_interval("open_escalations", frame)["ci_low"].iloc[0] == 0.0
    assert clip_interval("fill_rate", frame)["ci_high"].iloc[0] == 1.0
    assert clip_interval("forecast_bias", frame)["ci_low"].iloc[0] == -0.03, "a bias may be negative"


def test_raci_sections_are_separate_blocks() -> None:
    r = RaciExplorer()
    r.artefacts.value = "authorized_plan"
    assert re.search(r"<b>Approved by</b>(<ul|<p)", r.detail.value), "a heading and its list must not run together"
    r.artefacts.value = "data_baseline"
    assert re.search(r"<b>Approved by</b><p[^>]*><i>none</i></p>", r.detail.value), "'none' on a line of its own"


def test_walkthrough_counts_calendar_months_and_lists_the_data() -> None:
    w = CycleWalkthrough("baseline", seed=0, month=3)
    assert "Apr Y1, meeting 1 of 5" in w.header.value
    assert "actual orders" in w.details.value, "data gathering reads last month's actuals, not only the action log"
    assert w.month.label == "Apr Y1", "the month slider shows calendar months"
    assert "Apr Y1" in w.output_table.value or "May Y1" in w.output_table.value


def test_raci_shows_doctrine_and_labels_practice() -> None:
    r = RaciExplorer()
    assert "as the S&amp;OP reference describes it" in r.matrix.value and "takes part" in r.matrix.value
    assert "attends" not in r.matrix.value, "by default the matrix shows the reference, not the company's invitations"
    r.practice.value = True
    assert "attends" in r.matrix.value and "practice" in r.matrix.value, "practice is shown on request, labelled"
    r.artefacts.value = "material_plan"
    assert "own document, not a standard S&amp;OP plan" in r.detail.value, "a company document is labelled as practice"
