"""Step 2, demand review (~day 6): sales and marketing agree the unconstrained demand plan.

Covers: the statistical forecast, sales' adjustment and the customer deals it knows,
marketing's adjustment and promotions, and the new product's launch date from product
development; finance or the process owner challenge the sales adjustment.

Leads: sales and marketing (with neither present the step is not held).
Reads: the latest data baseline (``cycle.baseline``), each role's own news through its
view, the company's demand model for a launch curve, prices.
Writes: ``state.stat`` (statistical forecast) and ``state.demand`` (consensus demand
plan, units per month and family), the ``statistical``, ``sales_input`` and
``consensus`` plan versions and the minutes. Not held: the supply side plans from the
bare statistical forecast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sop_sim.calendar import month_label
from sop_sim.cycle.base import Line, Meeting, Plan, counted
from sop_sim.planning.forecast import forecast_all

if TYPE_CHECKING:
    from sop_sim.cycle.scheduler import SOPCycle

EVENTS = ("promotions", "deals", "new products")
_EVENT_ITEMS = [(d, "event") for d in EVENTS]  # their agenda items
#: Share of the sales adjustment kept when finance or the process owner challenges it.
CHALLENGED_WEIGHT = 0.25


class DemandReview(Meeting):
    """Turns the statistical forecast and what sales, marketing and product development know
    into the consensus demand plan."""

    step = "demand_review"

    def __init__(self, cycle: SOPCycle) -> None:
        super().__init__(cycle)
        self._curves: dict[tuple[int, int], list[float]] = {}  # launch curves read so far

    def launch_curve(self, j: int, launch: int, stop: int) -> list[float]:
        """Expected demand of new product ``j`` launched in ``launch``, months 0 .. ``stop - 1``.

        The company's demand model fixes it for the whole run, so each month is read once
        per launch date rather than at every review.
        """
        curve = self._curves.setdefault((j, launch), [])
        for t in range(len(curve), stop):
            curve.append(self.info.expected_demand(t, j, launch=launch))
        return curve

    def statistical(self, month: int) -> Plan:
        """The statistical forecast for months ``month``..``month+H`` from the latest baseline."""
        c = self.cycle
        base = c.baseline
        if base is None:  # no baseline ever: operations' view of history as of the start
            hist, cutoff = self.info.recorded_history(0), 0
        else:
            hist, cutoff = base["history"], base["month"]
        lead = month - cutoff
        fc = forecast_all(hist, cutoff, lead + c.H + 1)[lead:]
        return Plan("statistical", month, month, fc, label=f"statistical forecast (data to {month_label(cutoff)})")

    def run(self, month: int):
        c = self.cycle
        st = c.state
        st.stat = stat = self.statistical(month)
        first, last = month + 1, month + c.H
        self.rec.plan(month, stat, "statistical")
        present, absent = c.attendance(self.step, month)
        leads = c.kb.leads(self.step)
        if self.step in self.sc.skip_steps or not (leads & set(present)):
            skipped = self.step in self.sc.skip_steps
            self.not_held(month, "skipped" if skipped else "not_held_no_lead",
                          "skipped by design" if skipped else "not held: no lead present",
                          [Line("no_consensus_plan",
                                "no consensus demand plan: the supply side plans from the statistical forecast")],
                          present, absent)
            return
        reached, missed = c.agenda(c.review_items() + _EVENT_ITEMS)
        events_reached = {i for i in reached if i in EVENTS}
        ctx = {"month": month, "first": first, "last": last, "families": c.fam_ids,
               "npi": c.npi[0] if c.npi else None, "forecast": stat}
        units = stat.units.copy()
        notes: list[Line] = []
        decisions: list[Line] = []
        info = self.info
        # new product: the launch curve from product development and marketing replaces a forecast
        # that has no history to go on
        for fid, planned in c.npi:
            j = c.fam_ids.index(fid)
            launch = planned
            real = info.launched(fid, month)
            if real is not None:  # launched: the date is a fact everyone can see
                launch = real
            elif "new products" in events_reached and "product_development" in present:
                d = yield from c.ask("product_development", self.step, month, ctx)
                launch = d.get("npi_launch_month", planned)
                decisions.append(Line("launch_confirmed", f"{fid} launch confirmed for {month_label(launch)}"))
            elif "new products" in events_reached and "marketing" in present:
                notes.append(Line("launch_from_plan", f"product development absent: {fid} launch date taken "
                                  f"from the original plan ({planned})", "product_development"))
            else:
                notes.append(Line("no_launch_input", f"no launch input: {fid} rests on the statistical forecast"))
                continue
            if month - launch < 12:
                units[:, j] = self.launch_curve(j, launch, month + len(units))[month:month + len(units)]
        base_units = units.copy()
        # adjustments per family as plain floats: the same sums and products, element by element
        sales_adj = mkt_adj = [0.0] * c.F
        sales_input = base_units.copy()
        if "sales" in present:
            d = yield from c.ask("sales", self.step, month, ctx)
            sales_adj = [d["adjust_pct"][f] / 100.0 for f in c.fam_ids]
            sales_input = base_units * np.array([1.0 + a for a in sales_adj])
            deals = info.news_in("sales", month, first, last)
            if d["include_deal"] and "deals" in events_reached:
                for dl in deals:
                    j = c.fam_ids.index(dl.family)
                    sales_input[dl.month - month, j] += dl.magnitude
                    units[dl.month - month, j] += dl.magnitude * dl.probability
                    decisions.append(Line("deal_included", f"deal for {dl.family} in {month_label(dl.month)} included "
                                          f"at {dl.probability:.0%} of {dl.magnitude:,.0f} units"))
            elif deals:
                notes.append(Line("deal_left_out", "a known customer deal was not put into the plan", "sales"))
        else:
            notes.append(Line("absent", "sales absent: no pipeline or customer input", "sales"))
        if "marketing" in present:
            d = yield from c.ask("marketing", self.step, month, ctx)
            mkt_adj = [d["adjust_pct"][f] / 100.0 for f in c.fam_ids]
            if d["include_promotion"] and "promotions" in events_reached:
                for pr in info.news_in("marketing", month, first, last):
                    j = c.fam_ids.index(pr.family)
                    h = pr.month - month
                    units[h, j] += pr.magnitude * base_units[h, j]
                    if h + 1 < len(units):
                        units[h + 1, j] -= 0.15 * pr.magnitude * base_units[h + 1, j]
                    decisions.append(Line("promotion_included", f"promotion on {pr.family} in {month_label(pr.month)} "
                                          "included"))
        else:
            notes.append(Line("absent", "marketing absent: promotions and launches not reviewed", "marketing"))
        if missed:
            lost = [m for m in missed if m in EVENTS]
            notes.append(Line("agenda_overran", f"agenda overran: {counted(len(missed), 'item')} not reached, including "
                              + ", ".join(lost) if lost else f"agenda overran: {counted(len(missed), 'item')} not reached"))
        challenged = bool({"finance", "process_owner"} & set(present))
        weight = CHALLENGED_WEIGHT if challenged else 1.0
        adj = [weight * s + m for s, m in zip(sales_adj, mkt_adj, strict=True)]
        units = np.maximum(units + base_units * np.array(adj), 0.0)
        if not challenged and any(sales_adj):
            notes.append(Line("bias_unchallenged", "nobody challenged the sales adjustment: its bias passes "
                              "into the plan"))
        elif any(sales_adj):
            decisions.append(Line("bias_challenged", "sales adjustment challenged against forecast accuracy: "
                                  "a quarter of it kept"))
        st.demand = Plan("consensus", month, month, units, label=f"consensus demand plan of {month_label(month)}")
        self.rec.plan(month, Plan("sales_input", month, month, sales_input), "sales_input")
        self.rec.plan(month, st.demand, "consensus")
        if "finance" in present:  # the money figure is only put in the minutes by finance
            money = float((units[1:13] * np.array(info.facts.price)).sum())
            decisions.append(Line("demand_valued", f"finance: next 12 months of demand worth {money:,.0f}"))
        actions = ["sales, marketing: hand the consensus demand plan to the supply review"]
        if "finance" in present:
            actions.append("finance: update the revenue projection from the demand plan")
        self.rec.meeting(month, self.step, c.now(), present=present, absent=absent,
                         inputs=["data_baseline" if c.baseline else "no data baseline", "npi_schedule"],
                         outputs=["demand_plan"], decisions=decisions, notes=notes, actions=actions)
