"""Validated inputs of an aggregate planning problem, shared by every strategy and the optimum.

:func:`planning_inputs` checks each argument of :func:`~sop_sim.planning.production_plan`
and :func:`~sop_sim.planning.price_plan` (one line per error, naming the argument and
what is allowed) and turns the textbook conventions into arrays per period
(:class:`PlanningCase`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from sop_sim.errors import ScenarioError

CARRYING_ON: tuple[str, ...] = ("ending", "average")
"""What carrying cost is charged on: ending inventory or the period's average inventory."""

# Float noise (e.g. 0.1 + 0.2) must not add a whole worker or flag a plan infeasible.
_EPS = 1e-9


class InfeasiblePlanError(ScenarioError):
    """The options given leave demand or the inventory targets uncovered (e.g. a hybrid
    crew too small with overtime capped and backorders not allowed)."""


def check_number(name: str, value: Any, *, positive: bool = False) -> float:
    """Return ``value`` as a float, or raise naming the argument and what is allowed."""
    bound = "> 0" if positive else ">= 0"
    ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or (value <= 0 if positive else value < 0):
        raise ScenarioError(f"{name}={value!r} is not allowed: expected a finite number {bound}")
    return float(value)


def check_workers(name: str, value: Any) -> int:
    if not isinstance(value, Integral) or isinstance(value, bool) or value < 0:
        raise ScenarioError(
            f"{name}={value!r} is not allowed: expected a whole number of workers >= 0"
        )
    return int(value)


def _optional(name: str, value: Any) -> float | None:
    return None if value is None else check_number(name, value)


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(f"{name}={value!r} is not allowed: expected True or False")
    return value


def ceil_workers(x: float) -> int:
    return max(0, math.ceil(x - _EPS * max(1.0, abs(x))))


def _series(name: str, value: Any, n: int, *, positive: bool = False, what: str = "number") -> np.ndarray:
    """A number or one number per period, as a float array of length ``n``."""
    if isinstance(value, Real) and not isinstance(value, bool):
        return np.full(n, check_number(name, value, positive=positive))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 1 or arr.size != n:
        raise ScenarioError(
            f"{name}={value!r} is not allowed: expected one {what} or {n} of them, one per period"
        )
    for i, x in enumerate(arr.tolist()):
        check_number(f"{name}[{i}]", x, positive=positive)
    return arr


def _demand(demand: Any) -> np.ndarray:
    try:
        d = np.asarray(demand, dtype=float)
    except (TypeError, ValueError):
        raise ScenarioError(
            f"demand={demand!r} is not allowed: expected a sequence of numbers >= 0"
        ) from None
    if d.ndim != 1:
        raise ScenarioError(
            f"demand with shape {d.shape} is not allowed: expected one number per period"
        )
    if d.size == 0:
        raise ScenarioError("demand=[] is not allowed: expected at least one period")
    bad = np.flatnonzero(~np.isfinite(d) | (d < 0))
    if bad.size:
        i = int(bad[0])
        raise ScenarioError(
            f"demand[{i}]={float(d[i])!r} is not allowed: expected a finite number of units >= 0"
        )
    return d


@dataclass(frozen=True)
class PlanningCase:
    """Validated inputs of one planning problem (what every strategy and the optimum share).

    Arrays have one entry per period. ``target`` is the inventory each period must end
    with at least (safety stock, and the ending-inventory condition in the last period).
    """

    demand: np.ndarray
    labels: tuple[Hashable, ...]
    initial_workers: int | float
    capacity: np.ndarray  # regular units one worker makes in each period
    hire_cost: float
    fire_cost: float
    unit_cost: float
    carrying_cost: float
    labour: np.ndarray  # regular pay per worker in each period
    safety: np.ndarray  # safety stock per period
    target: np.ndarray  # minimum ending inventory per period (safety stock, then the last-period condition)
    initial_inventory: float
    overtime_cost: float | None
    max_overtime_units: float | None
    max_overtime_per_worker: float | None
    subcontract_cost: float | None
    max_subcontract_units: float | None
    allow_backorders: bool
    backorder_cost: float
    carrying_on: str
    ending_workers: int | float | None
    hire_lead_periods: int
    integer_workers: bool
    tol: float

    @property
    def n(self) -> int:
        return int(self.demand.size)

    def overtime_cap(self, workers: np.ndarray) -> np.ndarray:
        """Overtime units allowed per period for the given workforce (inf when unlimited)."""
        if self.overtime_cost is None:
            return np.zeros(self.n)
        cap = np.full(self.n, math.inf if self.max_overtime_units is None else self.max_overtime_units)
        if self.max_overtime_per_worker is not None:
            cap = np.minimum(cap, self.max_overtime_per_worker * np.asarray(workers, dtype=float))
        return cap

    def subcontract_cap(self) -> np.ndarray:
        if self.subcontract_cost is None:
            return np.zeros(self.n)
        return np.full(self.n, math.inf if self.max_subcontract_units is None else self.max_subcontract_units)


