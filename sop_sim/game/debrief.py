"""The debrief: what the team did, what it led to, and where it stands.

:func:`debrief` gathers the evidence of a game (finished or in progress):

* the team's KPIs against two references on the same seed and the same events
  (including events the facilitator injected, at the same moments): the all-agent run
  (the same scenario with every role played by its agent) and the mature ``baseline``;
* a month-by-month timeline: the people's decisions next to what the agent would have
  done, meetings not held and what went wrong in them, escalations raised and how long
  they stayed open, months in which the functions worked from different numbers, and
  the events each role knew of (revealed);
* attendance by role; a maturity reading (:mod:`sop_sim.game.maturity`);
* discussion questions drawn from that evidence.

:func:`write_debrief` renders it as one self-contained HTML file (:mod:`sop_sim.game.report`).
Nothing here computes a KPI: the numbers come from each run's ``Result``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sop_sim.calendar import month_label
from sop_sim.config import DAYS_PER_MONTH, ROLE_IDS, Disturbance
from sop_sim.cycle.base import choice_words
from sop_sim.errors import SopSimError
from sop_sim.game.engine import Game
from sop_sim.game.maturity import NEWS_FIELDS, MaturityReading, read_maturity
from sop_sim.knowledge import load_kb
from sop_sim.presets import PRESETS
from sop_sim.results import Result


@dataclass
class Debrief:
    """Everything the report shows, as data (tests and other front ends read this)."""

    game: Game
    team: Result
    agents: Result
    baseline: Result
    reading: MaturityReading
    timeline: list[dict[str, Any]]
    attendance: pd.DataFrame
    private: dict[str, list[str]]
    questions: list[str]


def _reference(game: Game, levers_from: Any | None) -> Result:
    """The same world played by agents only, with the game's injections at the same moments."""
    sc = game.initial_scenario
    if levers_from is not None:
        sc = dataclasses.replace(levers_from, months=sc.months, company=sc.company, disturbances=sc.disturbances)
    ref = Game(sc, game.seed, policies=game.policies)
    for action in game.log:
        if action["type"] == "inject":
            ref.play_suggestions(until_day=action["day"])
            d = Disturbance(**action["disturbance"])
            ref.inject(d.kind, d.month, d.family, d.magnitude, known_from=d.known_from, probability=d.probability)
    if game.finished:
        ref.play_suggestions()
        assert ref.result is not None
        return ref.result
    ref.play_suggestions(until_day=game.env.now)
    return ref.model._finish()


def team_result(game: Game) -> Result:
    """The game's Result, or the result so far for a game still in progress."""
    return game.result if game.result is not None else game.model._finish()


def attendance_by_role(result: Result) -> pd.DataFrame:
    """Per role: meetings it was invited to, attended, missed, and meetings cancelled for want of it."""
    kb = load_kb()
    rows = []
    m = result.minutes
    for role in ROLE_IDS:
        present = int(sum(role in p for p in m["present"])) if len(m) else 0
        absent = int(sum(role in a for a in m["absent"])) if len(m) else 0
        lost = int(sum(role in c for c in m["cancelled_by"])) if len(m) else 0
        invited = present + absent + lost
        rows.append({"role": kb.name(role), "invited": invited, "attended": present, "missed": absent + lost,
                     "cancelled_for_want_of_it": lost, "share": present / invited if invited else float("nan")})
    return pd.DataFrame(rows).set_index("role")


def _fmt_value(v: Any) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k} {_fmt_value(x)}" for k, x in v.items())
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:+g}" if v else "0"
    if isinstance(v, list):
        return ", ".join(map(str, v)) or "none"
    return str(v)


def _issue_word(key: Any) -> str:
    """An issue id as people read it (``"I4"`` -> ``"issue 4"``); anything else as it is."""
    k = str(key)
    return f"issue {k[1:]}" if k[:1] == "I" and k[1:].isdigit() else k


def _learner_value(name: str, v: Any) -> str:
    if name == "npi_launch_month" and isinstance(v, int | float) and not isinstance(v, bool):
        return month_label(int(v))
    if name == "choices" and isinstance(v, dict):
        return ", ".join(f"{_issue_word(k)}: {choice_words(str(x))}" for k, x in v.items()) or "none"
    if isinstance(v, list):
        return ", ".join(_issue_word(x) for x in v) or "none"
    return _fmt_value(v)


