"""Step 3, supply review (~day 10): operations and supply chain test the demand plan against the plant.

Covers: labour, overtime and material against the demand plan; building ahead of
peaks; the workforce plan (level, chase and hybrid priced side by side); the material
order; options and their costs for any capacity gap, and overtime to approve.

Leads: operations and supply chain (with neither present the step is not held);
finance brings the overtime budget, human resources the hiring option.
Reads: this month's demand plan (``state.demand``, or the statistical forecast with
silos or no demand review), the data baseline's stock and backlog, the plan in force,
workers and outsourcing already committed, the material position, the overtime budget
as finance knows it (only with finance present), a breakdown operations knows of (only
with operations present) and the plant's standards, all through the information layer.
Writes: ``state.supply_inputs`` (what the planner was given), ``state.supply`` (its
result with the options), ``state.supply_plan``
(the ``supply`` plan version), capacity and overtime issues in ``state.issues``, the
material order (through ``act``), the alternatives record and the minutes. Not held:
supply chain places routine material orders and the demand plan goes forward unchecked.
"""

from __future__ import annotations

import numpy as np

from sop_sim.calendar import month_label
from sop_sim.cycle.base import Line, Meeting, Plan, counted
from sop_sim.cycle.materials import MaterialOrders
from sop_sim.planning.alternatives import alternatives_input
from sop_sim.planning.supply import SupplyInputs, plan_supply


