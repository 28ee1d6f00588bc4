"""What the exercise notebooks show (sop_sim.exercises.views): finished tables, never developer output."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sop_sim.exercises import (
    answer_ids,
    decisions_view,
    describe_runs,
    kpi_view,
    minutes_view,
    monthly_view,
    months_view,
    numbers_view,
    runs_for,
)
from sop_sim.ui.tables import LearnerTable
from tests.nbscan import html_text, problems_in


@pytest.fixture(scope="module")
def runs():
    return runs_for("escalation")


def _clean(table: LearnerTable) -> str:
    """The table's HTML as a learner reads it, asserted free of developer strings."""
    assert isinstance(table, LearnerTable), f"expected a LearnerTable, got {type(table).__name__}"
    text = html_text(table._repr_html_())
    assert not problems_in(text), f"developer output in a learner table: {problems_in(text)}"
    return text


def test_answer_ids_pair_each_id_with_its_name():
    text = _clean(answer_ids("roles"))
    assert "executive_sponsor" in text and "Executive sponsor" in text, "ids and names should both be shown"


def test_describe_runs_shows_every_description_in_full():
    table = describe_runs("escalation")
    text = _clean(table)
    for description in table.frame["what it is"]:
        assert description in text, f"description cut: {description!r}"
    assert "Jan Y1 to Dec Y2" in text, "the months simulated should be calendar months"


def test_kpi_view_uses_labels_units_and_explains_missing_values(runs):
    base = runs["base"]
    summary = base.summary.copy()
    summary["decision_latency_days"] = math.nan
    text = _clean(kpi_view({"baseline": base, "edited": summary},
                           ["fill_rate", "total_cost", "decision_latency_days"]))
    assert "Fill rate" in text and "Total cost" in text, "KPIs should be shown by label"
    assert "$" in text and "%" in text, "values should carry their unit"
    assert "n/a (" in text, "a missing KPI should read n/a with the reason"


def test_kpi_view_accepts_a_frame_of_replicated_means(runs):
    frame = pd.DataFrame([runs["base"].summary, runs["disengaged"].summary], index=["a", "b"])
    table = kpi_view(frame, ["fill_rate"])
    assert list(table.frame.columns) == ["a", "b"], "one column per row of the frame"


def test_monthly_view_names_calendar_months(runs):
    table = monthly_view(runs["base"], runs["disengaged"], months=12)
    text = _clean(table)
    assert list(table.frame.index[:2]) == ["Jan Y1", "Feb Y1"] and len(table.frame) == 12
    assert "Fill rate: baseline" in text, "columns should name the KPI and the run"


def test_minutes_view_names_months_meetings_and_roles(runs):
    m = runs["disengaged"].minutes
    table = minutes_view(m.head(6), ["month", "step", "present", "absent", "notes"])
    text = _clean(table)
    assert "Jan Y1" in text and "Demand review" in text, "months and meetings should be named"
    assert "executive_sponsor" not in text, "roles should be shown by name"


def test_months_view_reads_missing_cells_as_n_a_with_the_reason():
    frame = pd.DataFrame({"supply": [1500.0, math.nan]}, index=[7, 8])
    table = months_view(frame, caption="plans", missing="not planned that far")
    text = _clean(table)
    assert list(table.frame.index) == ["Aug Y1", "Sep Y1"] and "n/a: not planned that far" in text


def test_decisions_view_says_what_happened_to_each_issue(runs):
    d = runs["disengaged"].decisions
    text = _clean(decisions_view(d))
    if (d["status"] == "open").any():
        assert "still open" in text, "an open issue should say so, not show an empty choice"


def test_numbers_view_names_functions(runs):
    text = _clean(numbers_view(runs["disengaged"].numbers.head(4)))
    assert "Supply chain" in text and "sets of numbers" in text


@pytest.mark.parametrize("answer", [object(), pd.DataFrame({"a": [1] * 30}), print, "x" * 200, math.nan, [1, 2],
                                    pd.Series([1.0, 2.0])], ids=["object", "frame", "function", "long text", "nan",
                                                                 "list", "series"])
def test_feedback_never_shows_developer_output(answer):
    from sop_sim.exercises import QUESTIONS, check

    for qid, q in QUESTIONS.items():
        if q.kind == "scenario":
            continue
        text = str(check(qid, answer))
        assert not problems_in(text), f"{qid}: feedback to {type(answer).__name__} shows {problems_in(text)}: {text}"
        assert len(text) < 400, f"{qid}: feedback should be one short line, got {len(text)} characters"
