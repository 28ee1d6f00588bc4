"""The game board and the debrief say clearly when a save or report path is bad, and keep the game."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sop_sim import Game
from sop_sim.errors import SopSimError
from sop_sim.game.debrief import write_debrief
from sop_sim.ui import GameBoard


@pytest.fixture()
def board(tmp_path: Path) -> GameBoard:
    game = Game("baseline", 0, ["sales"], months=4)
    game.play_suggestions(until_month=2)  # a month has finished: a debrief can be written
    return GameBoard(game, save_path=tmp_path / "g.json", report_path=tmp_path / "r.html")


def _bad_paths(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "afile").write_text("x")
    ro = tmp_path / "ro.json"
    ro.write_text("keep")
    ro.chmod(0o444)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    return {"empty": "", "folder": str(tmp_path), "under a file": str(tmp_path / "afile" / "g.json"),
            "read-only": str(ro), "fifo": str(fifo)}


@pytest.mark.parametrize("action", ["save", "load", "debrief"])
def test_bad_paths_show_one_warning_and_keep_the_game(board, tmp_path, action):
    assert write_debrief(board.game, tmp_path / "ok.html").exists(), "the debrief itself must work here"
    for label, path in _bad_paths(tmp_path).items():
        before = (board.game.steps, list(board.game.log))
        widget, button = {"save": (board.path, board.save_button), "load": (board.path, board.load_button),
                          "debrief": (board.report_path, board.debrief_button)}[action]
        widget.value = path
        button.click()
        status = board.status.value
        if action == "load" and label == "read-only":
            continue  # a read-only file is fine to load from (it is not a saved game: still a warning)
        assert "&#9888;" in status, f"{action} to a bad path ({label}) must show a warning, got {status!r}"
        assert (board.game.steps, board.game.log) == before, f"{action} to {label} changed the game"
    assert (tmp_path / "ro.json").read_text() == "keep"


def test_write_debrief_bad_paths_are_one_line(tmp_path):
    game = Game("baseline", 0, ["sales"], months=4)
    game.play_suggestions(until_month=2)
    assert write_debrief(game, tmp_path / "ok.html").exists(), "the debrief itself must work here"
    for label, path in _bad_paths(tmp_path).items():
        with pytest.raises(SopSimError) as err:
            write_debrief(game, path)
        assert "\n" not in str(err.value) and "month has finished" not in str(err.value), f"{label}: {err.value}"