class SupplyReview(Meeting):
    """Checks the demand plan against capacity and material and prices the options for a gap."""

    step = "supply_review"

    def __init__(self, cycle) -> None:
        super().__init__(cycle)
        self.materials = MaterialOrders(cycle)

    def opening(self, demand: np.ndarray) -> list[float]:
        """Net stock expected at the start of the plan: baseline stock - backlog + this month's plan - demand."""
        c = self.cycle
        inv, backlog = (c.baseline["inventory"], c.baseline["backlog"]) if c.baseline else \
            self.info.stock_counted_now()
        plan_now = self.info.plan_in_force()
        first = demand[0].tolist()  # plain floats: the same numbers, without numpy scalar arithmetic
        return [inv[j] - backlog[j] + plan_now[j] - first[j] for j in range(c.F)]

    def run(self, month: int):
        c = self.cycle
        st = c.state
        info = self.info
        facts = info.facts
        plant = facts.plant
        demand = st.demand if (st.demand is not None and not self.sc.silos) else st.stat
        present, absent = c.attendance(self.step, month)
        leads = c.kb.leads(self.step)
        held = self.step not in self.sc.skip_steps and bool(leads & set(present))
        if not held:
            skipped = self.step in self.sc.skip_steps
            self.materials.routine(month, demand)
            self.not_held(month, "skipped" if skipped else "not_held_no_lead",
                          "skipped by design" if skipped else "not held: no lead present",
                          [Line("no_capacity_check", "no capacity check: the plan has not been tested against "
                                "labour, overtime or material"),
                           Line("no_workforce_plan", "no workforce plan: nobody hires ahead of a peak; hiring "
                                "happens only once backorders have piled up")],
                          present, absent)
            return
        reached, missed = c.agenda(c.review_items() + [("capacity", "issue"), ("materials", "issue")])
        ctx = {"month": month, "first": month + 1, "last": month + c.H, "families": c.fam_ids}
        ops = {"strategy": "chase", "allow_overtime": True, "prebuild": False}
        if "operations" in present:
            ops = yield from c.ask("operations", self.step, month, ctx)
        if "capacity" not in reached:
            ops = {**ops, "prebuild": False}
        sc_dec = {"buffer_pct": 10.0, "prebuy": False}
        if "supply_chain" in present:
            sc_dec = yield from c.ask("supply_chain", self.step, month, ctx)
        notes: list[Line] = []
        decisions: list[Line] = []
        first = month + 1
        months = range(first, first + c.H)
        ot_share = [plant.overtime_share] * c.H
        budget = info.overtime_budget("finance", month, months)  # what finance knows of the budget now
        if "finance" in present:
            ot_share = budget
        elif any(x < plant.overtime_share for x in budget):
            notes.append(Line("overtime_budget_assumed", "finance absent: the plan assumes the full overtime "
                              "budget", "finance"))
        capacity = [1.0] * c.H
        if "operations" in present:  # a breakdown operations knows of reaches the plan through it
            capacity = info.capacity_known("operations", month, months)
            for t, f in zip(months, capacity, strict=True):
                if f < 1.0:
                    decisions.append(Line("breakdown_planned", f"operations planned {month_label(t)} at {f:.0%} of "
                                          "capacity (a known breakdown)"))
        dem = demand.units
        inp = SupplyInputs(
            first=first, demand=dem[1:].tolist(), opening=self.opening(dem),
            hours_per_unit=facts.hours_per_unit, unit_cost=facts.unit_cost, material_cost=facts.material_cost,
            price=facts.price, workers=info.workers_planned_for(months),
            hours_per_worker=plant.hours_per_worker, wage=plant.wage,
            capacity_factor=capacity, overtime_share=ot_share,
            safety_months=plant.safety_months,
            hire_lead=plant.hire_lead_months - 1, outsource_lead=plant.outsource_lead_months - 1,
            hire_cost=plant.cost_per_hire, overtime_premium=plant.overtime_premium,
            outsource_premium=plant.outsource_premium, strategy=ops["strategy"],
            scheduled=info.outsourcing_scheduled_for(months),
            outsource_cap_hours=plant.outsource_capacity_hours,
            allow_overtime=ops["allow_overtime"], allow_prebuild=ops["prebuild"],
            late_freight_rate=plant.late_freight_rate,
        )
        st.supply_inputs = inp
        plan = plan_supply(inp)
        self.record_alternatives(month, dem[1:], inp)
        if "human_resources" not in present and plan.options:
            plan.options = [o for o in plan.options if o.id != "hire"]
            plan.raw_options = [o for o in plan.raw_options if o.id != "hire"]
            notes.append(Line("absent", "human resources absent: hiring could not be assessed", "human_resources"))
        st.supply = plan
        base = np.array(plan.production)
        decisions.append(Line("alternatives_priced", "operations compared level, chase and hybrid workforce plans "
                              "for the horizon and priced each"))
        decisions.append(Line("strategy_chosen", f"{ops['strategy']} strategy; {plan.prebuilt_hours:,.0f} hours "
                              f"built ahead of peaks; {sum(plan.overtime_hours):,.0f} overtime hours planned"))
        if plan.level_hires:
            decisions.append(Line("level_hires", f"level plan needs {plan.level_hires} more workers (part of the "
                                  "capacity issue)"))
        rec = plan.recommended()
        shown = base.copy()
        if rec is not None and rec.extra_production:
            shown = shown + np.array(rec.extra_production)
        st.supply_plan = Plan("supply", month, first, shown, label=f"supply plan of {month_label(month)}")
        self.rec.plan(month, st.supply_plan, "supply")
        if plan.options and "capacity" in reached:
            iss = c.new_issue("capacity", month, self.step,
                              f"{plan.gap_units:,} units of demand do not fit the plant in the next {c.H} months",
                              # operations' own options; finance prices them at the pre-S&OP
                              options=[(o.id, o.label, o.cost) for o in plan.raw_options],
                              recommendation=rec.id if rec else None, payload=plan)
            st.issues.append(iss)
        elif plan.options:
            notes.append(Line("agenda_overran", f"agenda overran before the capacity gap ({plan.gap_units:,} units) "
                              "was discussed"))
        if sum(plan.overtime_hours) > 0:
            st.issues.append(c.new_issue("overtime", month, self.step,
                                         f"approve {sum(plan.overtime_hours):,.0f} overtime hours",
                                         options=[("approve", "Approve the overtime", 0.0)],
                                         recommendation="approve", needs_executive=False))
        self.materials.order(month, base, sc_dec, notes, decisions)
        if missed:
            notes.append(Line("agenda_overran", f"agenda overran: {counted(len(missed), 'item')} not reached"))
        actions = [f"operations: take {i.name} to the pre-S&OP with its options" for i in st.issues]
        actions.append(f"supply chain: confirm the material order for {month_label(month + plant.material_lead_months)}"
                       " with suppliers")
        self.rec.meeting(month, self.step, c.now(), present=present, absent=absent,
                         inputs=["demand_plan" if demand.version == "consensus" else "statistical forecast"],
                         outputs=["supply_plan", "material_plan", "workforce_plan"],
                         decisions=decisions, notes=notes, escalations=[i.id for i in st.issues], actions=actions)

    def record_alternatives(self, month: int, demand: np.ndarray, inp: SupplyInputs) -> None:
        """Keep what operations needs to price level, chase, hybrid and optimal plans (priced on request)."""
        facts = self.info.facts
        p = facts.plant
        hpu = np.array(facts.hours_per_unit)
        hours = demand @ hpu
        mix = demand.sum(axis=0)
        mix_hours = float(mix @ hpu) or 1.0
        per_hour = lambda values: float(mix @ np.array(values)) / mix_hours  # noqa: E731
        cost_per_hour = per_hour(facts.unit_cost)
        self.rec.alternatives.append(alternatives_input(
            month, hours.tolist(), self.info.workers_planned(month + 1), p.safety_months * float(hours[0]),
            {"hours_per_worker": p.hours_per_worker, "wage": p.wage, "hire_cost": p.cost_per_hire,
             "overtime_premium": p.overtime_premium, "overtime_share": inp.overtime_share[0],
             # holding the stock costs its carrying rate and the capital tied up in it
             "carrying_per_hour": cost_per_hour * (p.carrying_rate + self.sc.company.cost_of_capital / 12),
             "outsource_per_hour": cost_per_hour * (1 + p.outsource_premium),
             "outsource_cap_hours": p.outsource_capacity_hours, "hire_lead": inp.hire_lead,
             "lost_per_hour": per_hour([pr - mc for pr, mc in zip(facts.price, facts.material_cost, strict=True)])},
        ))
