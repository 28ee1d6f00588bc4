"""The supply review's textbook alternatives: level, chase, hybrid and optimal workforce plans.

At every supply review operations sets the horizon's demand plan in *labour hours*
(units of each family times its hours per unit) against today's workforce and prices
the three classic aggregate strategies and the least-cost plan with
:func:`~sop_sim.planning.production_plan`, the same code the exercises use. The run
records only the inputs; the pricing is done when someone asks (``Result.alternatives``),
so runs stay fast and their numbers do not depend on it.

Conventions for the aggregate (one "unit" is one labour hour):

* regular labour is paid per worker (``hours_per_worker * wage``), busy or not;
* overtime costs ``wage * overtime_premium`` an hour, up to the overtime cap;
* subcontracting costs the mix's outsourced cost per hour, up to the contractor's capacity;
* a layoff costs two months' wages (the default company never lays off; the chase plan
  shows what it would cost);
* stock is carried at the mix's standard cost per hour times the monthly carrying rate;
* an hour of demand not supplied in time is a backorder costing the lost contribution;
* a hire decided at this review works only after the hiring lead time (``hire_lead``,
  months from the first planned month): an alternative that would need more people
  sooner is reported infeasible with the reason, never priced as if the plant could
  staff it. Records kept before the lead time was recorded price as if hires were
  immediate.
"""

from __future__ import annotations

from typing import Any

from sop_sim.errors import ScenarioError

STRATEGIES = ("level", "chase", "hybrid", "optimal")


def alternatives_input(month: int, demand_hours: list[float], workers: int, safety_hours: float,
                       rates: dict[str, float]) -> dict[str, Any]:
    """The record a supply review keeps so its alternatives can be priced later."""
    return {"month": month, "demand_hours": [float(h) for h in demand_hours], "workers": int(workers),
            "safety_hours": float(safety_hours), **rates}


def price_alternatives(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """Price level, chase, hybrid and the optimum for one supply review's record."""
    # imported here: the aggregate planner needs pandas, which a run never loads
    from sop_sim.planning.aggregate import production_plan

    hpw = rec["hours_per_worker"]
    kw = dict(
        initial_workers=rec["workers"], units_per_worker=hpw, hire_cost=rec["hire_cost"],
        fire_cost=2 * hpw * rec["wage"], unit_cost=0.0, carrying_cost=rec["carrying_per_hour"],
        safety_stock=rec["safety_hours"], labour_cost_per_worker=hpw * rec["wage"],
        overtime_cost=rec["wage"] * rec["overtime_premium"], max_overtime_per_worker=hpw * rec["overtime_share"],
        subcontract_cost=rec["outsource_per_hour"], max_subcontract_units=rec["outsource_cap_hours"],
        allow_backorders=True, backorder_cost=rec["lost_per_hour"],
        hire_lead_periods=int(rec.get("hire_lead", 0)),
    )
    rows = []
    for strategy in STRATEGIES:
        row: dict[str, Any] = {"month": rec["month"], "strategy": strategy}
        try:
            plan = production_plan(strategy, rec["demand_hours"], **kw)
        except ScenarioError as exc:  # an infeasible textbook plan is reported, not raised
            row.update(total_cost=float("nan"), peak_workers=float("nan"), note=str(exc))
        else:
            a = plan.arrays
            row.update(total_cost=plan.total_cost, peak_workers=int(max(a["workers"])),
                       hired=int(sum(a["hired"])), fired=int(sum(a["fired"])),
                       peak_stock_hours=float(max(a["ending_inventory"])), note="")
        rows.append(row)
    return rows
