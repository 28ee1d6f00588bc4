"""Plain records written during a run; DataFrames are built once, at the end."""

from __future__ import annotations

from typing import Any

import numpy as np

from sop_sim.decisions import DecisionPoint


class Recorder:
    """Collects minutes, plan versions, role choices and the event log as plain records."""

    def __init__(self) -> None:
        self.minutes: list[dict[str, Any]] = []
        self._by_month: dict[int, list[dict[str, Any]]] = {}
        self.plans: list[tuple[int, str, int, np.ndarray]] = []
        self.choices: list[dict[str, Any]] = []
        self.numbers_by_month: list[dict[str, Any]] = []
        self.open_counts: list[int] = []
        self.events: list[dict[str, Any]] = []
        self.alternatives: list[dict[str, Any]] = []  # supply review inputs, priced on request

    def meeting(self, month: int, step: str, day: float, *, held: bool = True, status: str = "held",
                present=(), absent=(), inputs=(), outputs=(), decisions=(), notes=(), escalations=(),
                actions=()) -> None:
        row = {
            "month": month, "step": step, "day": day, "held": held, "status": status,
            "present": tuple(present), "absent": tuple(absent), "inputs": tuple(inputs),
            "outputs": tuple(outputs), "decisions": tuple(decisions), "escalations": tuple(escalations),
            "action_items": tuple(actions), "notes": tuple(notes),
        }
        self.minutes.append(row)
        self._by_month.setdefault(month, []).append(row)

    def minutes_of(self, month: int) -> list[dict[str, Any]]:
        return self._by_month.get(month, [])

    def plan(self, month: int, plan: Any, version: str) -> None:
        self.plans.append((month, version, plan.first, np.array(plan.units, dtype=float)))

    def choice(self, point: DecisionPoint, decision: dict[str, Any]) -> None:
        self.choices.append({"seq": point.seq, "month": point.month, "step": point.step, "role": point.role,
                             "decision": decision, "suggested": decision == dict(point.suggested)})

    def numbers(self, month: int, numbers: dict[str, str]) -> None:
        self.numbers_by_month.append({"month": month, **numbers, "sets_of_numbers": len(set(numbers.values()))})

    def open_after_exec(self, month: int, n: int) -> None:
        self.open_counts.append(n)

    def event(self, day: float, month: int, kind: str, text: str) -> None:
        self.events.append({"day": day, "month": month, "kind": kind, "text": text})
