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

from sop_sim.cycle.base import Issue, Line, Meeting

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

    def gap_issue(self, month: int, gap: float) -> Issue:
        """Finance's gap issue, with the options its policy prices."""
        c = self.cycle
        policy = c.agents["finance"].policy
        options, recommendation, payload = policy.gap_options(
            self.info.view("finance", month), {"month": month, "gap": gap, "supply": c.state.supply})
        return c.new_issue("aop_gap", month, self.step, f"revenue runs {gap:.1%} below the annual operating plan",
                           options=options, recommendation=recommendation, payload=payload)

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
            note = (Line("raw_issues", f"{len(st.issues)} raw issues go to the executives without options or a "
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
                st.issues.append(self.gap_issue(month, gap))
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
                c.open_issues.append(iss)
            elif iss.id in reached:
                iss.status, iss.closed_day = "resolved", c.now()
                iss.choice = "accept" if iss.kind in ("capacity", "aop_gap") else (iss.recommendation or "accept")
                decisions.append(Line("settled", f"{iss.id} ({iss.kind}) settled here: {iss.choice}"))
            else:
                iss.prepared, iss.recommendation = False, None
                c.open_issues.append(iss)
                notes.append(Line("not_reached", f"{iss.id} not reached: passed on raw"))
        st.recommended = st.supply_plan or st.demand or st.stat
        sent = [i for i in st.issues if i.status == "open"]
        actions = [f"process_owner: put {i.id} ({i.kind}) on the executive agenda"
                   + (f" with options and the recommendation '{i.recommendation}'" if i.prepared else ", unpriced")
                   for i in sent]
        self.rec.meeting(month, self.step, c.now(), present=present, absent=absent,
                         inputs=["demand_plan" if st.demand else "statistical forecast",
                                 "supply_plan" if st.supply_plan else "no supply plan", "financial_projection"],
                         outputs=["recommended_plan"], decisions=decisions, notes=notes,
                         escalations=[i.id for i in sent], actions=actions)
