"""Aggregate production planning: level, chase and hybrid plans with their costs.

This is the supply review's toolbox and CPIM exam material in its own right. Given a
demand plan for one product family (units per period), :func:`production_plan` works
out how many workers to employ each period, how much to make on regular time, on
overtime or by subcontracting, what the ending inventory is, and what all of it costs.
:func:`compare_strategies` lays the strategies side by side so operations can propose
alternatives with their costs and finance can price them.

Textbook conventions (APICS/CPIM; Jacobs & Chase; Heizer & Render; Stevenson)
-----------------------------------------------------------------------------
* The plan starts at ``initial_inventory`` (default: the safety stock) and ends at
  the safety stock (unless the starting stock alone exceeds what the whole horizon
  needs: then nothing is made and the surplus is simply left over).
* Without backorders, every period ends with at least the safety stock on hand.
* Workers are hired or fired at the start of a period; the first change is measured
  against ``initial_workers``.
* Carrying cost is charged on each period's ending inventory (units on hand, never a
  negative number); backorder cost on each period's ending backlog.
* Workers are whole people: every workforce size is rounded **up** (``ceil``), so
  capacity is never short. Production never exceeds what the plan needs, so a
  rounded-up workforce leaves some capacity unused (column ``unused_capacity``)
  rather than over-building stock.
* ``unit_cost`` is the cost of one regular-time unit; ``overtime_cost`` and
  ``subcontract_cost`` are the full costs of one overtime or subcontracted unit
  (charged instead of ``unit_cost``, as in "overtime production cost = $150/unit").
  ``labour_cost_per_worker`` is wages per worker per period, paid whether the worker
  is busy or not (0 when the textbook folds labour into the unit cost).

Strategies
----------
``"level"``
    One workforce size for every period, sized to produce the total requirement
    (total demand plus the change needed to end at safety stock):
    ``ceil((sum(demand) + safety_stock - initial_inventory) / (T * units_per_worker))``.
    Without backorders, if demand comes early in the horizon that workforce would
    dip below safety stock, so it is raised to the smallest constant size that never
    does: the largest over periods t of
    ``ceil((cumulative demand to t + safety_stock - initial_inventory) / (t * units_per_worker))``
    (Nahmias's minimum constant workforce). With ``allow_backorders=True`` the first
    formula is used and shortfalls become backorders. No overtime or subcontracting.
``"chase"``
    Each period produces exactly what brings inventory back to safety stock (its
    demand, once inventory sits at safety stock), with
    ``ceil(requirement / units_per_worker)`` workers, hiring and firing as needed.
``"hybrid"``
    A stable workforce with inventory, overtime and subcontracting, as in the classic
    "hire a few workers once, build stock in slow periods, use overtime in busy ones"
    plan. The workforce is ``hybrid_workers`` in every period (default: the
    ``initial_workers``, i.e. keep today's crew). Regular time runs at full capacity
    (but never beyond what the rest of the plan needs); whenever a period would end
    below safety stock, the gap is filled with overtime, then subcontracting, within
    their limits; whatever is left becomes a backorder if ``allow_backorders``,
    otherwise the plan is infeasible (:class:`InfeasiblePlanError`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from numbers import Integral, Real
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from sop_sim.errors import ScenarioError

__all__ = [
    "COST_COLUMNS",
    "COST_TYPES",
    "STRATEGIES",
    "InfeasiblePlanError",
    "ProductionPlan",
    "production_plan",
]

STRATEGIES: tuple[str, ...] = ("level", "chase", "hybrid")
"""The strategies :func:`production_plan` knows."""

COST_TYPES: tuple[str, ...] = (
    "hiring",  # workers hired x hire_cost
    "firing",  # workers fired x fire_cost
    "labour",  # workers on the payroll x labour_cost_per_worker
    "production",  # regular-time units x unit_cost
    "overtime",  # overtime units x overtime_cost
    "subcontract",  # subcontracted units x subcontract_cost
    "carrying",  # units on hand at the end of the period x carrying_cost
    "backorder",  # units backordered at the end of the period x backorder_cost
)
"""Cost types, in $ per period; the index of :attr:`ProductionPlan.cost_breakdown`."""

COST_COLUMNS: tuple[str, ...] = tuple(f"cost_{c}" for c in COST_TYPES)
"""The cost columns of :attr:`ProductionPlan.table`; they add up to ``total_cost``."""

_QUANTITY_COLUMNS = (
    "demand",
    "workers",
    "hired",
    "fired",
    "beginning_inventory",
    "regular_units",
    "overtime_units",
    "subcontract_units",
    "production",
    "ending_inventory",
    "backorders",
    "unused_capacity",
)

# Float noise (e.g. 0.1 + 0.2) must not add a whole worker or flag a plan infeasible.
_EPS = 1e-9


class InfeasiblePlanError(ScenarioError):
    """The options given leave demand or safety stock uncovered (e.g. a hybrid crew
    too small with overtime capped and backorders not allowed)."""


@dataclass(frozen=True, eq=False)
class ProductionPlan:
    """An aggregate production plan and its costs.

    Attributes
    ----------
    strategy : str
        ``"level"``, ``"chase"`` or ``"hybrid"``.
    total_cost : float
        Sum of every cost over the horizon, in $.
    periods : tuple
        Period labels, the index of :attr:`table`.
    arrays : Mapping[str, numpy.ndarray]
        The plan as read-only arrays, one per column of :attr:`table`; use these in
        hot loops instead of building the DataFrame.
    table : pandas.DataFrame
        One row per period: quantities (``demand``, ``workers``, ``hired``, ``fired``,
        ``beginning_inventory``, ``regular_units``, ``overtime_units``,
        ``subcontract_units``, ``production``, ``ending_inventory``, ``backorders``,
        ``unused_capacity``) then the costs in $ (:data:`COST_COLUMNS`). Built on
        first access.
    cost_breakdown : pandas.Series
        Total $ per cost type (:data:`COST_TYPES`). Built on first access.

    Plans compare by identity; compare ``total_cost`` or ``table`` explicitly.
    """

    strategy: str
    total_cost: float
    periods: tuple[Hashable, ...]
    arrays: Mapping[str, np.ndarray] = field(repr=False)

    @cached_property
    def table(self) -> pd.DataFrame:
        """Per-period plan (see the class docstring), indexed by period."""
        index = pd.Index(self.periods, name="period")
        return pd.DataFrame({name: np.array(col) for name, col in self.arrays.items()}, index=index)

    @cached_property
    def cost_breakdown(self) -> pd.Series:
        """Total $ per cost type over the horizon."""
        values = [float(self.arrays[c].sum()) for c in COST_COLUMNS]
        return pd.Series(values, index=pd.Index(COST_TYPES, name="cost_type"), name="cost")

    def summary(self) -> str:
        """Explain the plan and its trade-off in plain language, with its numbers."""
        a = self.arrays
        costs = {c: float(a[f"cost_{c}"].sum()) for c in COST_TYPES}
        total = self.total_cost
        churn = costs["hiring"] + costs["firing"]
        hires, fires = int(a["hired"].sum()), int(a["fired"].sum())
        lo, hi = int(a["workers"].min()), int(a["workers"].max())
        n = len(self.periods)

        def share(x: float) -> str:
            return f"{100 * x / total:.0f}% of the total" if total > 0 else "no cost"

        head = f"{self.strategy.capitalize()} plan over {n} periods costs ${total:,.0f}."
        if self.strategy == "level":
            body = (
                f" It keeps {hi} workers every period ({hires} hired, {fires} fired at the start),"
                f" so output stays flat: in slow periods it runs ahead of demand and the surplus"
                f" waits in stock for the busy ones (peak stock {a['ending_inventory'].max():,.0f}"
                f" units). That stock is why carrying costs ${costs['carrying']:,.0f}"
                f" ({share(costs['carrying'])}); in exchange hiring and firing cost only"
                f" ${churn:,.0f}."
            )
        elif self.strategy == "chase":
            body = (
                f" It makes each period's demand, so stock stays at safety stock and carrying costs"
                f" only ${costs['carrying']:,.0f}. The price is a workforce that swings between"
                f" {lo} and {hi} workers: {hires} hires and {fires} layoffs cost ${churn:,.0f}"
                f" ({share(churn)}), and every swing means training and morale to manage."
            )
        else:
            extra = [
                f"{a[f'{kind}_units'].sum():,.0f} {label} units (${costs[kind]:,.0f})"
                for kind, label in (("overtime", "overtime"), ("subcontract", "subcontracted"))
                if a[f"{kind}_units"].any()
            ]
            peaks = " and ".join(extra) if extra else "stock alone"
            body = (
                f" It keeps a stable crew of {hi} workers ({hires} hired, {fires} fired at the"
                f" start), builds stock in slow periods (carrying ${costs['carrying']:,.0f}) and"
                f" covers the peaks with {peaks}. It pays a premium on peak units to avoid both"
                f" a big stockpile and repeated hiring and firing."
            )
        if a["backorders"].any():
            body += (
                f" Customers wait for {a['backorders'].sum():,.0f} unit-periods of backorders"
                f" (${costs['backorder']:,.0f})."
            )
        return head + body


def _number(name: str, value: Any, *, positive: bool = False) -> float:
    """Return ``value`` as a float, or raise naming the argument and what is allowed."""
    bound = "> 0" if positive else ">= 0"
    ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or (value <= 0 if positive else value < 0):
        raise ScenarioError(f"{name}={value!r} is not allowed: expected a finite number {bound}")
    return float(value)


def _workers(name: str, value: Any) -> int:
    if not isinstance(value, Integral) or isinstance(value, bool) or value < 0:
        raise ScenarioError(
            f"{name}={value!r} is not allowed: expected a whole number of workers >= 0"
        )
    return int(value)


def _optional(name: str, value: Any) -> float | None:
    return None if value is None else _number(name, value)


def _ceil(x: float) -> int:
    return max(0, math.ceil(x - _EPS * max(1.0, abs(x))))


def production_plan(
    strategy: str,
    demand: Sequence[float] | np.ndarray | pd.Series,
    *,
    initial_workers: int,
    units_per_worker: float,
    hire_cost: float,
    fire_cost: float,
    unit_cost: float,
    carrying_cost: float,
    safety_stock: float,
    initial_inventory: float | None = None,
    labour_cost_per_worker: float = 0.0,
    hybrid_workers: int | None = None,
    overtime_cost: float | None = None,
    max_overtime_units: float | None = None,
    max_overtime_per_worker: float | None = None,
    subcontract_cost: float | None = None,
    max_subcontract_units: float | None = None,
    allow_backorders: bool = False,
    backorder_cost: float = 0.0,
    periods: Sequence[Hashable] | None = None,
) -> ProductionPlan:
    """Build a level, chase or hybrid aggregate production plan and cost it.

    The conventions (start and end at safety stock, hiring at the start of a period,
    carrying cost on ending inventory, workers rounded up) and the exact definition of
    each strategy are in the module docstring of :mod:`sop_sim.planning.aggregate`.

    Parameters
    ----------
    strategy : {"level", "chase", "hybrid"}
        How to absorb swings in demand (see the module docstring).
    demand : sequence of float, numpy array or pandas Series
        Units demanded per period, at least one period, each >= 0. A Series lends
        its index as period labels unless ``periods`` is given.
    initial_workers : int
        Workers on the payroll before the first period.
    units_per_worker : float
        Regular-time units one worker makes per period (> 0).
    hire_cost, fire_cost : float
        $ per worker hired or fired.
    unit_cost : float
        $ per regular-time unit.
    carrying_cost : float
        $ per unit on hand at the end of a period.
    safety_stock : float
        Units the plan keeps on hand at the end of every period and ends with.
    initial_inventory : float, optional
        Units on hand before the first period; defaults to ``safety_stock``.
    labour_cost_per_worker : float, default 0
        Regular wages, $ per worker per period, paid busy or idle.
    hybrid_workers : int, optional
        The stable crew of a hybrid plan; defaults to ``initial_workers``.
    overtime_cost : float, optional
        $ per overtime unit. ``None`` means no overtime is available.
    max_overtime_units, max_overtime_per_worker : float, optional
        Overtime limit per period, in units and in units per worker; the tighter
        applies. Both ``None``: unlimited.
    subcontract_cost : float, optional
        $ per subcontracted unit. ``None`` means no subcontracting.
    max_subcontract_units : float, optional
        Subcontracting limit per period, in units; ``None``: unlimited.
    allow_backorders : bool, default False
        Let inventory fall below safety stock, down to a backlog (negative ending
        inventory), if the plan cannot cover demand. The plan still ends at safety
        stock.
    backorder_cost : float, default 0
        $ per unit backordered at the end of a period.
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
        cannot cover demand and safety stock.

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
    if periods is None and isinstance(demand, pd.Series):
        periods = list(demand.index)
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
    n = d.size
    tol = _EPS * max(1.0, float(d.max()))  # units: absorbs float noise, never a real shortfall
    if periods is None:
        labels: tuple[Hashable, ...] = tuple(range(1, n + 1))
    else:
        labels = tuple(periods)
        if len(labels) != n or len(set(labels)) != n:
            raise ScenarioError(
                f"periods={list(labels)!r} is not allowed: expected {n} distinct labels, one per demand period"
            )
    w0 = _workers("initial_workers", initial_workers)
    upw = _number("units_per_worker", units_per_worker, positive=True)
    c_hire = _number("hire_cost", hire_cost)
    c_fire = _number("fire_cost", fire_cost)
    c_unit = _number("unit_cost", unit_cost)
    c_carry = _number("carrying_cost", carrying_cost)
    c_labour = _number("labour_cost_per_worker", labour_cost_per_worker)
    c_back = _number("backorder_cost", backorder_cost)
    ss = _number("safety_stock", safety_stock)
    tol = max(tol, _EPS * ss)
    inv0 = ss if initial_inventory is None else _number("initial_inventory", initial_inventory)
    c_ot = _optional("overtime_cost", overtime_cost)
    ot_units = _optional("max_overtime_units", max_overtime_units)
    ot_per_worker = _optional("max_overtime_per_worker", max_overtime_per_worker)
    c_sub = _optional("subcontract_cost", subcontract_cost)
    sub_units = _optional("max_subcontract_units", max_subcontract_units)
    if not isinstance(allow_backorders, bool):
        raise ScenarioError(
            f"allow_backorders={allow_backorders!r} is not allowed: expected True or False"
        )
    crew = w0 if hybrid_workers is None else _workers("hybrid_workers", hybrid_workers)
    crew_text = f"hybrid_workers={crew}" + (
        " (default: initial_workers)" if hybrid_workers is None else ""
    )

    demand_list = d.tolist()  # plain floats: the loop below is faster on them than on numpy
    cum_demand = np.cumsum(d)
    total_need = float(cum_demand[-1]) + ss - inv0  # production the whole plan needs
    if strategy == "level":
        if allow_backorders:
            level = _ceil(total_need / (n * upw))
        else:
            per_period = (cum_demand + (ss - inv0)) / (np.arange(1, n + 1) * upw)
            level = _ceil(float(per_period.max()))
    else:
        level = crew

    workers = [0] * n
    regular = [0.0] * n
    overtime = [0.0] * n
    subcontract = [0.0] * n
    begin = [0.0] * n
    end = [0.0] * n
    remaining = total_need
    inv = inv0
    for t, dt in enumerate(demand_list):
        begin[t] = inv
        if strategy == "chase":
            reg = max(dt + ss - inv, 0.0)
            w = _ceil(reg / upw)
        else:
            w = level
            reg = min(w * upw, max(remaining, 0.0))
        inv += reg - dt
        ot = sub = 0.0
        gap = ss - inv
        if strategy == "hybrid" and gap > tol:
            if c_ot is not None:
                cap = math.inf if ot_units is None else ot_units
                if ot_per_worker is not None:
                    cap = min(cap, ot_per_worker * w)
                ot = min(gap, cap)
                gap -= ot
            if c_sub is not None and gap > tol:
                sub = min(gap, math.inf if sub_units is None else sub_units)
                gap -= sub
            inv += ot + sub
        if inv < ss - tol and not allow_backorders:
            raise InfeasiblePlanError(
                f"{crew_text} is not allowed: period {labels[t]!r} would end with "
                f"{inv:,.0f} units, below safety stock {ss:,.0f}; allowed: a larger crew, more "
                "overtime or subcontracting, or allow_backorders=True"
            )
        remaining -= reg + ot + sub
        workers[t], regular[t], overtime[t], subcontract[t], end[t] = w, reg, ot, sub, inv
    if end[-1] < ss - tol:
        raise InfeasiblePlanError(
            f"{crew_text} is not allowed: the plan ends with {end[-1]:,.1f} units, "
            f"below safety stock {ss:,.0f}; allowed: a larger crew, more overtime or subcontracting"
        )

    w_arr = np.array(workers, dtype=np.int64)
    change = w_arr.copy()
    change[0] -= w0
    change[1:] -= w_arr[:-1]
    hired = np.maximum(change, 0)
    fired = np.maximum(-change, 0)
    reg_arr = np.array(regular)
    ot_arr = np.array(overtime)
    sub_arr = np.array(subcontract)
    end_arr = np.array(end)
    on_hand = np.maximum(end_arr, 0.0)
    backlog = np.maximum(-end_arr, 0.0)
    columns = {
        "demand": d,
        "workers": w_arr,
        "hired": hired,
        "fired": fired,
        "beginning_inventory": np.array(begin),
        "regular_units": reg_arr,
        "overtime_units": ot_arr,
        "subcontract_units": sub_arr,
        "production": reg_arr + ot_arr + sub_arr,
        "ending_inventory": end_arr,
        "backorders": backlog,
        "unused_capacity": w_arr * upw - reg_arr,
        "cost_hiring": hired * c_hire,
        "cost_firing": fired * c_fire,
        "cost_labour": w_arr * c_labour,
        "cost_production": reg_arr * c_unit,
        "cost_overtime": ot_arr * (c_ot or 0.0),
        "cost_subcontract": sub_arr * (c_sub or 0.0),
        "cost_carrying": on_hand * c_carry,
        "cost_backorder": backlog * c_back,
    }
    for col in columns.values():
        col.flags.writeable = False
    total = float(sum(float(columns[c].sum()) for c in COST_COLUMNS))
    return ProductionPlan(strategy, total, labels, MappingProxyType(columns))
