"""The least-cost aggregate plan, as a mixed-integer program solved by HiGHS.

:func:`solve` is what ``production_plan("optimal", ...)`` calls. The model is the
textbook one (Chopra & Meindl's Red Tomato formulation, Nahmias's linear programming
model of aggregate planning), with the kit's conventions (see
:mod:`sop_sim.planning.aggregate`). For each period t:

Decisions
    ``W_t`` workers, ``H_t`` hired, ``F_t`` laid off, ``P_t`` regular-time units,
    ``O_t`` overtime units, ``S_t`` subcontracted units, ``I_t`` units on hand at the
    end, ``B_t`` units backordered at the end; plus the closing hires and layoffs that
    bring the workforce to ``ending_workers`` after the last period.
Costs (minimised)
    labour ``W_t``, hiring ``H_t``, layoffs ``F_t``, in-house units ``P_t + O_t`` at
    ``unit_cost`` and ``O_t`` at ``overtime_cost`` on top, ``S_t`` at
    ``subcontract_cost``, carrying on ``I_t`` (or on ``(I_{t-1} + I_t) / 2``), backorders
    on ``B_t``.
Constraints
    ``W_t = W_{t-1} + H_t - F_t``; ``P_t <= capacity_t * W_t``;
    ``O_t <= max_overtime_per_worker * W_t`` and ``O_t <= max_overtime_units``;
    ``S_t <= max_subcontract_units``;
    ``I_t - B_t = I_{t-1} - B_{t-1} + P_t + O_t + S_t - demand_t``;
    ``I_t >= safety stock`` (without backorders), ``I_T >= ending target``, ``B_T = 0``;
    no hires in the first ``hire_lead_periods`` periods. ``W``, ``H``, ``F`` are whole
    numbers unless ``integer_workers=False`` (the LP relaxation).

The solver is asked for the proven optimum (relative gap 0); the problems are small
(eight variables a period), so this takes milliseconds.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from sop_sim.planning.cases import InfeasiblePlanError, PlanningCase

__all__ = ["solve"]

_KINDS = ("W", "H", "F", "P", "O", "S", "I", "B")


def _snap(x: np.ndarray) -> np.ndarray:
    """Round solver noise away: values within 1e-6 of a whole number become that number."""
    r = np.round(x)
    return np.where(np.abs(x - r) <= 1e-6 * np.maximum(1.0, np.abs(r)), r, x)


def solve(case: PlanningCase) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Least-cost workers, regular, overtime and subcontracted units per period.

    Raises :class:`InfeasiblePlanError` (one line) when no plan meets the constraints.
    """
    n = case.n
    k = {kind: i * n for i, kind in enumerate(_KINDS)}
    ch, cf = len(_KINDS) * n, len(_KINDS) * n + 1
    nv = ch + 2

    def idx(kind: str, t: int) -> int:
        return k[kind] + t

    c = np.zeros(nv)
    c[k["W"]:k["W"] + n] = case.labour
    c[k["H"]:k["H"] + n] = case.hire_cost
    c[k["F"]:k["F"] + n] = case.fire_cost
    c[k["P"]:k["P"] + n] = case.unit_cost
    c[k["O"]:k["O"] + n] = case.unit_cost + (case.overtime_cost or 0.0)
    c[k["S"]:k["S"] + n] = case.subcontract_cost or 0.0
    carry = np.full(n, case.carrying_cost)
    if case.carrying_on == "average":  # I_t counts half in period t and half in t + 1
        carry[-1] = case.carrying_cost / 2
    c[k["I"]:k["I"] + n] = carry
    c[k["B"]:k["B"] + n] = case.backorder_cost
    c[ch], c[cf] = case.hire_cost, case.fire_cost

    lb = np.zeros(nv)
    ub = np.full(nv, np.inf)
    ub[k["H"]:k["H"] + min(case.hire_lead_periods, n)] = 0.0
    if case.overtime_cost is None:
        ub[k["O"]:k["O"] + n] = 0.0
    elif case.max_overtime_units is not None:
        ub[k["O"]:k["O"] + n] = case.max_overtime_units
    if case.subcontract_cost is None:
        ub[k["S"]:k["S"] + n] = 0.0
    elif case.max_subcontract_units is not None:
        ub[k["S"]:k["S"] + n] = case.max_subcontract_units
    if case.allow_backorders:
        lb[k["I"]:k["I"] + n - 1] = 0.0
    else:
        lb[k["I"]:k["I"] + n - 1] = case.target[:-1]
        ub[k["B"]:k["B"] + n] = 0.0
    lb[idx("I", n - 1)] = case.target[-1]
    ub[idx("B", n - 1)] = 0.0
    if case.ending_workers is None:
        ub[ch] = ub[cf] = 0.0

    rows: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []

    def row(coefs: dict[int, float], low: float, high: float) -> None:
        r = np.zeros(nv)
        for j, v in coefs.items():
            r[j] += v
        rows.append(r)
        lo.append(low)
        hi.append(high)

    w0, inv0 = float(case.initial_workers), case.initial_inventory
    for t in range(n):
        # workforce balance: W_t - W_{t-1} - H_t + F_t = 0
        coefs = {idx("W", t): 1.0, idx("H", t): -1.0, idx("F", t): 1.0}
        if t:
            coefs[idx("W", t - 1)] = -1.0
        rhs = w0 if t == 0 else 0.0
        row(coefs, rhs, rhs)
        # regular capacity: P_t - capacity_t W_t <= 0
        row({idx("P", t): 1.0, idx("W", t): -float(case.capacity[t])}, -np.inf, 0.0)
        if case.overtime_cost is not None and case.max_overtime_per_worker is not None:
            row({idx("O", t): 1.0, idx("W", t): -case.max_overtime_per_worker}, -np.inf, 0.0)
        # inventory balance: I_t - B_t - I_{t-1} + B_{t-1} - P_t - O_t - S_t = -d_t
        coefs = {idx("I", t): 1.0, idx("B", t): -1.0, idx("P", t): -1.0, idx("O", t): -1.0,
                 idx("S", t): -1.0}  # fmt: skip
        rhs = -float(case.demand[t])
        if t:
            coefs[idx("I", t - 1)] = -1.0
            coefs[idx("B", t - 1)] = 1.0
        else:
            rhs += inv0
        row(coefs, rhs, rhs)
    if case.ending_workers is not None:
        row({ch: 1.0, cf: -1.0, idx("W", n - 1): 1.0}, case.ending_workers, case.ending_workers)

    # Only the workforce needs to be whole: with whole W_t (and a whole starting and ending
    # crew) the cheapest hires and layoffs are whole too, and the table derives them from W.
    integrality = np.zeros(nv)
    if case.integer_workers:
        integrality[k["W"]:k["W"] + n] = 1
    res = milp(
        c,
        constraints=LinearConstraint(np.array(rows), np.array(lo), np.array(hi)),
        integrality=integrality,
        bounds=Bounds(lb, ub),
        options={"mip_rel_gap": 0.0, "time_limit": 60.0},
    )
    if res.status == 2 or res.x is None:
        raise InfeasiblePlanError(_why_infeasible(case))
    if res.status != 0:
        raise InfeasiblePlanError(f"the optimal plan could not be proven within the time limit ({res.message})")
    x = _snap(res.x)
    workers = x[k["W"]:k["W"] + n]
    if case.integer_workers:
        workers = np.round(workers).astype(np.int64)
    return (workers, x[k["P"]:k["P"] + n], x[k["O"]:k["O"] + n], x[k["S"]:k["S"] + n])


def _why_infeasible(case: PlanningCase) -> str:
    """One line on why no plan exists, naming the options that would help."""
    help_ = ["more overtime or subcontracting"]
    if not case.allow_backorders:
        help_.append("allow_backorders=True")
    if case.hire_lead_periods:
        help_.append(f"a shorter hire_lead_periods (now {case.hire_lead_periods})")
    return (
        "strategy='optimal' is not allowed with these options: no plan meets demand and the "
        f"inventory targets in every period; allowed: {', '.join(help_)}"
    )
