"""Supply chain's material orders, placed at the supply review or, without one, as routine.

Every path nets the need against the material position (on hand plus orders due)
and the use planned before the order arrives; with silos supply chain orders from its
own usage history instead of the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sop_sim.calendar import month_label
from sop_sim.cycle.base import Line, Plan

if TYPE_CHECKING:
    from sop_sim.cycle.scheduler import SOPCycle


class MaterialOrders:
    """Places supply chain's material orders to arrive after the material lead time."""

    def __init__(self, cycle: SOPCycle) -> None:
        self.cycle = cycle
        self.info = cycle.info
        self.act = cycle.act
        self.lead = self.info.facts.plant.material_lead_months

    def net(self, arrive: int, use_before: np.ndarray, need: np.ndarray) -> list[int]:
        """Material to order now for ``arrive``: ``need`` less what is on hand or due by then, net of use.

        Whole units per family, rounded half to even (as ``round`` does); never below zero.
        """
        position = self.info.material_position(arrive - 1)
        return [max(0, round(n - (p - u))) for p, u, n in zip(position, use_before.tolist(), need.tolist(), strict=True)]

    def order(self, month: int, production: np.ndarray, sc_dec: dict[str, Any], notes: list[Line],
              decisions: list[Line]) -> None:
        """At the supply review: order for the supply plan (plus buffer, plus a pre-buy if asked)."""
        c = self.cycle
        arrive = month + self.lead
        h = arrive - (month + 1)
        if h >= len(production):
            return
        if c.sc.silos:
            qty = self.own(month)
            notes.append(Line("silo_material", "silos: supply chain ordered material from its own usage history, "
                              "not the supply plan", "supply_chain"))
        else:
            use_before = np.array(self.info.plan_in_force(), dtype=float)
            if h > 0:
                use_before = use_before + production[:h].sum(axis=0)
            qty = self.net(arrive, use_before, production[h] * (1.0 + sc_dec["buffer_pct"] / 100.0))
            if sc_dec["prebuy"]:
                for d in self.info.news("supply_chain", month):
                    if d.kind == "supplier_disruption" and d.month == arrive + 1 and h + 1 < len(production):
                        j = c.fam_ids.index(d.family)
                        extra = int(round(production[h + 1][j] * d.magnitude * 1.1))
                        qty[j] += extra
                        decisions.append(Line("material_prebought", f"{extra:,} units of {d.family} material "
                                              f"brought forward ahead of the supplier problem in {month_label(d.month)}"))
        self.act.order_material(arrive, qty)
        decisions.append(Line("material_ordered", f"material ordered for {month_label(arrive)}: {sum(qty):,} units"))

    def own(self, month: int) -> list[int]:
        """Supply chain's own numbers: recent usage plus 10 %, less the position."""
        arrive = month + self.lead
        recent = self.info.recent_usage()
        return self.net(arrive, recent * (arrive - month), recent * 1.1)

    def routine(self, month: int, demand: Plan | None) -> None:
        """No supply review: supply chain's routine orders from the best plan there is."""
        arrive = month + self.lead
        if self.cycle.sc.silos or demand is None:
            qty = self.own(month)
        else:
            h = arrive - month
            if h >= len(demand.units):
                return
            use_before = np.array(self.info.plan_in_force(), dtype=float) + demand.units[1:h].sum(axis=0)
            qty = self.net(arrive, use_before, demand.units[h] * 1.1)
        self.act.order_material(arrive, qty)
