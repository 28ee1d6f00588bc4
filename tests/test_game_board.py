"""The game board, driven without a browser: set values, click buttons."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from sop_sim import Game
from sop_sim.ui import GameBoard

ROLES = ["sales", "operations", "executive_sponsor"]


def _board(tmp_path: Path) -> GameBoard:
    game = Game("baseline", 0, ROLES, months=12)
    return GameBoard(game, save_path=tmp_path / "g.json", report_path=tmp_path / "r.html")


def _blank(form) -> bool:
    for ctl in form.controls.values():
        for w in (ctl.values() if isinstance(ctl, dict) else [ctl]):
            if isinstance(w, widgets.Text) and w.value != "":
                return False
            if isinstance(w, widgets.Dropdown) and w.value is not None:
                return False
    return True


def test_tabs_per_human_role_plus_shared_and_facilitator(tmp_path: Path) -> None:
    board = _board(tmp_path)
    assert list(board.tab.titles) == ["Executive sponsor", "Sales", "Operations", "Shared board", "Facilitator"], \
        f"unexpected tabs {board.tab.titles}"
    assert "Brightwater" not in board.tabs["sales"].news.value, "news shows only private information"
    assert board.tab.selected_index == 3, "the board opens on the shared board, not on a private tab"


def test_play_a_month_by_clicking(tmp_path: Path) -> None:
    board = _board(tmp_path)
    board.tab.selected_index = 4  # the facilitator's tab
    board.advance_button.click()
    sales = board.tabs["sales"]
    assert board.game.pending.role == "sales", "sales should be on"
    assert board.tab.selected_index == 4, "the board never jumps away from the tab in use"
    assert "pass the laptop to Sales" in board.status.value and "Jan Y1" in board.status.value, board.status.value
    assert "Pass the laptop to Sales" in sales.cover.value and sales.widget.children == (sales.covered,), \
        "the private tab is covered until its player opens it"
    assert sales.news.value == "" and sales.form is None, "nothing private is drawn while covered"
    sales.open_button.click()
    assert _blank(sales.form), "the form starts empty"
    assert "Only you know" in sales.news.value
    assert board.tabs["operations"].submit.disabled, "other roles cannot submit now"
    sales.submit.click()
    assert "not answered yet" in board.status.value, "a blank form should give a one-line error"
    assert board.game.pending.role == "sales", "a rejected form changes nothing"
    sales.form.controls["adjust_pct"]["mowers"].value = "abc"
    sales.use_suggestion.click()
    assert sales.form.controls["adjust_pct"]["mowers"].value == "8", "suggestion fills the form"
    sales.form.controls["adjust_pct"]["mowers"].value = "20"
    sales.submit.click()
    assert board.game.decisions()[0]["decision"]["adjust_pct"]["mowers"] == 20.0, "typed value should be used"
    assert not sales.is_open and sales.news.value == "", "the tab covers itself after the decision"
    assert board.game.pending.role == "operations", "the board moves on to the next human decision"
    assert "operations" in board.tab.titles[2].lower() and "your turn" in board.tab.titles[2], board.tab.titles
    assert "Consensus demand plan" in board.shared.value, "the shared board shows the consensus plan"
    assert "Jan Y1" in board.shared.value and "<th>m" not in board.shared.value, "calendar months on the board"


def test_facilitator_panel(tmp_path: Path) -> None:
    board = _board(tmp_path)
    board.advance_button.click()
    board.tabs["sales"].open_button.click()
    board.tabs["sales"].use_suggestion.click()
    board.tabs["sales"].submit.click()
    board.pause_button.value = True
    assert board.game.paused and board.tabs["operations"].submit.disabled, "pause freezes the forms"
    board.pause_button.value = False
    board.kind.value, board.inject_month.value, board.family.value = "promotion", 4, "blowers"
    board.magnitude.value = 0.3
    board.inject_button.click()
    assert "Announced to Marketing only" in board.status.value, board.status.value
    board.inject_month.value = 0
    board.inject_button.click()
    assert "invalid" in board.status.value and len(board.game.injected) == 1, "a bad injection changes nothing"
    board.save_button.click()
    assert (tmp_path / "g.json").exists(), "save should write the game file"
    board.undo_button.click()
    assert board.game.pending.role == "sales", "undo goes back to the sales decision"
    board.load_button.click()
    assert board.game.pending.role == "operations" and len(board.game.injected) == 1, "load restores the save"
    board.reveal_button.click()
    assert "Sales" in board.revealed.value and "deal" in board.revealed.value, "reveal shows all private info"
    board.game.play_suggestions(until_month=2)
    board.refresh()
    board.debrief_button.click()
    assert (tmp_path / "r.html").exists(), f"debrief should be written: {board.status.value}"


def test_finished_game(tmp_path: Path) -> None:
    board = _board(tmp_path)
    board.game.play_suggestions()
    board.refresh()
    assert "game is over" in board.status.value, board.status.value
    board.path.value = str(tmp_path / "missing.json")
    board.load_button.click()
    assert "cannot read" in board.status.value, "a missing file gives a one-line error"
