"""One agent per function: engagement, bias, private knowledge and a policy per meeting.

Which meetings a role leads or attends and which artefacts it owns come from the
knowledge base (:mod:`sop_sim.knowledge`); this module holds only *behaviour*: what the
role proposes when it takes part. Each policy returns the decision fields and the
agent's suggested values; the cycle turns them into a
:class:`~sop_sim.decisions.DecisionPoint`, so a person can take the role's place.

Policies are injectable: pass ``policies={"sales": MySales}`` to :class:`~sop_sim.model.SOPModel`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sop_sim.config import Disturbance, Scenario
from sop_sim.decisions import FieldSpec

STRATEGIES = ("hybrid", "level", "chase")


@dataclass
class Agent:
    """A function in the S&OP process.

    Attributes
    ----------
    role:
        Role id.
    engagement:
        Baseline chance of attending a meeting the role belongs to.
    bias:
        Share the role adds to its forecast input (sales optimism is positive).
    private:
        Disturbances only this role knows of, each from its ``known_from`` month.
    """

    role: str
    engagement: float
    bias: float
    private: tuple[Disturbance, ...]

    def news(self, month: int) -> list[Disturbance]:
        """What this role knows now that others do not (events not yet past)."""
        return [d for d in self.private if d.known_from <= month <= d.month]

    def news_in(self, month: int, first: int, last: int) -> list[Disturbance]:
        """Known events falling in planned months ``first``..``last``."""
        return [d for d in self.news(month) if first <= d.month <= last]

    # Default: a role with nothing to decide at a step returns no fields.
    def propose(self, step: str, ctx: dict[str, Any]) -> tuple[tuple[FieldSpec, ...], dict[str, Any]]:
        method = getattr(self, f"at_{step}", None)
        if method is None:
            return (), {}
        return method(ctx)


def _pct(families: tuple[str, ...], help: str) -> FieldSpec:
    return FieldSpec("adjust_pct", "per_family", help, low=-50.0, high=100.0, choices=families)


class Sales(Agent):
    def at_demand_review(self, ctx):
        fams = ctx["families"]
        deals = self.news_in(ctx["month"], ctx["first"], ctx["last"])
        fields = (
            _pct(fams, "Your adjustment to the statistical forecast, in percent, per family."),
            FieldSpec("include_deal", "bool", "Put the customer deal you know of into the demand plan."),
        )
        return fields, {"adjust_pct": {f: round(100 * self.bias, 1) for f in fams}, "include_deal": bool(deals)}


class Marketing(Agent):
    def at_demand_review(self, ctx):
        fams = ctx["families"]
        promos = self.news_in(ctx["month"], ctx["first"], ctx["last"])
        fields = (
            _pct(fams, "Your adjustment for market changes, in percent, per family."),
            FieldSpec("include_promotion", "bool", "Put the promotion you are planning into the demand plan."),
        )
        return fields, {"adjust_pct": {f: 0.0 for f in fams}, "include_promotion": bool(promos)}


class ProductDevelopment(Agent):
    def at_demand_review(self, ctx):
        npi = ctx.get("npi")
        if not npi:
            return (), {}
        family, planned = npi
        launch = planned
        for d in self.news(ctx["month"]):
            if d.kind == "npi_slip" and d.family == family:
                launch = d.month
        low = ctx["month"] + 1
        fields = (
            FieldSpec("npi_launch_month", "int", f"The month {family} launches (0 = the first month).",
                      low=low, high=low + 48),
        )
        return fields, {"npi_launch_month": max(launch, low)}


class Operations(Agent):
    def at_supply_review(self, ctx):
        fields = (
            FieldSpec("strategy", "choice", "level: steady workforce, build ahead; chase: follow demand with "
                      "overtime and outsourcing; hybrid: build ahead, then overtime, then ask for more.",
                      choices=STRATEGIES),
            FieldSpec("allow_overtime", "bool", "Plan overtime up to the cap."),
            FieldSpec("prebuild", "bool", "Build stock ahead of peaks in months with spare capacity."),
        )
        return fields, {"strategy": "hybrid", "allow_overtime": True, "prebuild": True}


class SupplyChain(Agent):
    def at_supply_review(self, ctx):
        disruption = any(d.kind == "supplier_disruption" for d in self.news(ctx["month"]))
        fields = (
            FieldSpec("buffer_pct", "float", "Extra material ordered above the plan, percent.", low=0.0, high=100.0),
            FieldSpec("prebuy", "bool", "Bring orders forward ahead of a supplier problem you know of."),
        )
        return fields, {"buffer_pct": 10.0, "prebuy": disruption}


class Finance(Agent):
    def at_pre_sop(self, ctx):
        gap = ctx.get("aop_gap", 0.0)
        fields = (
            FieldSpec("flag_gap", "bool", f"Raise the gap to the annual plan ({gap:+.1%} of AOP revenue) "
                      "as an issue for the executives."),
        )
        return fields, {"flag_gap": gap > 0.03}


class ProcessOwner(Agent):
    def at_pre_sop(self, ctx):
        issues = ctx["issues"]
        ids = tuple(i.id for i in issues)
        fields = (
            FieldSpec("escalate", "subset", "Issues to take to the executive meeting; the rest are settled here.",
                      choices=ids),
        )
        return fields, {"escalate": [i.id for i in issues if i.needs_executive]}


class HumanResources(Agent):
    def at_executive_sop(self, ctx):
        if ctx.get("authorized_hires") is None:
            return (), {}
        fields = (FieldSpec("hires", "int", "Workers to recruit now (productive after the hiring lead time).",
                            low=0, high=500),)
        return fields, {"hires": int(ctx["authorized_hires"])}


class ExecutiveSponsor(Agent):
    def at_executive_sop(self, ctx):
        escalations = ctx["escalations"]
        fields: list[FieldSpec] = []
        choices: dict[str, str] = {}
        if escalations:
            opts = sorted({o for e in escalations for o in e.option_ids})
            fields.append(FieldSpec("choices", "per_item", "For each escalated issue, the option you choose "
                                    "('defer' leaves it open).", choices=tuple(opts) + ("defer",),
                                    keys=tuple(e.id for e in escalations)))
            choices = {e.id: e.recommendation or "defer" for e in escalations}
        fields.append(FieldSpec("authorize", "bool", "Authorize the plan as the one operating plan."))
        out: dict[str, Any] = {"authorize": True}
        if escalations:
            out["choices"] = choices
        return tuple(fields), out


AGENT_CLASSES: dict[str, type[Agent]] = {
    "executive_sponsor": ExecutiveSponsor,
    "process_owner": ProcessOwner,
    "sales": Sales,
    "marketing": Marketing,
    "operations": Operations,
    "supply_chain": SupplyChain,
    "finance": Finance,
    "product_development": ProductDevelopment,
    "human_resources": HumanResources,
}


def build_agents(scenario: Scenario, policies: dict[str, type[Agent]] | None = None) -> dict[str, Agent]:
    """One agent per role, with its engagement, bias and private knowledge."""
    classes = {**AGENT_CLASSES, **(policies or {})}
    agents = {}
    for role, cls in classes.items():
        private = tuple(d for d in scenario.disturbances if d.owner == role)
        agents[role] = cls(role, scenario.role_engagement(role), scenario.bias.get(role, 0.0), private)
    return agents
