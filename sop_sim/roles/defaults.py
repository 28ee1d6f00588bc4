"""The default policy of each role: what the simulated agents do when nobody is swapped in.

Which meetings a role leads or attends and which artefacts it owns come from the
knowledge base (:mod:`sop_sim.knowledge`); these classes hold only *behaviour*. Each
``at_<step>`` returns the decision fields and the role's suggested values; the meeting
turns them into a :class:`~sop_sim.decisions.DecisionPoint`, so a person can take the
role's place. Every method reads the role's :class:`~sop_sim.information.RoleView`.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from sop_sim import economics
from sop_sim.calendar import month_label
from sop_sim.company import PROMO_DISCOUNT
from sop_sim.decisions import FieldSpec
from sop_sim.market import PROMO_PULL_FORWARD
from sop_sim.roles.policy import Policy, Proposal

if TYPE_CHECKING:
    from sop_sim.information import RoleView

STRATEGIES = ("hybrid", "level", "chase")
#: Size of the promotion finance proposes to close a gap to the AOP (share of a month's demand).
PROMO_GAP_UPLIFT = 0.25
#: Unpriced options an executive takes on gut feel, the one that promises most service first.
GUT_ORDER = ("hire", "outsource", "approve", "promote")


def _pct(families: tuple[str, ...], help: str) -> FieldSpec:
    return FieldSpec("adjust_pct", "per_family", help, low=-50.0, high=100.0, choices=families)


@functools.lru_cache(maxsize=64)
def _volume_fields(families: tuple[str, ...], adjust_help: str, flag: str, flag_help: str) -> tuple[FieldSpec, ...]:
    """The fields of a volume input at the demand review (built once per set of families: they never change)."""
    return _pct(families, adjust_help), FieldSpec(flag, "bool", flag_help)


#: Operations' fields at the supply review (the same every month).
OPERATIONS_FIELDS = (
    FieldSpec("strategy", "choice", "level: steady workforce, build ahead; chase: follow demand with "
              "overtime and outsourcing; hybrid: build ahead, then overtime, then ask for more.",
              choices=STRATEGIES),
    FieldSpec("allow_overtime", "bool", "Plan overtime up to the cap."),
    FieldSpec("prebuild", "bool", "Build stock ahead of peaks in months with spare capacity."),
)
#: Supply chain's fields at the supply review (the same every month).
SUPPLY_CHAIN_FIELDS = (
    FieldSpec("buffer_pct", "float", "Extra material ordered above the plan, percent.", low=0.0, high=100.0),
    FieldSpec("prebuy", "bool", "Bring orders forward ahead of a supplier problem you know of."),
)


class Sales(Policy):
    """Adds the role's bias to every family and brings the customer deal it knows of."""

    def at_demand_review(self, view: RoleView, ctx: dict[str, Any]) -> Proposal:
        fams = ctx["families"]
        deals = view.news_in(ctx["first"], ctx["last"])
        fields = _volume_fields(tuple(fams), "Your adjustment to the statistical forecast, in percent, per family.",
                                "include_deal", "Put the customer deal you know of into the demand plan.")
        return fields, {"adjust_pct": {f: round(100 * view.bias, 1) for f in fams}, "include_deal": bool(deals)}


class Marketing(Policy):
    """Leaves volumes alone and brings the promotion it is planning."""

    def at_demand_review(self, view: RoleView, ctx: dict[str, Any]) -> Proposal:
        fams = ctx["families"]
        promos = view.news_in(ctx["first"], ctx["last"])
        fields = _volume_fields(tuple(fams), "Your adjustment for market changes, in percent, per family.",
                                "include_promotion", "Put the promotion you are planning into the demand plan.")
        return fields, {"adjust_pct": {f: 0.0 for f in fams}, "include_promotion": bool(promos)}


class ProductDevelopment(Policy):
    """Reports the launch date it knows (a slip included)."""

    def at_demand_review(self, view: RoleView, ctx: dict[str, Any]) -> Proposal:
        npi = ctx.get("npi")
        if not npi:
            return (), {}
        family, planned = npi
        launch = planned
        for d in view.news():
            if d.kind == "npi_slip" and d.family == family:
                launch = d.month
        low = ctx["month"] + 1
        fields = (
            FieldSpec("npi_launch_month", "int", f"The month {family} launches, counted from 0 = Jan Y1 (12 = Jan Y2).",
                      low=low, high=low + 48),
        )
        return fields, {"npi_launch_month": max(launch, low)}


class Operations(Policy):
    """Plans a hybrid workforce strategy with overtime and pre-build; hires late when backorders pile up."""

    def at_supply_review(self, view: RoleView, ctx: dict[str, Any]) -> Proposal:
        return OPERATIONS_FIELDS, {"strategy": "hybrid", "allow_overtime": True, "prebuild": True}

    def reactive_hires(self, view: RoleView) -> int:
        """Workers to hire at the start of ``view.month`` whatever the plan says (0: none).

        Nobody planned ahead, so the signal is the backlog itself
        (:func:`sop_sim.economics.reactive_hires`): once backorders have stayed above 10 % of
        a month's regular hours two months running, and nobody is being recruited,
        operations asks for enough workers to work them off in two months. They arrive
        after the hiring lead time: late, by construction.
        """
        plant = view.facts.plant
        return economics.reactive_hires(view.backlog_hours(2), view.workers_now() * plant.hours_per_worker,
                                        plant.hours_per_worker, view.hires_in_pipeline())


