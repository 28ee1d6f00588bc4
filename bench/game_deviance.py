"""Deviant play in the role-play must not pay: two scripted players against the all-agent game.

* **Inflating sales seat**: the sales player adds +40 % to every family's forecast at
  every demand review (the agent adds its usual +8 %) and takes every deal in.
* **Executive who never decides**: the sponsor defers every escalation and never
  authorizes a plan.

Each plays a 12-month ``baseline`` game (``sop_sim.Game``) with that one role human and
the rest played by the agents; the reference is the same game with every role played
by the agents (identical to ``sop_sim.run``). Reports economic profit, margin and fill
rate per seed and how many seeds the deviant player ends below the reference.

Then the same two deviations over a full 36-month run, as role policies
(``sop_sim.roles.examples``): ``InflatingSales(40)`` and ``DeferringExecutive`` (defers every
escalation but still authorizes the plan), against ``baseline`` on the same seeds.

Run: ``.venv/bin/python bench/game_deviance.py [--seeds 30]``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import pandas as pd

import sop_sim

MONTHS = 12
INFLATE_PCT = 40.0


def inflate(request) -> dict[str, Any]:
    """The sales seat's answer: +40 % on every family, every deal in."""
    answer = request.suggestion()
    answer["adjust_pct"] = {f: INFLATE_PCT for f in answer["adjust_pct"]}
    return answer


def never_decide(request) -> dict[str, Any]:
    """The executive's answer: every escalation deferred, no plan authorized."""
    answer = request.suggestion()
    if "choices" in answer:
        answer["choices"] = {k: "defer" for k in answer["choices"]}
    answer["authorize"] = False
    return answer


PLAYERS = {"inflating_sales": ("sales", inflate), "never_deciding_executive": ("executive_sponsor", never_decide)}


def play(role: str, answer, seed: int, preset: str = "baseline", months: int = MONTHS) -> pd.Series:
    """The summary of a game in which ``role`` is human and answers every request with ``answer``."""
    game = sop_sim.Game(preset, seed=seed, human_roles={role}, months=months)
    while (request := game.advance()) is not None:
        game.decide(request, answer(request))
    return game.result.summary


def deviance_table(seeds, months: int = MONTHS) -> pd.DataFrame:
    """One row per (player, seed): the deviant game's and the all-agent game's KPIs."""
    rows = []
    for seed in seeds:
        ref = sop_sim.run("baseline", seed=seed, months=months).summary
        for name, (role, answer) in PLAYERS.items():
            got = play(role, answer, seed, months=months)
            rows.append({"player": name, "seed": seed,
                         **{f"{k}_agents": ref[k] for k in ("economic_profit", "margin", "fill_rate")},
                         **{f"{k}_player": got[k] for k in ("economic_profit", "margin", "fill_rate")}})
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=30)
    n = ap.parse_args().seeds
    t0 = time.perf_counter()
    t = deviance_table(range(n))
    t["player_below_on_economic_profit"] = t.economic_profit_player < t.economic_profit_agents
    t["player_below_on_margin"] = t.margin_player < t.margin_agents
    g = t.groupby("player").agg(
        economic_profit_agents=("economic_profit_agents", "mean"), economic_profit_player=("economic_profit_player", "mean"),
        margin_agents=("margin_agents", "mean"), margin_player=("margin_player", "mean"),
        fill_agents=("fill_rate_agents", "mean"), fill_player=("fill_rate_player", "mean"),
        seeds_below_ep=("player_below_on_economic_profit", "sum"), seeds_below_margin=("player_below_on_margin", "sum"),
    )
    pd.set_option("display.width", 250)
    print(f"Deviant play in a {MONTHS}-month baseline game, {n} seeds (means; seeds where the player ends below)")
    print(g.to_string(float_format=lambda v: f"{v:,.4g}"))
    print(f"\n{3 * n} games in {time.perf_counter() - t0:.1f} s")
    from sop_sim.roles.examples import DeferringExecutive, InflatingSales

    rows = []
    for seed in range(n):
        ref = sop_sim.run("baseline", seed=seed).summary
        for name, pol in (("InflatingSales(40)", {"sales": InflatingSales(40)}),
                          ("DeferringExecutive", {"executive_sponsor": DeferringExecutive()})):
            got = sop_sim.run("baseline", seed=seed, policies=pol).summary
            rows.append({"policy": name, "ep_gap": got.economic_profit - ref.economic_profit,
                         "fill_gap": got.fill_rate - ref.fill_rate, "below": got.economic_profit < ref.economic_profit})
    full = pd.DataFrame(rows).groupby("policy").agg(economic_profit_vs_agents=("ep_gap", "mean"),
                                                     fill_vs_agents=("fill_gap", "mean"), seeds_below=("below", "sum"))
    print(f"\nThe same deviations as policies over a 36-month run, {n} seeds (mean differences to baseline)")
    print(full.to_string(float_format=lambda v: f"{v:,.4g}"))


if __name__ == "__main__":
    main()