def planning_inputs(
    demand: Sequence[float] | np.ndarray | pd.Series,
    *,
    initial_workers: int,
    hire_cost: float,
    fire_cost: float,
    unit_cost: float,
    carrying_cost: float,
    units_per_worker: float | None = None,
    working_days: float | Sequence[float] | None = None,
    units_per_worker_day: float | None = None,
    safety_stock: float = 0.0,
    safety_stock_share: float | None = None,
    initial_inventory: float | None = None,
    ending_inventory: float | None = None,
    ending_workers: int | None = None,
    labour_cost_per_worker: float | Sequence[float] = 0.0,
    overtime_cost: float | None = None,
    max_overtime_units: float | None = None,
    max_overtime_per_worker: float | None = None,
    subcontract_cost: float | None = None,
    max_subcontract_units: float | None = None,
    allow_backorders: bool = False,
    backorder_cost: float = 0.0,
    carrying_on: str = "ending",
    hire_lead_periods: int = 0,
    integer_workers: bool = True,
    periods: Sequence[Hashable] | None = None,
) -> PlanningCase:
    """Validate the inputs of :func:`production_plan` / :func:`price_plan` (one line per error)."""
    if periods is None and isinstance(demand, pd.Series):
        periods = list(demand.index)
    d = _demand(demand)
    n = d.size
    if periods is None:
        labels: tuple[Hashable, ...] = tuple(range(1, n + 1))
    else:
        labels = tuple(periods)
        if len(labels) != n or len(set(labels)) != n:
            raise ScenarioError(
                f"periods={list(labels)!r} is not allowed: expected {n} distinct labels, one per demand period"
            )
    integer = _flag("integer_workers", integer_workers)
    if integer:
        w0: int | float = check_workers("initial_workers", initial_workers)
    else:
        w0 = check_number("initial_workers", initial_workers)
    if units_per_worker is not None:
        if working_days is not None or units_per_worker_day is not None:
            raise ScenarioError(
                "units_per_worker together with working_days/units_per_worker_day is not allowed: "
                "expected either units per worker per period or working days times units per worker-day"
            )
        capacity = np.full(n, check_number("units_per_worker", units_per_worker, positive=True))
    elif working_days is not None and units_per_worker_day is not None:
        days = _series("working_days", working_days, n, positive=True, what="number of days")
        capacity = days * check_number("units_per_worker_day", units_per_worker_day, positive=True)
    else:
        raise ScenarioError(
            "units_per_worker=None is not allowed: expected units per worker per period, or "
            "working_days with units_per_worker_day"
        )
    c_hire = check_number("hire_cost", hire_cost)
    c_fire = check_number("fire_cost", fire_cost)
    c_unit = check_number("unit_cost", unit_cost)
    c_carry = check_number("carrying_cost", carrying_cost)
    labour = _series("labour_cost_per_worker", labour_cost_per_worker, n, what="amount in $")
    c_back = check_number("backorder_cost", backorder_cost)
    ss_units = check_number("safety_stock", safety_stock)
    if safety_stock_share is not None:
        share = check_number("safety_stock_share", safety_stock_share)
        if ss_units:
            raise ScenarioError(
                f"safety_stock={safety_stock!r} with safety_stock_share={safety_stock_share!r} is not "
                "allowed: expected one of them (units, or a share of each period's demand)"
            )
        safety = share * d
    else:
        safety = np.full(n, ss_units)
    inv0 = float(safety[0]) if initial_inventory is None else check_number("initial_inventory", initial_inventory)
    target = safety.copy()
    if ending_inventory is not None:
        target[-1] = check_number("ending_inventory", ending_inventory)
    if ending_workers is None:
        w_end: int | float | None = None
    elif integer:
        w_end = check_workers("ending_workers", ending_workers)
    else:
        w_end = check_number("ending_workers", ending_workers)
    if carrying_on not in CARRYING_ON:
        raise ScenarioError(
            f"carrying_on={carrying_on!r} is not allowed: expected one of {', '.join(CARRYING_ON)}"
        )
    if not isinstance(hire_lead_periods, Integral) or isinstance(hire_lead_periods, bool) or hire_lead_periods < 0:
        raise ScenarioError(
            f"hire_lead_periods={hire_lead_periods!r} is not allowed: expected a whole number of periods >= 0"
        )
    tol = _EPS * max(1.0, float(d.max()), float(target.max()), inv0)
    return PlanningCase(
        demand=d, labels=labels, initial_workers=w0, capacity=capacity, hire_cost=c_hire,
        fire_cost=c_fire, unit_cost=c_unit, carrying_cost=c_carry, labour=labour, safety=safety,
        target=target, initial_inventory=inv0,
        overtime_cost=_optional("overtime_cost", overtime_cost),
        max_overtime_units=_optional("max_overtime_units", max_overtime_units),
        max_overtime_per_worker=_optional("max_overtime_per_worker", max_overtime_per_worker),
        subcontract_cost=_optional("subcontract_cost", subcontract_cost),
        max_subcontract_units=_optional("max_subcontract_units", max_subcontract_units),
        allow_backorders=_flag("allow_backorders", allow_backorders), backorder_cost=c_back,
        carrying_on=carrying_on, ending_workers=w_end, hire_lead_periods=int(hire_lead_periods),
        integer_workers=integer, tol=tol,
    )  # fmt: skip
