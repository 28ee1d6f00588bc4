"""Aggregate production planning: level, chase, hybrid and optimal plans with their costs.

This is the supply review's toolbox and CPIM exam material in its own right. Given a
demand plan for one product family (units per period), :func:`production_plan` works
out how many workers to employ each period, how much to make on regular time, on
overtime or by subcontracting, what the ending inventory is, and what all of it costs.
:func:`price_plan` prices a plan someone else drew up (a textbook's, a learner's) and
names the first constraint it breaks. :func:`compare_strategies` lays the strategies
side by side so operations can propose alternatives with their costs and finance can
price them.

Conventions, and the textbook families that use them
----------------------------------------------------
Textbooks agree on the arithmetic but not on the conventions; each one is a parameter.

* **Inventory targets.** Without backorders every period ends with at least the safety
  stock on hand (``safety_stock`` units, or ``safety_stock_share`` of the period's
  demand as in Jacobs & Chase's "25% of the month's demand"). The *last* period's
  condition is ``ending_inventory`` when given (Chopra & Meindl's "end June with at
  least 500 units", Stevenson's "planned ending inventory is zero"); otherwise the plan
  ends at the safety stock. The plan starts at ``initial_inventory`` (default: the first
  period's safety stock). If the starting stock alone exceeds what the whole horizon
  needs, nothing is made and the surplus is simply left over.
* **Workforce.** Workers are hired or laid off at the start of a period (all
  families); the first change is measured against ``initial_workers``. With
  ``ending_workers`` the workforce is brought back to that size after the last period
  (a year-end condition some textbook chase plans use, e.g. "return to the starting
  workforce"); those moves are the ``closing_hired`` / ``closing_fired`` columns of
  the last row and are costed there. ``hire_lead_periods`` models recruiting and
  training: a hire decided now works only from that period on, so no plan may hire
  before it.
* **Capacity.** Either ``units_per_worker`` per period (Jacobs & Chase's "100 units per
  worker per quarter") or ``working_days`` per period times ``units_per_worker_day``
  (Heizer & Render and Chopra & Meindl count working days per month).
* **Costs.** ``labour_cost_per_worker`` is the regular-time pay per worker per period,
  paid busy or idle (Chopra & Meindl, Krajewski; 0 when the textbook folds labour into
  the unit cost, as Jacobs & Chase's "$100 per unit" does). ``unit_cost`` applies to
  every unit made in-house, on regular time or overtime (Chopra & Meindl's material
  cost, or the regular labour cost per unit). ``overtime_cost`` is what an overtime
  unit costs on top of that, capped per worker by ``max_overtime_per_worker`` (units)
  and in total by ``max_overtime_units``. ``subcontract_cost`` is the all-in price of a
  bought unit (no ``unit_cost`` on top). ``backorder_cost`` is per unit per period;
  backorders must be cleared by the end of the horizon.
* **Carrying cost.** ``carrying_on="ending"`` charges ``carrying_cost`` on each
  period's ending inventory (Chopra & Meindl, Jacobs & Chase, Heizer & Render);
  ``"average"`` on the average of beginning and ending stock (Stevenson). Units on hand
  only, never a backlog.
* **Whole workers.** Every workforce size is a whole number (``integer_workers=True``):
  level, chase and hybrid round **up** (``ceil``), so capacity is never short, and
  production never exceeds what the plan needs, so a rounded-up workforce leaves some
  capacity unused (column ``unused_capacity``) rather than over-building stock.
  ``integer_workers=False`` allows fractional workers, as textbooks that report "7.6
  workers" do, and makes the optimum the LP relaxation.

Strategies
----------
``"level"``
    One workforce size for every period, the smallest that never falls below the
    inventory targets: the largest over periods t of
    ``ceil((cumulative demand to t + target_t - initial_inventory) / cumulative capacity per worker to t)``
    (Nahmias's minimum constant workforce). With ``allow_backorders=True`` only the
    whole horizon counts and shortfalls become backorders. No overtime or
    subcontracting.
``"chase"``
    Each period produces exactly what brings inventory back to its target (its demand,
    once inventory sits at safety stock), with ``ceil(requirement / capacity per
    worker)`` workers, hiring and firing as needed.
``"hybrid"``
    A stable crew of ``hybrid_workers`` (default: ``initial_workers``) with inventory,
    overtime and subcontracting: regular time runs at full capacity (never beyond what
    the rest of the plan needs); whenever a period would end below its target the gap
    is filled with overtime, then subcontracting, within their limits. Without
    backorders, what is still missing is built ahead with spare overtime, then spare
    subcontracting, in the periods before (latest first, so stock waits the least); with
    ``allow_backorders`` it becomes a backorder. If neither covers it, the plan is
    infeasible (:class:`InfeasiblePlanError`).
``"optimal"``
    The least-cost plan over regular time, overtime, subcontracting, hiring, layoffs,
    inventory and backorders under the same constraints, solved as a mixed-integer
    program by HiGHS (:func:`scipy.optimize.milp`; see :mod:`sop_sim.planning.optimum`).
    Every level, chase or hybrid plan is one of the plans it considers, so it never costs
    more than they do. Its table adds each constraint's slack where it helps to see what
    binds (``spare_overtime``, ``spare_subcontract``, ``above_target``).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from sop_sim.errors import ScenarioError
from sop_sim.planning.cases import CARRYING_ON, InfeasiblePlanError, planning_inputs
from sop_sim.planning.heuristics import heuristic_plan, hybrid_crew
from sop_sim.planning.plan import COST_COLUMNS, COST_TYPES, ProductionPlan, assemble

__all__ = [
    "CARRYING_ON",
    "COST_COLUMNS",
    "COST_TYPES",
    "STRATEGIES",
    "InfeasiblePlanError",
    "ProductionPlan",
    "production_plan",
]

STRATEGIES: tuple[str, ...] = ("level", "chase", "hybrid", "optimal")
"""The strategies :func:`production_plan` knows."""


def production_plan(
    strategy: str,
    demand: Sequence[float] | np.ndarray | pd.Series,
    *,
    hybrid_workers: int | None = None,
    **options: Any,
) -> ProductionPlan:
    """Build a level, chase, hybrid or optimal aggregate production plan and cost it.

    The conventions (inventory targets, hiring at the start of a period, carrying cost,
    whole workers) and the exact definition of each strategy are in the module
    docstring of :mod:`sop_sim.planning.aggregate`, with the textbooks that use each.

    Every keyword but ``hybrid_workers`` is an option of the planning case, checked by
    :func:`sop_sim.planning.cases.planning_inputs` (the one list of them, shared with
    :func:`sop_sim.planning.pricing.price_plan`); the signature shown by ``help`` lists them.

    Parameters
    ----------
    strategy : {"level", "chase", "hybrid", "optimal"}
        How to absorb swings in demand (see the module docstring).
    demand : sequence of float, numpy array or pandas Series
        Units demanded per period, at least one period, each >= 0. A Series lends
        its index as period labels unless ``periods`` is given.
    initial_workers : int
        Workers on the payroll before the first period.
    hire_cost, fire_cost : float
        $ per worker hired or laid off.
    unit_cost : float
        $ per unit made in-house (regular time or overtime): material, or the regular
        labour cost per unit when the textbook prices labour per unit.
    carrying_cost : float
        $ per unit on hand per period (see ``carrying_on``).
    units_per_worker : float, optional
        Regular-time units one worker makes per period (> 0). Give this, or
        ``working_days`` with ``units_per_worker_day``.
    working_days : float or sequence of float, optional
        Working days in each period (one number for all, or one per period).
    units_per_worker_day : float, optional
        Regular-time units one worker makes per working day.
    safety_stock : float, default 0
        Units every period ends with at least (without backorders).
    safety_stock_share : float, optional
        Safety stock as a share of each period's demand (e.g. 0.25); instead of
        ``safety_stock``.
    initial_inventory : float, optional
        Units on hand before the first period; defaults to the first period's safety stock.
    ending_inventory : float, optional
        Units the last period must end with at least, instead of its safety stock.
    ending_workers : int, optional
        Workforce to return to after the last period (closing hires or layoffs, costed
        in the last period). ``None``: the workforce stays as it is.
    labour_cost_per_worker : float or sequence of float, default 0
        Regular-time pay, $ per worker per period, paid busy or idle.
    hybrid_workers : int, optional
        The stable crew of a hybrid plan; defaults to ``initial_workers``.
    overtime_cost : float, optional
        $ per overtime unit on top of ``unit_cost``. ``None``: no overtime.
    max_overtime_units, max_overtime_per_worker : float, optional
        Overtime limit per period, in units and in units per worker; the tighter
        applies. Both ``None``: unlimited.
    subcontract_cost : float, optional
        All-in $ per subcontracted unit. ``None``: no subcontracting.
    max_subcontract_units : float, optional
        Subcontracting limit per period, in units; ``None``: unlimited.
    allow_backorders : bool, default False
        Let inventory fall below its target, down to a backlog (negative ending
        inventory). Backorders must be cleared by the end.
    backorder_cost : float, default 0
        $ per unit backordered at the end of a period.
    carrying_on : {"ending", "average"}, default "ending"
        Charge carrying cost on ending inventory or on the average of beginning and
        ending inventory.
    hire_lead_periods : int, default 0
        Periods before a hire decided now starts working: no plan may hire in the
        first ``hire_lead_periods`` periods.
    integer_workers : bool, default True
        Whole workers; ``False`` allows fractional workers (the optimum is then the LP
        relaxation).
    periods : sequence of hashable, optional
        Period labels (e.g. ``["Jan", "Feb"]``); default ``1..T``.

    Returns
    -------
    ProductionPlan
        ``total_cost`` and ``arrays`` are computed at once; ``table`` and
        ``cost_breakdown`` are built on first access.

    Raises
    ------
    ScenarioError
        On bad input, with one line naming the argument, the value and what is
        allowed; :class:`InfeasiblePlanError` (a ScenarioError) when the options
        cannot cover demand and the inventory targets.

    Examples
    --------
    >>> plan = production_plan("chase", [1000, 2000, 4000, 3000], initial_workers=15,
    ...     units_per_worker=100, hire_cost=2000, fire_cost=3000, unit_cost=100,
    ...     carrying_cost=25, safety_stock=100)
    >>> plan.total_cost
    1115000.0
    """
    if strategy not in STRATEGIES:
        raise ScenarioError(
            f"strategy={strategy!r} is not allowed: expected one of {', '.join(STRATEGIES)}"
        )
    case = planning_inputs(demand, **options)
    if strategy == "optimal":
        from sop_sim.planning.optimum import solve

        if hybrid_workers is not None:  # validated for every strategy, used by hybrid only
            hybrid_crew(hybrid_workers, case)

        workers, regular, overtime, subcontract = solve(case)
        return assemble("optimal", case, workers, regular, overtime, subcontract, slacks=True)
    return heuristic_plan(strategy, case, hybrid_workers)


# help() and IDEs show every option by name, although they are checked in one place
# (hybrid_workers stands after the labour cost, where the docstring lists it).
_OPTIONS = [p for name, p in inspect.signature(planning_inputs).parameters.items() if name != "demand"]
_AT = [p.name for p in _OPTIONS].index("labour_cost_per_worker") + 1
_STRATEGY, _DEMAND, _HYBRID, _ = inspect.signature(production_plan).parameters.values()
production_plan.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [_STRATEGY, _DEMAND, *_OPTIONS[:_AT], _HYBRID, *_OPTIONS[_AT:]], return_annotation="ProductionPlan"
)