class SupplyChain(Policy):
    """Orders 10 % above the plan and brings orders forward ahead of a known supplier problem."""

    def at_supply_review(self, view: RoleView, ctx: dict[str, Any]) -> Proposal:
        disruption = any(d.kind == "supplier_disruption" for d in view.news())
        return SUPPLY_CHAIN_FIELDS, {"buffer_pct": 10.0, "prebuy": disruption}


class Finance(Policy):
    """Raises a gap of more than 3 % to the annual plan, with a promotion to close it."""

    def at_pre_sop(self, view: RoleView, ctx: dict[str, Any]) -> Proposal:
        gap = ctx.get("aop_gap", 0.0)
        fields = (
            FieldSpec("flag_gap", "bool", f"Raise the gap to the annual plan ({gap:+.1%} of AOP revenue) "
                      "as an issue for the executives."),
        )
        return fields, {"flag_gap": gap > 0.03}

    def gap_options(self, view: RoleView, ctx: dict[str, Any]
                    ) -> tuple[list[tuple[str, str, float]], str, Any]:
        """Finance's options for a gap to the AOP: ``(options, recommendation, payload)``.

        The promotion goes on the most profitable family in its low season two months
        out, priced with its full effect (:func:`sop_sim.economics.promotion`): the 10 %
        discount on the whole month's volume, the extra units, the dip the month after.
        The extra units cost their material when the supply plan has idle hours that
        month, overtime too when it has not. Finance recommends it only when it adds to
        the margin (its cost is negative); the pre-S&OP does not raise one that does not.
        ``payload`` is ``(target month, family index, extra units)`` for a promotion.
        """
        month, supply = ctx["month"], ctx.get("supply")
        facts = view.facts
        plant = facts.plant
        target = month + 2
        cands = [j for j, f in enumerate(facts.families) if f.npi_launch is None and f.seasonality[target % 12] <= 1.0]
        h = target - (month + 1)
        room = supply is not None and h < len(supply.residual_units) and sum(supply.residual_units[h]) < 0.5 \
            and supply.overtime_hours[h] <= 0.0
        options = [("accept", "Accept the gap and revise the financial outlook", 0.0)]
        payload = None
        pays = False
        if cands:
            expected = view.expected_demand
            j = max(cands, key=lambda k: (facts.price[k] - facts.unit_cost[k]) * expected(target, k))
            base = expected(target, j)
            extra = PROMO_GAP_UPLIFT * base
            variable = facts.material_cost[j] + (0.0 if room else
                                                 facts.hours_per_unit[j] * plant.wage * plant.overtime_premium)
            priced = economics.promotion(facts.price[j], variable, base, PROMO_GAP_UPLIFT, PROMO_DISCOUNT,
                                         PROMO_PULL_FORWARD, expected(target + 1, j))
            options.insert(0, ("promote", f"Run a promotion on {facts.family_ids[j]} in {month_label(target)} "
                               f"(about {extra:,.0f} more units; {priced.explain()})", priced.cost))
            payload = (target, j, extra)
            pays = priced.cost < 0
        return options, ("promote" if pays else "accept"), payload


class ProcessOwner(Policy):
    """Escalates every issue that needs the executives; settles the rest at the pre-S&OP."""

    def at_pre_sop(self, view: RoleView, ctx: dict[str, Any]) -> Proposal:
        issues = ctx["issues"]
        ids = tuple(i.id for i in issues)
        fields = (
            FieldSpec("escalate", "subset", "Issues to take to the executive meeting; the rest are settled here.",
                      choices=ids),
        )
        return fields, {"escalate": [i.id for i in issues if i.needs_executive]}


class HumanResources(Policy):
    """Recruits as many workers as the executives authorized."""

    def at_executive_sop(self, view: RoleView, ctx: dict[str, Any]) -> Proposal:
        if ctx.get("authorized_hires") is None:
            return (), {}
        fields = (FieldSpec("hires", "int", "Workers to recruit now (productive after the hiring lead time).",
                            low=0, high=500),)
        return fields, {"hires": int(ctx["authorized_hires"])}


class ExecutiveSponsor(Policy):
    """Takes each prepared recommendation and authorizes the plan."""

    def at_executive_sop(self, view: RoleView, ctx: dict[str, Any]) -> Proposal:
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

    def settle_unprepared(self, view: RoleView, issue: Any, draw: float) -> str | None:
        """An issue that reached the table without analysis: the option to take, or None to send it back.

        ``draw`` is a uniform number from the ``decisions`` stream; half the time the
        executive settles on gut feel, otherwise sends it back for analysis. Nobody priced
        the options, so nothing weighs their cost against the service they promise: the
        executive takes the one that closes most of the gap (:data:`GUT_ORDER`).
        """
        if draw < 0.5 and issue.options:
            ids = issue.option_ids
            return next((o for o in GUT_ORDER if o in ids), ids[0])
        return None


DEFAULT_POLICIES: dict[str, type[Policy]] = {
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
