"""Step 5, executive S&OP (~day 16): decide the escalations and authorize one operating plan.

Covers: every open escalation (prepared ones with options and a recommendation, raw
ones the executive may settle or send back, stale ones overtaken by newer issues), the
authorization of the plan that drives production from next month, and the hiring the
decisions need.

Leads: the executive sponsor chairs (absent: the meeting is not held, escalations stay
open and nothing is authorized); human resources starts the authorized hiring.
Reads: ``cycle.open_issues`` and this month's plans (``cycle.state``); the executive's
policy decides (``at_executive_sop``, ``settle_unprepared`` with a draw from the
``decisions`` stream).
Writes: each decided issue's status and choice, its effect (outsourcing ordered, hires,
a promotion with its plan and material changes, through ``act``), ``cycle.authorized``
and ``cycle.authorized_demand`` (the ``authorized`` plan version), the executive's
attendance record and the minutes.
"""

from __future__ import annotations

import numpy as np

from sop_sim.calendar import month_label
from sop_sim.cycle.base import (
    OUTSOURCE_COMMIT_MONTHS,
    Issue,
    Line,
    Meeting,
    Plan,
    choice_words,
    counted,
)
from sop_sim.planning.supply import SupplyPlan
from sop_sim.roles.defaults import PROMO_GAP_UPLIFT


