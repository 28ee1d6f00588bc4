"""Plain records written during a run; DataFrames are built once, at the end.

Minutes are data first. Every meeting row carries ``code`` (``held``, ``skipped``,
``not_held_no_lead``) next to the sentence in ``status``, ``cancelled_by`` (the lead whose
absence cancelled it), and for each sentence in ``decisions`` and ``notes`` a code at the
same position in ``decision_codes`` and ``note_codes`` (``note_roles`` names the role a
note is about, or is empty). Code reads the codes; learners read the sentences.
:data:`MINUTE_CODES` lists them all.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Every status code the minutes use, with its meaning.
MINUTE_CODES: dict[str, str] = {
    # meeting status (column ``code``)
    "held": "the meeting took place",
    "skipped": "the step is skipped by design (nobody was invited)",
    "not_held_no_lead": "called, but cancelled because no leading role turned up",
    # decisions (column ``decision_codes``)
    "baseline_compiled": "the data baseline was compiled",
    "launch_confirmed": "product development confirmed a launch date",
    "deal_included": "a customer deal went into the demand plan",
    "promotion_included": "a promotion went into the demand plan",
    "bias_challenged": "the sales adjustment was challenged and cut",
    "demand_valued": "finance put the demand plan in money",
    "alternatives_priced": "level, chase and hybrid plans were priced",
    "strategy_chosen": "operations chose its workforce strategy",
    "breakdown_planned": "operations planned around a breakdown it knows of",
    "level_hires": "the level plan needs more workers",
    "material_prebought": "material brought forward ahead of a supplier problem",
    "material_ordered": "supply chain ordered material",
    "aop_gap_projected": "finance projected revenue against the annual plan",
    "promotion_priced": "finance priced a gap-closing promotion that adds to the margin and raised it",
    "promotion_declined": "finance priced a gap-closing promotion that would lose margin and did not raise it",
    "scenarios_priced": "finance priced the scenarios for a capacity gap against the margin",
    "plan_recommended": "the pre-S&OP put one reconciled plan to the executives",
    "settled": "an issue was settled below the executive meeting",
    "decided": "the executives decided an escalation",
    "authorized": "the executives authorized the plan",
    "hiring_started": "human resources started recruiting",
    # notes (column ``note_codes``)
    "absent": "a role was absent (``note_roles`` says which)",
    "no_baseline": "no new data baseline this month",
    "data_errors": "some records are off by more than 10 %",
    "no_consensus_plan": "no consensus demand plan this month",
    "launch_from_plan": "a launch date was taken from the original plan",
    "no_launch_input": "nobody gave launch input",
    "deal_left_out": "a known customer deal was not put into the plan",
    "bias_unchallenged": "nobody challenged the sales adjustment",
    "agenda_overran": "the agenda overran: items were not reached",
    "not_reached": "an issue was not reached and passed on raw",
    "no_capacity_check": "the plan was not checked against capacity",
    "no_workforce_plan": "nobody planned the workforce",
    "overtime_budget_assumed": "the plan assumed the full overtime budget",
    "silo_material": "material ordered from supply chain's own history",
    "raw_issues": "issues went to the executives unprepared",
    "no_reconciliation": "demand, supply and finance were not reconciled",
    "deferred": "an escalation was deferred or sent back",
    "no_authorized_plan": "no plan was authorized this month",
    "escalations_open": "escalations stay open",
    "not_authorized": "the executives met but did not authorize the plan",
}


_NONE: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())


def _split(lines: Any) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Texts, codes and roles of minutes lines (a bare string is a line with code ``note``)."""
    # every meeting writes its minutes through here, so the common cases are kept short
    if not lines:
        return _NONE
    if len(lines) == 1:
        x = lines[0]
        if x.__class__ is str:
            return (x,), ("note",), ("",)
        return (x[1],), (x[0],), (x[2] or "",)
    rows = [("note", x, "") if x.__class__ is str else x for x in lines]
    codes, texts, roles = zip(*rows, strict=True)
    return texts, codes, tuple([r or "" for r in roles])


class Recorder:
    """Collects minutes, plan versions, role choices and the event log as plain records."""

    def __init__(self) -> None:
        self.minutes: list[dict[str, Any]] = []
        self._by_month: dict[int, list[dict[str, Any]]] = {}
        self.plans: list[tuple[int, str, int, np.ndarray]] = []
        self.choices: list[dict[str, Any]] = []
        self.numbers_by_month: list[dict[str, Any]] = []
        self.number_sources: list[dict[str, Any]] = []
        self.open_counts: list[int] = []
        self.events: list[dict[str, Any]] = []
        self.alternatives: list[dict[str, Any]] = []  # supply review inputs, priced on request

    def meeting(self, month: int, step: str, day: float, *, held: bool = True, status: str = "held",
                code: str = "held", present=(), absent=(), inputs=(), outputs=(), decisions=(), notes=(),
                escalations=(), actions=(), cancelled_by=()) -> None:
        """One meeting's minutes; ``decisions`` and ``notes`` are :class:`~sop_sim.cycle.Line` items."""
        dec, dec_codes, _ = _split(decisions)
        note, note_codes, note_roles = _split(notes)
        row = {
            "month": month, "step": step, "day": day, "held": held, "status": status, "code": code,
            "cancelled_by": tuple(cancelled_by),
            "present": tuple(present), "absent": tuple(absent), "inputs": tuple(inputs),
            "outputs": tuple(outputs), "decisions": dec, "escalations": tuple(escalations),
            "action_items": tuple(actions), "notes": note,
            "decision_codes": dec_codes, "note_codes": note_codes, "note_roles": note_roles,
        }
        self.minutes.append(row)
        self._by_month.setdefault(month, []).append(row)

    def minutes_of(self, month: int) -> list[dict[str, Any]]:
        return self._by_month.get(month, [])

    def plan(self, month: int, plan: Any, version: str) -> None:
        self.plans.append((month, version, plan.first, np.array(plan.units, dtype=float)))

    def choice(self, seq: int, month: int, step: str, role: str, decision: dict[str, Any], suggested: bool) -> None:
        """One decision taken at a decision point; ``suggested``: it is the role's policy's own suggestion."""
        self.choices.append({"seq": seq, "month": month, "step": step, "role": role,
                             "decision": decision, "suggested": suggested})

    def numbers(self, month: int, numbers: dict[str, str], sources: dict[str, str] | None = None) -> None:
        """Which plan each function works from (sentences), and the kind of each (codes:
        ``authorized``, ``consensus``, ``supply_unauthorized``, ``own``, ``aop``)."""
        self.numbers_by_month.append({"month": month, **numbers, "sets_of_numbers": len(set(numbers.values()))})
        if sources is not None:
            self.number_sources.append({"month": month, **sources})

    def open_after_exec(self, month: int, n: int) -> None:
        self.open_counts.append(n)

    def event(self, day: float, month: int, kind: str, text: str) -> None:
        self.events.append({"day": day, "month": month, "kind": kind, "text": text})
