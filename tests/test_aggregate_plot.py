"""The side-by-side cost breakdown of aggregate plans (sop_sim.plotting.cost_breakdown_bars)."""

from __future__ import annotations

import os

import pytest

from sop_sim.planning import compare_strategies
from sop_sim.planning.aggregate import COST_TYPES
from sop_sim.plotting import cost_breakdown_bars, to_png

os.environ.setdefault("MPLBACKEND", "Agg")

JONES = dict(initial_workers=15, units_per_worker=100, hire_cost=2000, fire_cost=3000, unit_cost=100,
             carrying_cost=25, safety_stock=100)  # fmt: skip


def test_one_bar_per_plan_labelled_with_what_it_draws_and_infeasible_rows_marked() -> None:
    table = compare_strategies([1000, 2000, 4000, 3000], **JONES)  # hybrid: 15 workers cannot keep up
    drawn = [c for c in COST_TYPES if c != "production"]
    fig = cost_breakdown_bars(table, drawn, title="Jones Inc.")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["level", "chase", "hybrid", "optimal"]
    labels = [t.get_text() for t in ax.texts]
    assert labels[2] == "not feasible", labels
    level_drawn = table.loc["level", drawn].sum()
    assert labels[0] == f"${level_drawn:,.0f}", "the label is the sum of the segments drawn"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Carrying" in legend and "Overtime" not in legend, "cost types no plan uses are left out"
    assert to_png(fig).startswith(b"\x89PNG")


def test_full_costs_add_up_to_the_total() -> None:
    table = compare_strategies([1000, 2000, 4000, 3000], strategies=("level", "chase"), **JONES)
    fig = cost_breakdown_bars(table, COST_TYPES)
    assert [t.get_text() for t in fig.axes[0].texts] == ["$1,130,000", "$1,115,000"]
    widths = sum(p.get_width() for p in fig.axes[0].patches)
    assert widths == pytest.approx(1_130_000 + 1_115_000)