class ExecutiveSOP(Meeting):
    """Decides the escalations and authorizes the plan."""

    step = "executive_sop"

    def run(self, month: int):
        c = self.cycle
        st = c.state
        present, absent = c.attendance(self.step, month)
        if self.step in self.sc.skip_steps:
            self.not_held(month, "skipped", "skipped by design",
                          [Line("no_authorized_plan", "no authorized plan: each function keeps to its own numbers")])
            return
        exec_here = "executive_sponsor" in present
        c.exec_record.append(exec_here)
        pending = [i for i in c.open_issues if i.status == "open"]
        if not exec_here:
            self.not_held(month, "not_held_no_lead", "not held: executive sponsor absent",
                          [Line("escalations_open", (f"{counted(len(pending), 'escalation')} stay"
                                                         f"{'s' if len(pending) == 1 else ''} open" if pending
                                                         else "no escalation was waiting for a decision")),
                           Line("no_authorized_plan", "the plan is not authorized: operations keeps to the last "
                                "authorized plan, other functions to their own numbers")],
                          present, absent, cancelled_by=("executive_sponsor",))
            return
        stale = [i for i in pending if i.month < month]
        items = c.review_items() if self.sc.planning_level == "sku" else [("plan", "family")]
        items += [(i.id, "stale" if i in stale else ("prepared" if i.prepared else "raw")) for i in pending]
        reached, missed = c.agenda(items)
        on_table = [i for i in pending if i.id in reached]
        ctx = {"month": month, "escalations": on_table}
        policy = c.agents["executive_sponsor"].policy
        view = self.info.view("executive_sponsor", month)
        for iss in on_table:
            if not iss.prepared:
                # an unprepared issue: each time it is on the table the executive may settle it
                # or send it back for analysis (the draw is addressed by the issue, not its place)
                iss.recommendation = policy.settle_unprepared(view, iss, c.draw("decisions", iss.kind, iss.month, month))
        decision = yield from c.ask("executive_sponsor", self.step, month, ctx)
        choices = decision.get("choices", {})
        decisions: list[Line] = []
        notes = [Line("agenda_overran", f"agenda overran: {counted(len(missed), 'item')} not reached")] if missed else []
        hires = 0
        for iss in on_table:
            choice = choices.get(iss.id, "defer")
            if iss in stale and choice != "defer" and iss.kind == "capacity":
                choice = "closed"  # overtaken by a newer capacity issue
            if choice == "defer":
                notes.append(Line("deferred", f"{iss.name} deferred: "
                                  + ("sent back for analysis" if not iss.prepared else "no decision")))
                continue
            iss.status, iss.closed_day, iss.choice = "decided", c.now(), choice
            decisions.append(Line("decided", f"{iss.name}: {choice_words(choice)}"))
            hires += self.apply(iss, choice, month)
        authorize = decision.get("authorize", True)
        candidate = st.recommended or st.supply_plan or st.demand or st.stat
        if authorize and candidate is not None:
            self.authorize(month)
            decisions.append(Line("authorized", f"plan authorized: {candidate.label or candidate.version}"
                                  + ("" if st.recommended is not None else " (not reconciled at a pre-S&OP)")))
        elif not authorize:
            notes.append(Line("not_authorized", "the executives did not authorize the plan: operations keeps to "
                              "the last authorized plan"))
        if hires:
            d = yield from c.ask("human_resources", self.step, month, {"authorized_hires": hires})
            n = self.act.hire(d.get("hires", hires), month)
            decisions.append(Line("hiring_started", f"human resources starts recruiting {counted(n, 'worker')} (productive from "
                                  f"{month_label(month + self.info.facts.plant.hire_lead_months)})"))
        actions = [f"{self.owner_of(iss)}: carry out the decision on {iss.name} ({choice_words(iss.choice)})"
                   for iss in on_table if iss.status == "decided" and iss.closed_day == c.now()]
        if authorize:
            actions.append(f"all functions: work to the authorized plan from {month_label(month + 1)}")
        self.rec.meeting(month, self.step, c.now(), present=present, absent=absent,
                         inputs=["recommended_plan" if st.recommended is not None else "unreconciled plans",
                                 "financial_projection"],
                         outputs=["authorized_plan"] if authorize else [], decisions=decisions, notes=notes,
                         actions=actions)

    @staticmethod
    def owner_of(iss: Issue) -> str:
        """Who carries out a decision on this kind of issue."""
        return {"capacity": "operations, human resources", "aop_gap": "marketing, finance"}.get(iss.kind, "operations")

    def apply(self, iss: Issue, choice: str, month: int) -> int:
        """Carry out an executive decision; return the hires it authorizes."""
        c = self.cycle
        plant = self.info.facts.plant
        if iss.kind == "capacity" and choice in ("hire", "outsource"):
            plan: SupplyPlan = iss.payload
            opt = plan.option(choice, iss.prepared)
            for h, row in enumerate(opt.outsource[:OUTSOURCE_COMMIT_MONTHS]):
                if any(row) and iss.month + 1 + h >= month + plant.outsource_lead_months:
                    self.act.order_outsourcing(iss.month + 1 + h, row)
            if choice == "hire" and iss.month == month and c.state.supply_plan is not None:
                c.state.supply_plan.units = np.array(plan.production) + np.array(opt.extra_production)
            return opt.hires if iss.month == month else 0
        if iss.kind == "aop_gap" and choice == "promote" and iss.payload is not None:
            target, j, extra = iss.payload
            if target > month:
                # marketing runs it; the plan makes the extra units and supply chain buys their material
                self.act.add_promotion(target, j, PROMO_GAP_UPLIFT)
                st = c.state
                if st.demand is not None and iss.month == month:
                    st.demand.units[target - month, j] += extra
                if st.supply_plan is not None and st.supply_plan.covers(target):
                    st.supply_plan.units[target - st.supply_plan.first, j] += extra
                qty = [0] * c.F
                qty[j] = round(extra)
                self.act.order_material(target, qty)
        return 0

    def netted(self, demand: np.ndarray) -> np.ndarray:
        """What a master schedule makes without a supply review: demand plus safety stock, net of stock.

        It nets the projected stock and backorders month by month (a chase of demand) and
        the plant works whatever hours it has. What it does not do is look ahead: no
        capacity check, no pre-build, no hires, no overtime planned for a peak.
        """
        stock = np.array(self.cycle.meetings["supply_review"].opening(demand), dtype=float)
        dem = np.maximum(demand[1:], 0.0)
        safety = self.info.facts.plant.safety_months
        out = np.zeros_like(dem)
        for h in range(len(dem)):
            nxt = dem[h + 1] if h + 1 < len(dem) else dem[h]
            q = np.maximum(0.0, dem[h] + safety * nxt - stock)
            stock = stock + q - dem[h]
            out[h] = q
        return out

    def authorize(self, month: int) -> None:
        """Make this month's plan the one authorized operating plan."""
        c = self.cycle
        st = c.state
        plan = st.supply_plan
        if plan is None:  # no supply review: the master schedule nets the demand plan against stock
            src = st.demand or st.stat
            plan = Plan("supply", month, month + 1, self.netted(src.units))
        c.authorized = Plan("authorized", month, plan.first, np.round(plan.units),
                            label=f"S&OP plan authorized in {month_label(month)}")
        c.authorized_demand = st.demand or st.stat
        c.rec.plan(month, c.authorized, "authorized")
