"""Role policies are injected, checked, sent to experiment workers and kept in saved games."""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import sop_sim
from sop_sim import Policy, ScenarioError
from sop_sim.game.savefile import _checksum
from sop_sim.roles import DeferringExecutive, InflatingSales, Sales

SHORT = {"months": 6}


def test_swapping_one_roles_policy_changes_the_plan_without_monkeypatching():
    agents = sop_sim.run("baseline", seed=2, **SHORT)
    inflated = sop_sim.run("baseline", seed=2, policies={"sales": InflatingSales(40)}, **SHORT)
    sales = inflated.choices[inflated.choices.role == "sales"]
    assert all(set(d["adjust_pct"].values()) == {40.0} for d in sales.decision), "every sales input should be +40%"
    a = agents.plans.query("version == 'sales_input'")["units"].sum()
    b = inflated.plans.query("version == 'sales_input'")["units"].sum()
    assert b > 1.2 * a, f"sales input should be clearly higher: {b:,.0f} vs {a:,.0f}"
    assert not agents.summary.equals(inflated.summary), "an inflated forecast should move the KPIs"


def test_a_policy_class_is_built_and_the_default_is_unchanged():
    a = sop_sim.run("baseline", seed=2, **SHORT)
    b = sop_sim.run("baseline", seed=2, policies={"sales": Sales}, **SHORT)
    assert a.summary.equals(b.summary), "the default sales policy passed explicitly must change nothing"


def test_unknown_role_is_refused_with_one_line():
    with pytest.raises(ScenarioError, match=r"unknown role id 'salse': allowed \['executive_sponsor'") as exc:
        sop_sim.run("baseline", policies={"salse": Sales()})
    assert "\n" not in str(exc.value)


def test_a_policy_missing_a_method_is_refused():
    class Empty(Policy):
        pass

    with pytest.raises(ScenarioError, match=r"policies\['finance'\]=Empty lacks the method at_pre_sop\(\)"):
        sop_sim.SOPModel(sop_sim.PRESETS["baseline"], policies={"finance": Empty()})
    with pytest.raises(ScenarioError, match="lacks the method at_executive_sop"):
        sop_sim.Game("baseline", policies={"executive_sponsor": Sales()})


def test_a_stateful_policy_starts_fresh_in_every_run():
    class Counting(Sales):
        def __init__(self) -> None:
            self.calls = 0

        def at_demand_review(self, view, ctx):
            self.calls += 1
            fields, s = super().at_demand_review(view, ctx)
            s["adjust_pct"] = {f: float(min(self.calls, 50)) for f in ctx["families"]}
            return fields, s

    p = Counting()
    a = sop_sim.run("baseline", seed=1, policies={"sales": p}, **SHORT)
    b = sop_sim.run("baseline", seed=1, policies={"sales": p}, **SHORT)
    assert a.summary.equals(b.summary) and p.calls == 0, "each run must work on its own copy of the policy"


def test_replicate_sends_policies_to_the_process_pool():
    kw = {"reps": 8, "seed": 4, "progress": False, **SHORT}
    seq = sop_sim.replicate("baseline", jobs=1, policies={"sales": InflatingSales(40)}, **kw)
    par = sop_sim.replicate("baseline", jobs=2, policies={"sales": InflatingSales(40)}, **kw)
    plain = sop_sim.replicate("baseline", jobs=1, **kw)
    assert seq.equals(par), "the parallel path must give the sequential numbers, policies included"
    assert not seq.equals(plain), "the policy must reach the workers"


def test_compare_and_sweep_send_policies_to_any_executor():
    ctx = multiprocessing.get_context("spawn")
    pol = {"executive_sponsor": DeferringExecutive()}
    kw = {"reps": 2, "seed": 1, "progress": False, **SHORT}
    with ProcessPoolExecutor(1, mp_context=ctx) as ex:
        c = sop_sim.compare(["baseline", "silos"], executor=ex, policies=pol, **kw)
        s = sop_sim.sweep("baseline", "data_quality", [1.0, 0.5], executor=ex, policies=pol, **kw)
    here = sop_sim.compare(["baseline", "silos"], jobs=1, policies=pol, **kw)
    assert c.replications.equals(here.replications), "an executor must get the same numbers as this process"
    one = sop_sim.run("baseline", seed=int(s.replications.seed.iloc[0]), policies=pol, **SHORT)
    assert s.replications.iloc[0]["margin"] == one.summary["margin"], "sweep runs must use the policies"


def test_a_saved_game_keeps_its_policies(tmp_path):
    game = sop_sim.Game("baseline", seed=1, human_roles={"operations"}, months=3,
                        policies={"sales": InflatingSales(25)})
    game.play_suggestions()
    path = game.save(tmp_path / "g.json")
    data = json.loads(path.read_text())
    assert data["policies"] == {"sales": {"class": "sop_sim.roles.examples:InflatingSales", "params": {"pct": 25.0}}}
    back = sop_sim.Game.load(path)
    assert back.result.summary.equals(game.result.summary), "a reloaded game must replay with the same policy"


def test_a_saved_game_whose_policy_cannot_be_imported_is_refused(tmp_path):
    game = sop_sim.Game("baseline", seed=1, months=3, policies={"sales": InflatingSales(25)})
    path = game.save(tmp_path / "g.json")
    data = json.loads(path.read_text())
    data["policies"]["sales"]["class"] = "no_such_module:Gone"
    body = {k: v for k, v in data.items() if k != "checksum"}
    path.write_text(json.dumps({**body, "checksum": _checksum(body)}))
    with pytest.raises(sop_sim.SaveFileError, match="no_such_module:Gone cannot be imported here") as exc:
        sop_sim.Game.load(path)
    assert "\n" not in str(exc.value)


def test_a_game_with_a_local_policy_class_cannot_be_saved(tmp_path):
    class Local(Sales):
        pass

    game = sop_sim.Game("baseline", seed=1, months=3, policies={"sales": Local()})
    with pytest.raises(sop_sim.SaveFileError, match="cannot be saved: policy .*Local cannot be saved"):
        game.save(tmp_path / "g.json")
    assert not (tmp_path / "g.json").exists(), "nothing is written when the game cannot be saved"


def test_the_readme_policy_example_runs(capsys):
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = text[text.index("## Write your own role policy"):]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})
    out = capsys.readouterr().out
    assert out.startswith("fill rate ") and "->" in out, f"the README example should print fill rates, got {out!r}"


def test_a_persons_seat_is_offered_its_policys_suggestion():
    game = sop_sim.Game("baseline", seed=1, human_roles={"sales"}, months=3, policies={"sales": InflatingSales(15)})
    req = game.advance()
    assert (req.role, req.step) == ("sales", "demand_review"), req
    assert set(req.suggestion()["adjust_pct"].values()) == {15.0}, "the suggestion shown comes from the sales policy"
    assert [f.name for f in req.fields] == ["adjust_pct", "include_deal"], "decision field names must not change"
