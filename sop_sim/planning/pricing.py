"""Pricing a plan drawn up elsewhere (a textbook's, a learner's) and naming what it breaks."""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from sop_sim.errors import ScenarioError
from sop_sim.planning.cases import PlanningCase, planning_inputs
from sop_sim.planning.plan import ProductionPlan, assemble, worker_count

__all__ = ["price_plan"]


def _decisions(name: str, value: Any, n: int, *, whole: bool) -> np.ndarray:
    """One non-negative number per period (whole numbers for workers when ``whole``)."""
    if value is None:
        return np.zeros(n)
    what = "whole number of workers" if whole else "number of units"
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 1 or arr.size != n:
        raise ScenarioError(f"{name}={value!r} is not allowed: expected {n} numbers, one per period")
    for i, x in enumerate(arr.tolist()):
        if not math.isfinite(x) or x < 0 or (whole and x != round(x)):
            raise ScenarioError(f"{name}[{i}]={x!r} is not allowed: expected a {what} >= 0")
    return arr


def _first_violation(plan: ProductionPlan, case: PlanningCase) -> str | None:
    """The first constraint a given plan breaks, in period order, in one line; ``None`` if none."""
    a, labels, tol = plan.arrays, case.labels, case.tol
    ot_cap = case.overtime_cap(a["workers"])
    sub_cap = case.subcontract_cap()
    lead = case.hire_lead_periods
    for t in range(case.n):
        p = f"period {labels[t]}"
        w = worker_count(a["workers"][t])
        if t < lead and a["hired"][t] > 0:
            return (f"{p} hires {worker_count(a['hired'][t])} workers, but a hire decided now only starts working "
                    f"after {lead} periods (hire_lead_periods={lead})")
        reg, most = a["regular_units"][t], a["workers"][t] * case.capacity[t]
        if reg > most + tol:
            return f"{p} makes {reg:,.0f} units on regular time, more than {w} workers can make ({most:,.0f})"
        ot = a["overtime_units"][t]
        if ot > ot_cap[t] + tol:
            limit = "no overtime is allowed (overtime_cost not given)" if case.overtime_cost is None else (
                f"the overtime limit is {ot_cap[t]:,.0f} units")
            return f"{p} uses {ot:,.0f} overtime units, but {limit}"
        sub = a["subcontract_units"][t]
        if sub > sub_cap[t] + tol:
            limit = "no subcontracting is allowed (subcontract_cost not given)" if case.subcontract_cost is None \
                else f"the subcontracting limit is {sub_cap[t]:,.0f} units"
            return f"{p} subcontracts {sub:,.0f} units, but {limit}"
        end = a["ending_inventory"][t]
        last = t == case.n - 1
        if end < -tol and (last or not case.allow_backorders):
            why = "backorders must be cleared by the end" if case.allow_backorders else (
                "backorders are not allowed (allow_backorders=False)")
            return f"{p} leaves {-end:,.0f} units of demand unmet, but {why}"
        if end < case.target[t] - tol and (last or not case.allow_backorders):
            kind = "the required ending inventory" if last else "safety stock"
            return f"{p} ends with {end:,.0f} units, below {kind} ({case.target[t]:,.0f})"
    return None


def price_plan(
    demand: Sequence[float] | np.ndarray | pd.Series,
    *,
    production: Sequence[float],
    workers: Sequence[int],
    overtime: Sequence[float] | None = None,
    subcontract: Sequence[float] | None = None,
    **options: Any,
) -> ProductionPlan:
    """Price a plan given period by period and name the first constraint it breaks.

    Parameters
    ----------
    demand : sequence of float, numpy array or pandas Series
        As for :func:`production_plan`.
    production : sequence of float
        Units made on regular time in each period.
    workers : sequence of int
        Workers on the payroll in each period (hires and layoffs follow from the
        changes, starting from ``initial_workers``).
    overtime, subcontract : sequence of float, optional
        Overtime and subcontracted units in each period; default none.
    **options
        The costs, limits and conventions of :func:`production_plan` (everything but
        ``strategy`` and ``hybrid_workers``).

    Returns
    -------
    ProductionPlan
        Strategy ``"given"``, costed as :func:`production_plan` costs its own plans
        (inventory, hires and layoffs derived from the decisions). ``violation`` is
        ``None`` if the plan keeps every constraint, otherwise one line naming the
        first broken constraint in period order (capacity, overtime or subcontracting
        limits, safety stock, backorders, the ending condition, the hiring lead time).
        A plan that breaks a constraint is still priced, so a learner can see what
        the shortcut would have cost.

    Raises
    ------
    ScenarioError
        On bad input (one line naming the argument and what is allowed).

    Examples
    --------
    >>> plan = price_plan([100, 300], production=[200, 200], workers=[2, 2],
    ...     initial_workers=2, units_per_worker=100, hire_cost=0, fire_cost=0,
    ...     unit_cost=1, carrying_cost=1)
    >>> plan.total_cost, plan.violation
    (500.0, None)
    """
    for name in ("strategy", "hybrid_workers"):
        if name in options:
            raise ScenarioError(f"{name}={options[name]!r} is not allowed: price_plan prices the plan it is given")
    allowed = [name for name in inspect.signature(planning_inputs).parameters if name != "demand"]
    unknown = [name for name in options if name not in allowed]
    if unknown:
        raise ScenarioError(
            f"{unknown[0]}={options[unknown[0]]!r} is not allowed: expected options among {', '.join(allowed)}"
        )
    case = planning_inputs(demand, **options)
    n = case.n
    w = _decisions("workers", workers, n, whole=case.integer_workers)
    reg = _decisions("production", production, n, whole=False)
    ot = _decisions("overtime", overtime, n, whole=False)
    sub = _decisions("subcontract", subcontract, n, whole=False)
    plan = assemble("given", case, w, reg, ot, sub)
    violation = _first_violation(plan, case)
    if violation is None:
        return plan
    return ProductionPlan(plan.strategy, plan.total_cost, plan.periods, plan.arrays, violation)
