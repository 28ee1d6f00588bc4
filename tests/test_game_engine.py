"""The game engine: exact equivalence with sop_sim.run, validation, information asymmetry."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sop_sim
from sop_sim import DecisionError, Game, ScenarioError
from sop_sim.config import ROLE_IDS

FRAMES = ("periods", "plant", "minutes", "decisions", "numbers", "choices", "events", "plans")


def assert_same_result(a: sop_sim.Result, b: sop_sim.Result) -> None:
    pd.testing.assert_series_equal(a.summary, b.summary, check_exact=True, obj="summary")
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True, obj=name)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(preset=st.sampled_from(sorted(sop_sim.PRESETS)), seed=st.integers(0, 10_000),
       humans=st.sets(st.sampled_from(ROLE_IDS), min_size=1))
def test_suggestions_everywhere_reproduce_run_exactly(preset: str, seed: int, humans: set[str]) -> None:
    game = Game(preset, seed, humans, months=12)
    game.play_suggestions()
    assert game.finished, "the game should end once every request is answered"
    assert_same_result(game.result, sop_sim.run(preset, seed=seed, months=12))


def test_all_nine_roles_default_length_matches_run() -> None:
    game = Game("baseline", 7, ROLE_IDS)
    n = game.play_suggestions()
    assert n > 100, f"a 36-month game with all nine roles should ask many decisions, got {n}"
    assert_same_result(game.result, sop_sim.run("baseline", seed=7))


def test_request_describes_role_step_fields_and_suggestion() -> None:
    game = Game("baseline", 0, {"sales"}, months=6)
    req = game.advance()
    assert (req.role, req.step, req.month) == ("sales", "demand_review", 0), f"unexpected first request {req}"
    assert [f["name"] for f in req.field_table()] == ["adjust_pct", "include_deal"], "sales fields changed"
    assert req.point.validate(req.suggestion()) == req.suggestion(), "the suggestion should be valid as it is"
    assert game.advance() is req, "a pending request is returned again until decided"


@pytest.mark.parametrize("decision, fragment", [
    ({"adjust_pct": {"mowers": 5}, "include_deal": False, "extra": 1}, "unknown field"),
    ({"adjust_pct": {"mowers": 5}}, "missing field"),
    ({"adjust_pct": {"mowers": 500}, "include_deal": False}, "out of range"),
    ({"adjust_pct": {"mowers": 5, "trimmers": 0, "blowers": 0, "robots": 0}, "include_deal": "yes"}, "invalid"),
    ({"adjust_pct": {"mowers": 5}, "include_deal": False}, "missing 'trimmers', 'blowers', 'robots'"),
    ({"adjust_pct": {"gnomes": 5}, "include_deal": False}, "unknown family"),
    ("raise", "mapping"),
])
def test_invalid_decision_changes_nothing(decision, fragment: str) -> None:
    game = Game("baseline", 0, {"sales"}, months=6)
    req = game.advance()
    steps, log = game.steps, list(game.log)
    with pytest.raises(DecisionError, match=fragment):
        game.decide(req, decision)
    assert (game.steps, game.log, game.pending) == (steps, log, req), "a rejected decision must change nothing"
    game.decide(req, req.suggestion())  # still answerable
    assert len(game.log) == 1, "the valid decision after a rejected one should be logged"


def test_wrong_role_stale_request_paused_and_nothing_pending() -> None:
    game = Game("baseline", 0, {"sales", "operations"}, months=6)
    with pytest.raises(DecisionError, match="no decision is pending"):
        game.decide(None, {})  # type: ignore[arg-type]
    req = game.advance()
    with pytest.raises(DecisionError, match="cannot answer"):
        game.decide(req, req.suggestion(), role="operations")
    game.pause()
    assert game.advance() is req, "a paused game still shows its pending request"
    with pytest.raises(DecisionError, match="paused"):
        game.decide(req, req.suggestion())
    game.resume()
    game.decide(req, req.suggestion(), role="sales")
    nxt = game.advance()
    assert nxt.role == "operations", f"operations should decide next, got {nxt.role}"
    with pytest.raises(DecisionError, match="stale"):
        game.decide(req, req.suggestion())
    assert game.pending is nxt, "a stale answer must leave the new request pending"


def test_paused_game_does_not_advance() -> None:
    game = Game("baseline", 0, {"executive_sponsor"}, months=6)
    game.pause()
    assert game.advance() is None and game.steps == 0, "a paused game must not move the clock"


def test_human_decision_changes_the_run() -> None:
    game = Game("baseline", 0, {"operations"}, months=12)
    while (req := game.advance()) is not None:
        game.decide(req, {"strategy": "chase", "allow_overtime": False, "prebuild": False})
    ref = sop_sim.run("baseline", seed=0, months=12)
    assert game.result.summary["fill_rate"] != ref.summary["fill_rate"], "a different strategy should matter"
    assert not any(a["suggested"] for a in game.decisions()), "each decision differed from the suggestion"


def test_humans_attend_sets_engagement_for_human_roles_only() -> None:
    game = Game("disengaged_executive", 0, {"executive_sponsor", "sales"}, humans_attend=True, months=12)
    assert game.scenario.executive_engagement == 1.0, "a human executive should always attend"
    assert game.scenario.engagement["sales"] == 1.0, "a human sales role should always attend"
    plain = Game("disengaged_executive", 0, {"executive_sponsor"}, months=12)
    assert plain.scenario.executive_engagement == 0.25, "by default the scenario's engagement holds"


def test_bad_constructor_arguments() -> None:
    with pytest.raises(ScenarioError, match="human_roles"):
        Game("baseline", 0, {"ceo"})
    with pytest.raises(ScenarioError, match="seed"):
        Game("baseline", -1)
    with pytest.raises(ScenarioError, match="not a scenario field"):
        Game("baseline", 0, (), mnths=12)


def _strings(obj) -> str:
    return json.dumps(obj, default=str)


@pytest.mark.parametrize("preset", ["baseline", "silos", "skip_pre_sop"])
def test_views_never_hold_another_roles_private_information(preset: str) -> None:
    game = Game(preset, 0, ROLE_IDS)
    seen = {r: 0 for r in ROLE_IDS}
    own = {r: 0 for r in ROLE_IDS}
    private = {d.describe(): d.owner for d in game.scenario.disturbances}
    while (req := game.advance()) is not None:
        for role in ROLE_IDS:
            view = req.view if role == req.role else game.view(role)
            text = _strings(view)
            seen[role] += 1
            for line, owner in private.items():
                if owner != role:
                    assert line not in text, f"{role}'s view shows {owner}'s private news: {line}"
                elif line in text:
                    own[role] += 1
            assert set(view["private_news"]) <= {k for k, o in private.items() if o == role}, \
                f"{role}'s private news should be its own only"
        game.decide(req, req.suggestion())
    for role in ("sales", "marketing", "supply_chain", "product_development", "operations", "finance"):
        assert own[role] > 0, f"{role} should see its own private news at some point"


def test_inject_reaches_one_role_and_validates() -> None:
    game = Game("baseline", 0, {"supply_chain", "sales"}, months=12)
    game.advance()
    d = game.inject("supplier_disruption", 3, "trimmers", 0.7)
    assert d in game.scenario.disturbances and game.injected == [d], "the injection should join the scenario"
    assert d.describe() in game.view("supply_chain")["private_news"], "supply chain should hear of it"
    assert d.describe() not in _strings(game.view("sales")), "sales must not hear of it"
    for bad in [dict(kind="fire", month=3), dict(kind="promotion", month=0, family="mowers"),
                dict(kind="promotion", month=40, family="mowers"), dict(kind="deal", month=5),
                dict(kind="npi_slip", month=5, family="mowers")]:
        with pytest.raises(ScenarioError):
            game.inject(**bad)
    assert len(game.injected) == 1, "rejected injections must not be logged"


def test_injected_event_changes_the_world() -> None:
    quiet = Game("baseline", 0, (), months=12)
    quiet.play_suggestions()
    game = Game("baseline", 0, (), months=12)
    game.inject("breakdown", 5, None, 0.5)
    game.play_suggestions()
    assert game.result.plant.loc[5, "notes"] != quiet.result.plant.loc[5, "notes"], \
        "a breakdown in month 6 should show in the plant notes"
