"""The notebook output scan (tests/nbscan.py) catches each kind of developer string, and nothing else."""

from __future__ import annotations

import pytest

from tests.nbscan import KNOWN, problems_in, scan_cell, visible_text


@pytest.mark.parametrize(("text", "kind"), [
    ("<Result 'baseline' seed=0: fill rate 99.2%>", "object repr"),
    ("<sop_sim.game.engine.Game object at 0x7f00aa11>", "object repr"),
    ("saved to PosixPath('out/game.json')", "file path"),
    ("report written to /tmp/sop_game_1/debrief.html", "file path"),
    ("fill_rate    9.704841e-01", "scientific notation"),
    ("choice NaN", "bare NaN"),
    ("authorized     0.299   -0.000", "negative zero"),
    ("UserWarning: something", "warning"),
    ("no capacity check: the plan has not been te...", "cut text"),
    ("a\n...\nb", "cut text"),
    ("decision latency_days", "internal name"),
])
def test_each_kind_is_caught(text: str, kind: str) -> None:
    assert any(p.startswith(kind) for p in problems_in(text)), f"{text!r} should be flagged as {kind}"


@pytest.mark.parametrize("text", [
    "Fill rate 99.2%, margin 18,527,988, Apr Y1", "… Not answered yet. Replace the `...` with your answer",
    "Running 25 simulations, please wait.", "Margin and revenue", "Read more... show more", "-2.5% worse",
])
def test_finished_text_passes(text: str) -> None:
    assert problems_in(text) == [], f"{text!r} is finished text"


def test_only_what_is_shown_is_scanned() -> None:
    picture = {"output_type": "display_data", "data": {"image/png": "...", "text/plain": "<KitFigure size 9x4>"}}
    widget = {"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {},
                                                     "text/plain": "VBox(children=(HTML(value='<b>x</b>...'"}}
    table = {"output_type": "execute_result", "data": {"text/html": "<table><td>NaN</td></table>",
                                                       "text/plain": "ok"}}
    assert visible_text(picture) == "" and visible_text(widget) == ""
    assert scan_cell([picture, widget]) == []
    assert scan_cell([table]) and scan_cell([table])[0].startswith("bare NaN"), "HTML is what is shown"


def test_widget_text_is_read_from_comm_messages() -> None:
    opened = {"content": {"comm_id": "a", "data": {"state": {"_model_name": "HTMLModel", "value": "<b>Month</b> 3"}}}}
    update = {"content": {"comm_id": "a", "data": {"method": "update", "state": {"value": "choice NaN"}}}}
    assert scan_cell([], [opened]) == []
    assert scan_cell([], [opened, update])[0].startswith("bare NaN"), "an HTML widget's new value is scanned"
    axis = {"content": {"comm_id": "b", "data": {"state": {"_model_name": "AxisModel", "label": "units",
                                                           "tick_labels": {"0": "Jan Y1", "3": "fill_rate"}}}}}
    assert scan_cell([], [axis])[0].startswith("internal name"), "a browser plot's tick labels are scanned"


def test_known_defects_name_real_notebooks() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    missing = [nb for nb in KNOWN if not (root / nb).exists()]
    assert not missing, f"KNOWN lists notebooks that do not exist: {missing}"
