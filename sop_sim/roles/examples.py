"""Example policies for exercises and experiments: deviant play a teacher may want to show.

They are importable by name, so saved games can store them and experiment workers
can receive them.
"""

from __future__ import annotations

from typing import Any

from sop_sim.roles.defaults import ExecutiveSponsor, Sales


class InflatingSales(Sales):
    """Sales inflates every family's forecast by ``pct`` percent, month after month."""

    def __init__(self, pct: float = 40.0) -> None:
        self.pct = float(pct)

    def at_demand_review(self, view, ctx: dict[str, Any]):
        fields, suggestion = super().at_demand_review(view, ctx)
        suggestion["adjust_pct"] = {f: self.pct for f in ctx["families"]}
        return fields, suggestion


class DeferringExecutive(ExecutiveSponsor):
    """An executive who never decides: every escalation is deferred, raw issues sent back."""

    def at_executive_sop(self, view, ctx: dict[str, Any]):
        fields, suggestion = super().at_executive_sop(view, ctx)
        if "choices" in suggestion:
            suggestion["choices"] = {k: "defer" for k in suggestion["choices"]}
        return fields, suggestion

    def settle_unprepared(self, view, issue: Any, draw: float) -> str | None:
        return None
