"""Level, chase and hybrid plans: the textbook heuristics (see :mod:`sop_sim.planning.aggregate`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sop_sim.planning.cases import (
    InfeasiblePlanError,
    PlanningCase,
    ceil_workers,
    check_number,
    check_workers,
)
from sop_sim.planning.plan import ProductionPlan, assemble, worker_count


def hybrid_crew(hybrid_workers: Any, case: PlanningCase) -> int | float:
    if hybrid_workers is None:
        return case.initial_workers
    if case.integer_workers:
        return check_workers("hybrid_workers", hybrid_workers)
    return check_number("hybrid_workers", hybrid_workers)


def heuristic_plan(strategy: str, case: PlanningCase, hybrid_workers: int | float | None) -> ProductionPlan:
    n, d, cap, tol = case.n, case.demand, case.capacity, case.tol
    size = ceil_workers if case.integer_workers else (lambda x: max(0.0, float(x)))
    crew = hybrid_crew(hybrid_workers, case)
    crew_text = f"hybrid_workers={crew}" + (" (default: initial_workers)" if hybrid_workers is None else "")
    inv0 = case.initial_inventory
    cum_demand = np.cumsum(d)
    total_need = float(cum_demand[-1]) + float(case.target[-1]) - inv0
    if strategy == "level":
        cum_cap = np.cumsum(cap)
        if case.allow_backorders:
            level = size(total_need / float(cum_cap[-1]))
        else:
            per_period = (cum_demand + case.target - inv0) / cum_cap
            level = size(float(per_period.max()))
    else:
        level = crew

    targets = case.target.tolist()
    caps = cap.tolist()
    ot_units = math.inf if case.max_overtime_units is None else case.max_overtime_units
    sub_units = math.inf if case.max_subcontract_units is None else case.max_subcontract_units
    workers = [0] * n
    regular = [0.0] * n
    overtime = [0.0] * n
    subcontract = [0.0] * n
    remaining = total_need
    inv = inv0
    for t, dt in enumerate(d.tolist()):
        target = targets[t]
        if strategy == "chase":
            reg = max(dt + target - inv, 0.0)
            w = size(reg / caps[t])
        else:
            w = level
            reg = min(w * caps[t], max(remaining, 0.0))
        inv += reg - dt
        ot = sub = 0.0
        gap = target - inv
        if strategy == "hybrid" and gap > tol:
            if case.overtime_cost is not None:
                cap_ot = ot_units
                if case.max_overtime_per_worker is not None:
                    cap_ot = min(cap_ot, case.max_overtime_per_worker * w)
                ot = min(gap, cap_ot)
                gap -= ot
            if case.subcontract_cost is not None and gap > tol:
                sub = min(gap, sub_units)
                gap -= sub
            inv += ot + sub
        if strategy == "hybrid" and inv < target - tol and not case.allow_backorders and t:
            # Build ahead: spare overtime in earlier periods (latest first, least carrying), then
            # spare subcontracting, as a planner would rather than give up on the crew.
            pulled = _build_ahead(case, target - inv, t, workers, overtime, subcontract, ot_units, sub_units, tol)
            inv += pulled
            remaining -= pulled
        if inv < target - tol and not case.allow_backorders:
            what = "the last period" if t == n - 1 else f"period {case.labels[t]!r}"
            kind = "the required ending inventory" if t == n - 1 else "safety stock"
            raise InfeasiblePlanError(
                f"{crew_text} is not allowed: {what} would end with {inv:,.0f} units, below "
                f"{kind} {target:,.0f}; allowed: a larger crew, more overtime or subcontracting, "
                "or allow_backorders=True"
            )
        remaining -= reg + ot + sub
        workers[t], regular[t], overtime[t], subcontract[t] = w, reg, ot, sub
    if inv < case.target[-1] - tol:
        raise InfeasiblePlanError(
            f"{crew_text} is not allowed: the plan ends with {inv:,.1f} units, below the "
            f"{case.target[-1]:,.1f} it must end with; allowed: a larger crew, more overtime or subcontracting"
        )
    lead = case.hire_lead_periods
    w_arr = np.asarray(workers, dtype=float)
    hires = np.diff(w_arr, prepend=float(case.initial_workers)) > tol
    early = np.flatnonzero(hires[:lead])
    if early.size:
        t = int(early[0])
        start = f"period {case.labels[lead]!r}" if lead < n else "after the horizon"
        hired = w_arr[t] - (w_arr[t - 1] if t else float(case.initial_workers))
        raise InfeasiblePlanError(
            f"strategy={strategy!r} is not allowed with hire_lead_periods={lead}: it hires "
            f"{worker_count(hired)} workers in period {case.labels[t]!r} (to {worker_count(w_arr[t])}), but hires "
            f"decided now only start working in {start}; allowed: a plan that hires nobody until then "
            "(e.g. hybrid with overtime or subcontracting)"
        )
    return assemble(strategy, case, workers, regular, overtime, subcontract)


def _build_ahead(case: PlanningCase, short: float, t: int, workers: list, overtime: list[float],
                 subcontract: list[float], ot_units: float, sub_units: float, tol: float) -> float:
    """Add overtime, then subcontracting, to periods before ``t`` (latest first) to cover ``short``
    units at ``t``; the lists are updated in place. Returns the units added."""
    pulled = 0.0
    options = []
    if case.overtime_cost is not None:
        per_worker = math.inf if case.max_overtime_per_worker is None else case.max_overtime_per_worker
        options.append((overtime, lambda s: min(ot_units, per_worker * workers[s])))
    if case.subcontract_cost is not None:
        options.append((subcontract, lambda s: sub_units))
    for used, limit in options:
        for s in range(t - 1, -1, -1):
            if short - pulled <= tol:
                return pulled
            take = min(short - pulled, max(limit(s) - used[s], 0.0))
            used[s] += take
            pulled += take
    return pulled
