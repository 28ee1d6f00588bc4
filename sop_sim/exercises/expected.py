"""Expected answers, computed from the simulation and the knowledge base at check time.

Nothing here is a stored number: every value is worked out again from the same runs
the notebook uses (:mod:`sop_sim.exercises.setups`), so the checks stay right when the
model is tuned. A choice question may accept several answers (a ``frozenset``), e.g.
when two KPIs move in the same month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any

import pandas as pd

from sop_sim.config import LEVER_FIELDS, Scenario
from sop_sim.exercises.analysis import first_moves, planning_case, price_list
from sop_sim.exercises.setups import (
    FINANCE_MONTHS,
    MPS_CYCLE,
    MYSTERY_PRESET,
    PLAN_CYCLE,
    REMEDY_SEEDS,
    checker_run,
    replicate_summaries,
    scenarios_for,
)
from sop_sim.fva import fva_table
from sop_sim.knowledge import load_kb
from sop_sim.planning import production_plan

EXPECTED: dict[str, Callable[[], Any]] = {}

#: Remedy: how close to the baseline's mean fill rate counts as "recovered".
REMEDY_FILL_TOLERANCE = 0.01
#: Remedy: how many lever fields may differ from the struggling scenario.
REMEDY_MAX_CHANGES = 2


def expects(question_id: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    def register(fn: Callable[[], Any]) -> Callable[[], Any]:
        EXPECTED[question_id] = fn
        return fn
    return register


# --- raci and five steps: the knowledge base --------------------------------------
for _artefact in ("demand_plan", "supply_plan", "financial_projection"):
    EXPECTED[f"raci.{_artefact}"] = (lambda a=_artefact: frozenset(load_kb().owners(a)))
EXPECTED["raci.authorized_plan"] = lambda: frozenset(load_kb().approvers("authorized_plan"))
EXPECTED["raci.process_owner_plans"] = lambda: frozenset(load_kb().plans_owned_by("process_owner"))
EXPECTED["five_steps.order"] = lambda: tuple(load_kb().step_ids())
EXPECTED["five_steps.key_outputs"] = lambda: {s: load_kb().key_output(s) for s in load_kb().step_ids()}
EXPECTED["five_steps.decides"] = lambda: frozenset(load_kb().steps_led_by("executive_sponsor"))


@expects("five_steps.first_user_of_demand_plan")
def _first_user() -> str:
    m = checker_run("five_steps", "base").minutes
    return m[m["inputs"].map(lambda t: "demand_plan" in t)].iloc[0]["step"]


# --- predict, then test -------------------------------------------------------------
@expects("predict_skip.first_kpi")
def _first_kpi() -> frozenset[str]:
    moves = first_moves(checker_run("predict_skip", "base"), checker_run("predict_skip", "skip"))["first_month"]
    return frozenset(moves.index[moves == moves.min()])


@expects("predict_skip.service_month")
def _service_month() -> int:
    a = checker_run("predict_skip", "base").kpis_by_month()["fill_rate"]
    b = checker_run("predict_skip", "skip").kpis_by_month()["fill_rate"]
    return int((a - b)[(a - b) > 0.05].index.min())


# --- minutes ----------------------------------------------------------------------
@expects("minutes.never_present")
def _never_present() -> frozenset[str]:
    m = checker_run("minutes", "mystery").minutes
    present = {r for t in m["present"] for r in t}
    return frozenset({r for t in m["absent"] for r in t} - present)


EXPECTED["minutes.not_held"] = lambda: int((~checker_run("minutes", "mystery").minutes["held"]).sum())
EXPECTED["minutes.diagnosis"] = lambda: MYSTERY_PRESET


# --- forecast value added -----------------------------------------------------------
def _fva(label: str) -> pd.DataFrame:
    return fva_table(checker_run("fva", label))


EXPECTED["fva.statistical_wape"] = lambda: float(_fva("base").loc["statistical", "wape"])
EXPECTED["fva.worst_step"] = lambda: str(_fva("base").loc[["sales_input", "consensus"], "fva"].idxmin())
EXPECTED["fva.demand_review_value"] = lambda: float(
    _fva("base").loc["statistical", "wape"] - _fva("base").loc["consensus", "wape"])
EXPECTED["fva.biased_sales_fva"] = lambda: float(_fva("biased").loc["sales_input", "fva"])


# --- unconstrained vs constrained ---------------------------------------------------
def _cycle_plans(exercise: str) -> pd.DataFrame:
    p = checker_run(exercise, "base").plans
    p = p[p["cycle"] == PLAN_CYCLE[exercise]]
    return p.pivot_table(index="month", columns="version", values="units", aggfunc="sum")


@expects("constrained.peak_shortfall_month")
def _peak_shortfall() -> int:
    t = _cycle_plans("constrained")
    return int((t["consensus"] - t["supply"]).idxmax())


@expects("constrained.prebuild_months")
def _prebuild() -> int:
    t = _cycle_plans("constrained").dropna(subset=["supply"])
    return int((t["supply"] > 1.05 * t["consensus"]).sum())


@expects("constrained.escalation_kind")
def _escalation_kind() -> frozenset[str]:
    d = checker_run("constrained", "base").decisions
    return frozenset(d[(d["month"] == PLAN_CYCLE["constrained"]) & (d["raised_at"] == "supply_review")]["kind"])


# --- escalation and sets of numbers ---------------------------------------------------
def _sets() -> pd.Series:
    return checker_run("escalation", "disengaged").numbers["sets_of_numbers"]


EXPECTED["escalation.split_month"] = lambda: int(_sets()[_sets() > 1].index.min())


@expects("escalation.longest_split")
def _longest_split() -> int:
    best = run = 0
    for split in _sets() > 1:
        run = run + 1 if split else 0
        best = max(best, run)
    return best


@expects("escalation.keeps_authorized")
def _keeps_authorized() -> frozenset[str]:
    r = checker_run("escalation", "disengaged")
    split = r.number_sources[r.numbers["sets_of_numbers"] > 1]
    counts = (split == "authorized").sum()
    return frozenset(counts.index[counts == counts.max()])


EXPECTED["escalation.open_at_end"] = lambda: int(
    (checker_run("escalation", "disengaged").decisions["status"] == "open").sum())


# --- financial integration -------------------------------------------------------------
def _finance_plan() -> pd.DataFrame:
    r = checker_run("finance", "base")
    c = PLAN_CYCLE["finance"]
    p = r.plans
    p = p[(p["cycle"] == c) & (p["version"] == "consensus") & p["month"].between(c + 1, c + FINANCE_MONTHS)]
    return p.join(price_list(r.scenario), on="family")


EXPECTED["finance.revenue"] = lambda: float((_finance_plan().eval("units * price")).sum())
EXPECTED["finance.margin"] = lambda: float((_finance_plan().eval("units * unit_margin")).sum())


@expects("finance.aop_gap")
def _aop_gap() -> float:
    per = checker_run("finance", "base").periods
    c = PLAN_CYCLE["finance"]
    aop = float(per[per["month"].between(c + 1, c + FINANCE_MONTHS)]["aop_revenue"].sum())
    return (aop - EXPECTED["finance.revenue"]()) / aop


# --- horizon and level ----------------------------------------------------------------------
@expects("horizon.peak_month")
def _peak_month() -> int:
    orders = checker_run("horizon", "short").periods.groupby("month")["orders"].sum()
    return int(orders[orders.index >= 12].idxmax())


EXPECTED["horizon.last_hire_month"] = lambda: _peak_month() - scenarios_for("horizon")["short"][0].company.plant.hire_lead_months


@expects("horizon.first_sight")
def _first_sight() -> int:
    p = checker_run("horizon", "short").plans
    return int(p[p["month"] == _peak_month()]["cycle"].min())


@expects("horizon.extra_cost")
def _extra_cost() -> float:
    def premium(label: str) -> float:
        s = checker_run("horizon", label).summary
        return float(s["overtime_cost"] + s["outsourcing_cost"])
    return premium("short") - premium("base")


def _stalled(codes: tuple[str, ...]) -> bool:
    return any(c in ("agenda_overran", "not_reached") for c in codes)


@expects("sku_level.stalled_share")
def _stalled_share() -> float:
    m = checker_run("sku_level", "sku").minutes
    held = m[m["held"]]
    return float(held["note_codes"].map(_stalled).mean())


EXPECTED["sku_level.open_at_end"] = lambda: int((checker_run("sku_level", "sku").decisions["status"] == "open").sum())


# --- aggregate production planning ----------------------------------------------------------
@cache
def _plans() -> dict[str, Any]:
    return {s: production_plan(s, **planning_case()) for s in ("level", "chase", "optimal")}


def _costlier_in(than: str) -> str:
    """The cost type the optimum spends most more on than the ``than`` plan (what it trades for the saving)."""
    extra = _plans()["optimal"].cost_breakdown - _plans()[than].cost_breakdown
    return str(extra.idxmax())


EXPECTED["aggregate_plan.level_workers"] = lambda: int(_plans()["level"].table["workers"].max())
EXPECTED["aggregate_plan.chase_hires"] = lambda: int(_plans()["chase"].table["hired"].sum())
EXPECTED["aggregate_plan.level_peak_stock"] = lambda: float(_plans()["level"].table["ending_inventory"].max())
EXPECTED["aggregate_plan.cheaper"] = lambda: min(("level", "chase"), key=lambda s: _plans()[s].total_cost)
EXPECTED["aggregate_plan.optimal_cost"] = lambda: float(_plans()["optimal"].total_cost)
EXPECTED["aggregate_plan.optimum_vs_level"] = lambda: _costlier_in("level")
EXPECTED["aggregate_plan.optimum_vs_chase"] = lambda: _costlier_in("chase")


# --- remedy ------------------------------------------------------------------------------
def _lever_values(sc: Scenario) -> dict[str, Any]:
    return {f: getattr(sc, f) for f in LEVER_FIELDS if f != "months"}


@cache
def _reference_means() -> pd.DataFrame:
    runs = scenarios_for("remedy")
    return replicate_summaries({label: sc for label, (sc, _) in runs.items()})


@expects("remedy.root_cause")
@cache
def _root_cause() -> str:
    start = scenarios_for("remedy")["struggling"][0]
    base = scenarios_for("remedy")["base"][0]
    fixes = {lever: replace(start, name=f"fix_{lever}", **{lever: getattr(base, lever)})
             for lever in ("silos", "data_quality", "bias")}
    fill = replicate_summaries(fixes)["fill_rate"]
    return str(fill.idxmax()).removeprefix("fix_")


def judge_remedy(design: Scenario) -> tuple[bool, str]:
    """Judge a remedy: at most two levers changed, baseline service, lower cost than today.

    Runs the design over :data:`~sop_sim.exercises.setups.REMEDY_SEEDS` (the same seeds
    as the reference runs) and returns ``(passed, plain-language verdict)``. The
    verdict reports the design's own numbers and the targets it is measured against.
    """
    start = scenarios_for("remedy")["struggling"][0]
    before, after = _lever_values(start), _lever_values(design)
    changed = sorted(k.replace("_", " ") for k in before if before[k] != after[k])  # the levers in words
    if not changed:
        return False, "This is the struggling scenario unchanged: change one or two levers."
    if len(changed) > REMEDY_MAX_CHANGES:
        return False, (f"You changed {len(changed)} levers ({', '.join(changed)}); the budget allows "
                       f"{REMEDY_MAX_CHANGES}. Which problems matter most?")
    if design.months != start.months:
        return False, f"Keep months={start.months} so the design is compared over the same period."
    ref = _reference_means()
    mine = replicate_summaries({"design": design}).loc["design"]
    target_fill = ref.loc["base", "fill_rate"] - REMEDY_FILL_TOLERANCE
    cost_cap = ref.loc["struggling", "total_cost"]
    problems = []
    if mine["fill_rate"] < target_fill:
        problems.append(f"mean fill rate {mine['fill_rate']:.1%} is below the baseline's "
                        f"{ref.loc['base', 'fill_rate']:.1%} (allowed {REMEDY_FILL_TOLERANCE:.0%} less)")
    if mine["total_cost"] >= cost_cap:
        problems.append(f"mean total cost ${mine['total_cost']:,.0f} is not below today's ${cost_cap:,.0f}")
    verdict = (f"Changed {', '.join(changed)}; over {len(REMEDY_SEEDS)} seeds: "
               f"fill rate {mine['fill_rate']:.1%}, total cost ${mine['total_cost']:,.0f}.")
    if problems:
        return False, verdict + " But " + "; ".join(problems) + "."
    return True, verdict


# --- S&OP versus the master schedule ------------------------------------------------------
def _mps() -> Any:
    from sop_sim import mps

    return mps.master_schedule(checker_run("mps", "base"), MPS_CYCLE)


EXPECTED["mps.items"] = lambda: int(_mps()["item"].nunique())
EXPECTED["mps.top_item_week1"] = lambda: int(_mps().query("week == 0 and item == 'mowers 01'")["units"].sum())
EXPECTED["mps.first_month_total"] = lambda: int(_mps().query("week < 4")["units"].sum())
EXPECTED["mps.week6_zone"] = lambda: _mps().query("week == 5")["zone"].iloc[0]
