"""Saved games: event-sourced save/load, undo, and clear errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sop_sim import Game, SaveFileError
from sop_sim.game.savefile import scenario_from_dict, scenario_to_dict
from sop_sim.presets import PRESETS
from tests.test_game_engine import assert_same_result

ROLES = {"sales", "supply_chain", "executive_sponsor"}


def _played(months_played: int = 5) -> Game:
    game = Game("baseline", 3, ROLES, months=12)
    req = game.advance()
    game.decide(req, {"adjust_pct": {"mowers": 25, "trimmers": -5, "blowers": 0, "robots": 10},
                      "include_deal": False})
    game.advance()
    game.inject("supplier_disruption", 4, "trimmers", 0.7)  # mid-month, while a request is pending
    game.play_suggestions(until_month=months_played)
    return game


def test_scenarios_round_trip() -> None:
    for sc in PRESETS.values():
        assert scenario_from_dict(json.loads(json.dumps(scenario_to_dict(sc)))) == sc, f"{sc.name} changed"


def test_load_replays_to_identical_state_and_result(tmp_path: Path) -> None:
    game = _played()
    path = game.save(tmp_path / "g.json")
    again = Game.load(path)
    assert (again.steps, again.log, again.month) == (game.steps, game.log, game.month), "state should match"
    assert (again.pending is None) == (game.pending is None), "pending state should match"
    assert again.scenario == game.scenario, "the injected event should be back in the scenario"
    game.play_suggestions()
    again.play_suggestions()
    assert_same_result(again.result, game.result)


def test_load_after_finish(tmp_path: Path) -> None:
    game = _played(12)
    game.play_suggestions()
    again = Game.load(game.save(tmp_path / "done.json"))
    assert again.finished, "a finished game should load finished"
    assert_same_result(again.result, game.result)


def test_undo_takes_back_the_last_decision() -> None:
    game = _played(3)
    last = game.decisions()[-1]
    n = len(game.decisions())
    game.undo()
    assert len(game.decisions()) == n - 1, "undo should remove exactly one decision"
    assert (game.pending.seq, game.pending.role) == (last["seq"], last["role"]), \
        "undo should leave the same request pending again"
    fresh = _played(3)
    fresh.undo()
    fresh.play_suggestions()
    game.play_suggestions()
    assert_same_result(game.result, fresh.result)


def test_undo_without_decisions() -> None:
    with pytest.raises(Exception, match="nothing to undo"):
        Game("baseline", 0, ROLES, months=6).undo()


@pytest.mark.parametrize("mangle, fragment", [
    (lambda t: t[: len(t) // 2], "invalid JSON"),
    (lambda t: json.dumps({"hello": "world"}), "not a saved game"),
    (lambda t: t.replace('"version": 1', '"version": 99'), "version"),
    (lambda t: t.replace('"mowers": 25.0', '"mowers": 26.0'), "changed after it was saved"),
    (lambda t: "\x00\x01garbage", "invalid JSON"),
])
def test_bad_files_fail_in_one_line_and_stay_untouched(tmp_path: Path, mangle, fragment: str) -> None:
    path = _played(2).save(tmp_path / "g.json")
    text = mangle(path.read_text())
    path.write_text(text)
    with pytest.raises(SaveFileError, match=fragment) as info:
        Game.load(path)
    assert "\n" not in str(info.value), "the error should be one line"
    assert path.read_text() == text, "loading must never change the file"


def test_consistent_but_impossible_log_is_rejected(tmp_path: Path) -> None:
    from sop_sim.game.savefile import _checksum

    path = _played(2).save(tmp_path / "g.json")
    data = json.loads(path.read_text())
    data["log"][0]["decision"]["adjust_pct"]["mowers"] = 999.0  # out of bounds, checksum recomputed
    body = {k: v for k, v in data.items() if k != "checksum"}
    path.write_text(json.dumps({**body, "checksum": _checksum(body)}))
    with pytest.raises(SaveFileError, match="does not replay"):
        Game.load(path)


def test_missing_file() -> None:
    with pytest.raises(SaveFileError, match="cannot read"):
        Game.load("/nonexistent/game.json")
