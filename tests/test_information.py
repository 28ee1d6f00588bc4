"""The information layer: a role sees its own news from its known_from month, never another role's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sop_sim
from sop_sim.model import SOPModel

PACKAGE = Path(sop_sim.__file__).parent


@pytest.mark.parametrize("preset", ["baseline", "disengaged_executive"])
def test_a_roles_view_holds_only_its_own_news_and_none_from_the_future(preset):
    m = SOPModel(sop_sim.PRESETS[preset], seed=1)
    events = m.scenario.disturbances
    for month in range(m.scenario.months):
        for role in sop_sim.ROLE_IDS:
            view = m.info.view(role, month)
            for d in view.news():
                assert d.owner == role, f"{role} sees {d.owner}'s news in month {month}: {d}"
                assert d.known_from <= month, f"{role} sees news of month {d.known_from} already in month {month}"
            texts = set(m.info.player_view(role, month)["private_news"])
            others = {d.describe() for d in events if d.owner != role or d.known_from > month}
            mine = {d.describe() for d in events if d.owner == role and d.known_from <= month <= d.month}
            assert texts == mine - (others - mine), f"{role}'s player view in month {month} holds {texts}"


def test_the_player_view_is_built_from_the_information_layer():
    game = sop_sim.Game("baseline", seed=2, human_roles={"finance"}, months=6)
    game.advance(until_month=3)
    assert game.view("marketing") == game.model.info.player_view("marketing", game.month), \
        "Game.view must be the information layer's view"


@pytest.mark.parametrize("package", ["cycle", "roles"])
def test_meetings_and_policies_never_touch_the_world(package):
    """They read through sop_sim.information and act through cycle.base.Actions only."""
    hits = []
    for path in sorted((PACKAGE / package).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
            if name in ("world", "World", "_world") and path.name != "base.py":  # base.py: Actions wraps it
                hits.append(f"{path.name}:{node.lineno}")
    assert not hits, f"sop_sim/{package} reaches the world directly at {hits}"