def describe_decision(decision: dict[str, Any], role: str | None = None) -> str:
    """A decision dict in one readable line, e.g. ``include_deal: yes; adjust_pct: mowers +20, ...``.

    With ``role``, each field is named as the seat page names it for that role, months are
    calendar months and issues are named ("Put the customer deal ... plan? yes; ...").
    """
    if role is None:
        return "; ".join(f"{k}: {_fmt_value(v)}" for k, v in decision.items())
    from sop_sim.game.labels import LABELS  # the seat page's words

    parts = []
    for k, v in decision.items():
        lab = LABELS.get(f"{role}.{k}") or LABELS.get(k) or k.replace("_", " ").capitalize()
        parts.append(f"{lab}{'' if lab.endswith('?') else ':'} {_learner_value(k, v)}")
    return "; ".join(parts)


def _timeline(game: Game, team: Result) -> list[dict[str, Any]]:
    kb = load_kb()
    months = len(team.plant)
    by_month = team.kpis_by_month() if months else pd.DataFrame()
    esc = team.decisions
    rows = []
    for m in range(months):
        items: list[tuple[str, str]] = []
        for a in game.log:
            if a["type"] == "inject" and int(a["day"] // DAYS_PER_MONTH) == m:
                d = Disturbance(**a["disturbance"])
                items.append(("facilitator", f"announced to {kb.name(d.owner)} only: {d.describe()}"))
            if a["type"] == "decision" and a["month"] == m:
                who = f"{kb.name(a['role'])} ({kb.name(a['step'])}): {describe_decision(a['decision'], a['role'])}"
                tail = " (as the agent suggested)" if a["suggested"] else \
                    f" (the agent would have chosen: {describe_decision(a['suggestion'], a['role'])})"
                items.append(("decision", who + tail))
        for r in team.minutes[team.minutes["month"] == m].itertuples(index=False):
            if not r.held:
                items.append(("meeting", f"{kb.name(r.step)} {r.status}"))
            for note in r.notes:
                items.append(("problem", f"{kb.name(r.step)}: {note}"))
        for e in esc[esc["month"] == m].itertuples(index=False):
            if e.status == "open":
                fate = "still open at the end"
            elif e.closed_day is not None and not pd.isna(e.closed_day):
                choice = f" ({choice_words(e.choice)})" if isinstance(e.choice, str) and e.choice else ""
                fate = f"{e.status}{choice} in {month_label(int(e.closed_day // DAYS_PER_MONTH))}"
            else:
                fate = e.status
            items.append(("escalation", f"{e.summary} (raised at the {kb.name(e.raised_at)}): "
                                        f"{fate}, after {e.latency_days:.0f} days"))
        numbers = team.numbers.loc[m] if m in team.numbers.index else None
        sets = int(numbers["sets_of_numbers"]) if numbers is not None else 0
        if sets > 1:
            plans = "; ".join(f"{kb.name(f)}: {numbers[f]}" for f in ("sales", "operations", "supply_chain", "finance"))
            items.append(("numbers", f"{sets} sets of numbers in use ({plans})"))
        for d in game.scenario.disturbances:
            if d.month == m:
                items.append(("event", f"{d.describe()} Known to {kb.name(d.owner)} from {month_label(d.known_from)}."))
        fill = float(by_month.loc[m, "fill_rate"]) if m in by_month.index else float("nan")
        rows.append({"month": m, "fill_rate": fill, "sets_of_numbers": sets, "items": items})
    return rows


def _questions(game: Game, team: Result, agents: Result, reading: MaturityReading,
               attendance: pd.DataFrame) -> list[str]:
    kb = load_kb()
    out: list[str] = []
    open_esc = team.decisions[team.decisions["status"] == "open"]
    for e in open_esc.head(2).itertuples(index=False):
        out.append(f"The escalation '{e.summary}' was still open at the end, {e.latency_days:.0f} days after "
                   "it was raised. Who should have decided it, and what did waiting cost?")
    split = team.numbers[team.numbers["sets_of_numbers"] > 1]
    if len(split):
        m = int(split.index[0])
        out.append(f"In {month_label(m)} the functions first worked from {int(split.iloc[0]['sets_of_numbers'])} "
                   "different plans. Who left the agreed plan, and why would they?")
    for a in game.decisions():
        name = NEWS_FIELDS.get(a["role"])
        if name and name in a["decision"] and a["suggestion"][name] and a["decision"][name] != a["suggestion"][name]:
            out.append(f"In {month_label(a['month'])}, {kb.name(a['role'])} knew something the others did not and "
                       "kept it out of the plan. What made holding it back seem sensible at the time?")
            break
    diff = team.summary["margin"] - agents.summary["margin"]
    out.append(f"Your margin was {abs(diff):,.0f} {'above' if diff >= 0 else 'below'} the all-agent run on the "
               "same events. Which two of your decisions explain most of that gap?")
    low = attendance["share"].dropna()
    if len(low) and low.min() < 1.0:
        out.append(f"{low.idxmin()} attended {low.min():.0%} of its meetings. What did the plan lose when that "
                   "seat was empty?")
    if reading.next_stage:
        need = "; ".join(c.rule for c in reading.missing()) or "the rules of the stage"
        out.append(f"Your team reads as '{reading.stage}'. To reach '{reading.next_stage}' it needs: {need}. "
                   "What would you change in next month's meetings to get there?")
    out.append("Which piece of private information mattered most to the result, and at which meeting should it "
               "have been shared?")
    out.append("If you had to drop one of the five monthly meetings, which would it be, and what would break first?")
    return out


#: How each kind of escalation is named on the debrief's chart.
ESCALATION_KINDS = {"capacity": "capacity gap", "overtime": "overtime", "aop_gap": "below budget"}


def plan_vs_actual(result: Result) -> pd.DataFrame:
    """Per month, all families together: customer orders, the production the plan in force asked for, and
    what the plant made (its own output plus outsourcing). Plain sums of the run's records."""
    p = result.periods.groupby("month")[["orders", "planned_production", "produced"]].sum()
    return p.rename(columns={"planned_production": "planned", "produced": "made"})


def escalation_spans(result: Result) -> pd.DataFrame:
    """Each escalation's life in months: raised, closed (or the end of the run if still open), a short label."""
    end = len(result.plant)
    rows = []
    for e in result.decisions.sort_values("raised_day", kind="stable").itertuples(index=False):
        still_open = e.status != "decided" or e.closed_day is None or pd.isna(e.closed_day)
        closed = end if still_open else float(e.closed_day) / DAYS_PER_MONTH
        kind = ESCALATION_KINDS.get(str(e.kind), str(e.kind).replace("_", " "))
        rows.append({"label": f"{kind}, {month_label(int(e.month))}",
                     "raised": float(e.raised_day) / DAYS_PER_MONTH, "closed": closed, "open": bool(still_open)})
    return pd.DataFrame(rows, columns=["label", "raised", "closed", "open"])


def debrief(game: Game) -> Debrief:
    """Gather the evidence of ``game`` (see the module docstring).

    Raises
    ------
    SopSimError
        No month of the game has finished yet, so there is nothing to compare.
    """
    if not game.model.world.plant_records:
        raise SopSimError("no month has finished yet: advance the game past its first month before a debrief")
    team = team_result(game)
    agents = _reference(game, None)
    baseline = _reference(game, PRESETS["baseline"])
    suggestions = {a["seq"]: a["suggestion"] for a in game.decisions()}
    reading = read_maturity(team, baseline, suggestions)
    attendance = attendance_by_role(team)
    private = {load_kb().name(r): v for r, v in game.private_information().items() if v}
    return Debrief(game, team, agents, baseline, reading, _timeline(game, team), attendance, private,
                   _questions(game, team, agents, reading, attendance))


def write_debrief(source: Game | str | Path, out: str | Path) -> Path:
    """Write the debrief of a game (or a saved game file) as one self-contained HTML file."""
    from sop_sim._io import atomic_write_text
    from sop_sim.game.report import render_html

    game = source if isinstance(source, Game) else Game.load(source)
    return atomic_write_text(out, render_html(debrief(game)))
