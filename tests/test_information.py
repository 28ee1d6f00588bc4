"""The information layer: a role sees its own news from its known_from month, never another role's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sop_sim
from sop_sim.config import DAYS_PER_MONTH
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
    """They read through sop_sim.information and act through cycle.base.Actions only; a policy
    reads its RoleView's methods, never the model behind it."""
    hits = []
    for path in sorted((PACKAGE / package).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
            banned = ("world", "World", "_world") + (("model", "_info") if package == "roles" else ())
            if name in banned and path.name != "base.py":  # base.py: Actions wraps the world
                hits.append(f"{path.name}:{node.lineno}")
    assert not hits, f"sop_sim/{package} reaches the world directly at {hits}"


def _supply_inputs(sc, month: int = 0):
    """The planner's inputs of one supply review run alone at ``month`` (earlier meetings first)."""
    m = SOPModel(sc, seed=1)
    from sop_sim.cycle import MonthState

    m.cycle.state = MonthState(month)
    for step in ("data_gathering", "demand_review", "supply_review"):
        for _ in m.cycle.meetings[step].run(month):
            raise AssertionError("agents answer at once")
    return m.cycle.state.supply_inputs, m


def _with(*events, **levers):
    from dataclasses import replace

    return replace(sop_sim.PRESETS["baseline"], disturbances=tuple(events), **levers)


def test_finance_plans_around_a_budget_cut_only_from_its_known_from_month():
    cut = sop_sim.Disturbance("budget_cut", 4, None, 0.5, known_from=2)
    full = sop_sim.PRESETS["baseline"].company.plant.overtime_share
    before, _ = _supply_inputs(_with(cut))  # month 0: finance has not heard of it
    assert before.overtime_share == [full] * 18, "nobody may plan around a cut before it is announced"
    heard = _with(sop_sim.Disturbance("budget_cut", 4, None, 0.5, known_from=0))
    after, _ = _supply_inputs(heard)
    assert after.overtime_share[:3] == [full] * 3 and after.overtime_share[3:] == [full * 0.5] * 15, \
        "finance knows the cut from month 0: months 4 on are planned with half the overtime"
    absent, m = _supply_inputs(_with(heard.disturbances[0], engagement={"finance": 0.0}))
    assert absent.overtime_share == [full] * 18, "without finance at the table the cut cannot reach the plan"
    view = m.info.view("operations", 0)
    assert view.overtime_budget(range(1, 19)) == [full] * 18, "operations does not know finance's news"


def test_a_breakdown_operations_knows_of_reaches_the_plans_capacity():
    brk = sop_sim.Disturbance("breakdown", 3, None, 0.3, known_from=0)
    inp, m = _supply_inputs(_with(brk))
    assert inp.capacity_factor[2] == pytest.approx(0.7) and inp.capacity_factor.count(1.0) == 17, inp.capacity_factor
    row = m.recorder.minutes[-1]
    assert "breakdown_planned" in row["decision_codes"], row
    late, _ = _supply_inputs(_with(sop_sim.Disturbance("breakdown", 3, None, 0.3, known_from=2)))
    assert late.capacity_factor == [1.0] * 18, "a breakdown not yet known cannot reach the plan"
    away, _ = _supply_inputs(_with(brk, engagement={"operations": 0.0}))
    assert away.capacity_factor == [1.0] * 18, "without operations at the table its news stays out of the plan"


def test_the_budget_of_a_month_not_started_is_no_fact():
    m = SOPModel(sop_sim.PRESETS["baseline"], seed=1)
    with pytest.raises(ValueError, match="has not started"):
        m.info.view("operations", 0).overtime_share_of(5)


def test_every_public_method_of_a_roles_view_answers():
    """A student's policy may call any of them: none may reach for something the view does not hold."""
    from sop_sim.information import RoleView

    m = SOPModel(sop_sim.PRESETS["baseline"], seed=1)
    m.env.run(until=5 * DAYS_PER_MONTH)
    view = m.info.view("operations", 5)
    months = range(6, 9)
    calls = {"news": (), "news_in": (6, 9), "expected_demand": (6, 0), "plant_history": (),
             "workers_planned_for": (months,), "hires_in_pipeline": (), "workers_now": (),
             "backlog_hours": (2,), "overtime_share_of": (4,), "overtime_budget": (months,)}
    public = {n for n in dir(RoleView) if not n.startswith("_") and callable(getattr(RoleView, n))}
    for name in sorted(public):
        args = calls.get(name, ())
        try:
            getattr(view, name)(*args)
        except TypeError as exc:  # a method this test does not know the arguments of
            pytest.fail(f"RoleView.{name}: add its arguments to this test ({exc})")
    assert view.workers_planned_for(months) == [m.world.workers_at(t) for t in months]
