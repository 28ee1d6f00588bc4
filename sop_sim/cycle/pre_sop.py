"""Step 4, pre-S&OP (~day 13): reconcile demand, supply and finance; prepare the executive agenda.

Covers: the plan in money against the annual operating plan (AOP), the gap finance may
raise with options to close it, which issues are settled here and which go to the
executives with options and a recommendation.

Leads: the S&OP process owner facilitates (without it the step is not held); finance
prices the plan and the options.
Reads: this month's demand and supply plans and issues (``cycle.state``), prices and the
AOP through the information layer; finance's policy (``gap_options``) and the process
owner's (``at_pre_sop``) decide what is raised and escalated.
Writes: ``state.recommended`` (the plan put to the executives), the gap issue, each
issue's fate (settled here, or escalated into ``cycle.open_issues`` prepared or raw)
and the minutes. Not held: raw, unpriced issues go straight to the executives.
"""

from __future__ import annotations

import numpy as np

from sop_sim.cycle.base import Issue, Line, Meeting, choice_words, counted
from sop_sim.planning.supply import PRICING_MONTHS

#: Months between two gap issues: a gap-closing action needs a quarter to show in the numbers.
GAP_COOLDOWN_MONTHS = 3


class PreSOP(Meeting):
    """Puts the plans in money, settles what it can and prepares the escalations."""

    step = "pre_sop"

    def aop_gap(self, month: int) -> float:
        """Finance's view: the next 12 months' revenue against the AOP (positive = short).

        Revenue is projected as the demand plan in money, less the units the supply plan
        says the plant cannot make (its residual gap before any option is chosen).
        """
        st = self.cycle.state
        demand = (st.demand or st.stat).units[1:13]
        n = len(demand)
        price = np.array(self.info.facts.price)
        proj = float((demand * price).sum())
        if st.supply is not None:
            proj -= float((np.array(st.supply.residual_units[:n]) * price).sum())
        aop = self.info.aop_revenue(month + 1, month + 1 + n)
        return 1.0 - proj / aop if aop else 0.0

    def gap_issue(self, month: int, gap: float) -> tuple[Issue | None, Line | None]:
        """Finance's gap issue, with the options its policy prices; none if no option adds to the margin.

        Returns the issue (or None) and the minutes line with finance's pricing.
        """
        c = self.cycle
        policy = c.agents["finance"].policy
        options, recommendation, payload = policy.gap_options(
            self.info.view("finance", month), {"month": month, "gap": gap, "supply": c.state.supply})
        promo = next((o for o in options if o[0] == "promote"), None)
        if recommendation == "accept" or promo is None:
            line = None if promo is None else Line(
                "promotion_declined", f"finance priced the gap-closing option '{promo[1]}': it would take "
                f"{promo[2]:,.0f} from the margin, so it is not proposed and the outlook is revised")
            return None, line
        iss = c.new_issue("aop_gap", month, self.step, f"revenue runs {gap:.1%} below the annual operating plan",
                          options=options, recommendation=recommendation, payload=payload)
        return iss, Line("promotion_priced", f"finance priced {iss.name}: '{promo[1]}' adds {-promo[2]:,.0f} to the "
                         "margin")

    def price_capacity(self, iss: Issue) -> Line:
        """Finance prices operations' options against the margin: the scenarios the executives choose from.

        Each option's cost is its full effect (:mod:`sop_sim.economics`): what it spends plus
        what the demand it still leaves unserved costs; the hire is sized to cost least. The
        line gives the contribution of the next year's demand under each scenario (the window
        the options are priced over).
        """
        plan = iss.payload
        iss.options = [(o.id, o.label, o.cost) for o in plan.options]
        best = plan.recommended()
        iss.recommendation = best.id if best else None
        facts = self.info.facts
        window = plan.demand[:PRICING_MONTHS]
        unit_margin = [p - m for p, m in zip(facts.price, facts.material_cost, strict=True)]
        demand = sum(sum([r[j] * unit_margin[j] for j in range(len(r))]) for r in window)
        overtime = sum(plan.overtime_hours[:PRICING_MONTHS]) * facts.plant.wage * facts.plant.overtime_premium
        base = demand - overtime
        scenarios = "; ".join([f"all demand supplied (were capacity free) {base:,.0f}"]
                              + [f"{'recommended: ' if best is not None and o.id == best.id else ''}{o.id} "
                                 f"{base - o.cost:,.0f}" for o in plan.options])
        return Line("scenarios_priced", f"finance priced {iss.name}: contribution over the next "
                    f"{len(window)} months by scenario: {scenarios}")

    def run(self, month: int):
        c = self.cycle
        st = c.state
        present, absent = c.attendance(self.step, month)
        held = self.step not in self.sc.skip_steps and "process_owner" in present
        if not held:
            skipped = self.step in self.sc.skip_steps
            for iss in st.issues:
                iss.prepared = False
                iss.recommendation = None
                c.open_issues.append(iss)
            note = (Line("raw_issues", f"{counted(len(st.issues), 'raw issue')} go"
                         f"{'es' if len(st.issues) == 1 else ''} to the executives without options or a "
                         "recommendation") if st.issues
                    else Line("no_reconciliation", "no reconciliation of demand, supply and finance"))
            self.not_held(month, "skipped" if skipped else "not_held_no_lead",
                          "skipped by design" if skipped else "not held: process owner absent", [note],
                          present, absent, cancelled_by=() if skipped else ("process_owner",))
            return
        notes: list[Line] = []
        decisions: list[Line] = []
        gap = self.aop_gap(month)
        ctx = {"month": month, "aop_gap": gap if month - c.last_gap_flag >= GAP_COOLDOWN_MONTHS else 0.0,
               "issues": st.issues}
        finance_here = "finance" in present
        if finance_here:
            d = yield from c.ask("finance", self.step, month, ctx)
            decisions.append(Line("aop_gap_projected", f"finance: the next 12 months project {abs(gap):.1%} "
                                  f"{'below' if gap > 0 else 'above'} the annual operating plan"))
            if d["flag_gap"] and gap > 0:
                iss, line = self.gap_issue(month, gap)
                if iss is not None:
                    st.issues.append(iss)
                if line is not None:
                    decisions.append(line)
                c.last_gap_flag = month
        else:
            notes.append(Line("absent", "finance absent: the plan was not translated into money or checked "
                              "against the AOP", "finance"))
        ctx["issues"] = st.issues
        decision = yield from c.ask("process_owner", self.step, month, ctx)
        escalate = set(decision.get("escalate", []))
        reached, missed = c.agenda(c.review_items() + [(i.id, "issue") for i in st.issues])
        for iss in st.issues:
            if iss.id in escalate and iss.id in reached:
                iss.prepared = finance_here
                if not finance_here:
                    iss.recommendation = None
                elif iss.kind == "capacity":
                    decisions.append(self.price_capacity(iss))
                c.open_issues.append(iss)
            elif iss.id in reached:
                iss.status, iss.closed_day = "resolved", c.now()
                iss.choice = "accept" if iss.kind in ("capacity", "aop_gap") else (iss.recommendation or "accept")
                decisions.append(Line("settled", f"{iss.name} settled here: {choice_words(iss.choice)}"))
            else:
                iss.prepared, iss.recommendation = False, None
                c.open_issues.append(iss)
                notes.append(Line("not_reached", f"{iss.name} not reached: passed on raw"))
        st.recommended = st.supply_plan or st.demand or st.stat
        cap = next((i for i in st.issues if i.kind == "capacity"), None)
        decisions.append(Line("plan_recommended", f"recommended plan: {st.recommended.label or st.recommended.version}"
                              + (f", with '{choice_words(cap.recommendation)}' chosen for the capacity gap ({cap.summary})"
                                 if cap is not None and
                                 cap.recommendation else ", all demand covered" if st.supply is not None and
                                 not st.supply.options else "")))
        sent = [i for i in st.issues if i.status == "open"]
        actions = [f"process owner: put {i.name} on the executive agenda"
                   + (f" with options and the recommendation '{choice_words(i.recommendation)}'" if i.prepared else ", unpriced")
                   for i in sent]
        self.rec.meeting(month, self.step, c.now(), present=present, absent=absent,
                         inputs=["demand_plan" if st.demand else "statistical forecast",
                                 "supply_plan" if st.supply_plan else "no supply plan", "financial_projection"],
                         outputs=["recommended_plan"], decisions=decisions, notes=notes,
                         escalations=[i.id for i in sent], actions=actions)
