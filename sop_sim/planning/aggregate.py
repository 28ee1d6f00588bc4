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
    is filled with overtime, then subcontracting, within their limits; what is left
    becomes a backorder if ``allow_backorders``, otherwise the plan is infeasible
    (:class:`InfeasiblePlanError`).
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
    "CARRYING_ON",
    "COST_COLUMNS",
    "COST_TYPES",
    "STRATEGIES",
    "InfeasiblePlanError",
    "ProductionPlan",
    "compare_strategies",
    "price_plan",
    "production_plan",
]

STRATEGIES: tuple[str, ...] = ("level", "chase", "hybrid", "optimal")
"""The strategies :func:`production_plan` knows."""

CARRYING_ON: tuple[str, ...] = ("ending", "average")
"""What carrying cost is charged on: ending inventory or the period's average inventory."""

COST_TYPES: tuple[str, ...] = (
    "hiring",  # workers hired (including closing hires) x hire_cost
    "firing",  # workers laid off (including closing layoffs) x fire_cost
    "labour",  # workers on the payroll x labour_cost_per_worker
    "production",  # units made in-house (regular time and overtime) x unit_cost
    "overtime",  # overtime units x overtime_cost
    "subcontract",  # subcontracted units x subcontract_cost
    "carrying",  # units on hand (ending or average) x carrying_cost
    "backorder",  # units backordered at the end of the period x backorder_cost
)
"""Cost types, in $ per period; the index of :attr:`ProductionPlan.cost_breakdown`."""

COST_COLUMNS: tuple[str, ...] = tuple(f"cost_{c}" for c in COST_TYPES)
"""The cost columns of :attr:`ProductionPlan.table`; they add up to ``total_cost``."""

# Float noise (e.g. 0.1 + 0.2) must not add a whole worker or flag a plan infeasible.
_EPS = 1e-9


class InfeasiblePlanError(ScenarioError):
    """The options given leave demand or the inventory targets uncovered (e.g. a hybrid
    crew too small with overtime capped and backorders not allowed)."""


@dataclass(frozen=True, eq=False)
class ProductionPlan:
    """An aggregate production plan and its costs.

    Attributes
    ----------
    strategy : str
        ``"level"``, ``"chase"``, ``"hybrid"``, ``"optimal"`` or ``"given"`` (a plan
        priced by :func:`price_plan`).
    total_cost : float
        Sum of every cost over the horizon, in $.
    periods : tuple
        Period labels, the index of :attr:`table`.
    arrays : Mapping[str, numpy.ndarray]
        The plan as read-only arrays, one per column of :attr:`table`; use these in
        hot loops instead of building the DataFrame.
    violation : str or None
        For a plan priced by :func:`price_plan`: the first constraint it breaks, in one
        line, or ``None`` if it breaks none. Plans built by :func:`production_plan`
        always keep every constraint (``None``).
    table : pandas.DataFrame
        One row per period: quantities (``demand``, ``workers``, ``hired``, ``fired``,
        ``closing_hired``, ``closing_fired``, ``beginning_inventory``,
        ``regular_units``, ``overtime_units``, ``subcontract_units``, ``production``,
        ``ending_inventory``, ``backorders``, ``unused_capacity``, and
        ``average_inventory`` when carrying cost is on average stock), the optimum's
        slacks, then the costs in $ (:data:`COST_COLUMNS`). Built on first access.
    cost_breakdown : pandas.Series
        Total $ per cost type (:data:`COST_TYPES`). Built on first access.

    Plans compare by identity; compare ``total_cost`` or ``table`` explicitly.
    """

    strategy: str
    total_cost: float
    periods: tuple[Hashable, ...]
    arrays: Mapping[str, np.ndarray] = field(repr=False)
    violation: str | None = None

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
        hires = _count(a["hired"].sum() + a["closing_hired"].sum())
        fires = _count(a["fired"].sum() + a["closing_fired"].sum())
        lo, hi = _count(a["workers"].min()), _count(a["workers"].max())
        n = len(self.periods)

        def share(x: float) -> str:
            return f"{100 * x / total:.0f}% of the total" if total > 0 else "no cost"

        name = "The given plan" if self.strategy == "given" else f"{self.strategy.capitalize()} plan"
        head = f"{name} over {n} periods costs ${total:,.0f}."
        peaks = _peak_cover(a, costs)
        if self.strategy == "level":
            body = (
                f" It keeps {hi} workers every period ({hires} hired, {fires} laid off),"
                f" so output stays flat: in slow periods it runs ahead of demand and the surplus"
                f" waits in stock for the busy ones (peak stock {a['ending_inventory'].max():,.0f}"
                f" units). That stock is why carrying costs ${costs['carrying']:,.0f}"
                f" ({share(costs['carrying'])}); in exchange hiring and layoffs cost only"
                f" ${churn:,.0f}."
            )
        elif self.strategy == "chase":
            body = (
                f" It makes each period's demand, so stock stays at its target and carrying costs"
                f" only ${costs['carrying']:,.0f}. The price is a workforce that swings between"
                f" {lo} and {hi} workers: {hires} hires and {fires} layoffs cost ${churn:,.0f}"
                f" ({share(churn)}), and every swing means training and morale to manage."
            )
        elif self.strategy == "hybrid":
            body = (
                f" It keeps a stable crew of {hi} workers ({hires} hired, {fires} laid off),"
                f" builds stock in slow periods (carrying ${costs['carrying']:,.0f}) and"
                f" covers the peaks with {peaks}. It pays a premium on peak units to avoid both"
                f" a big stockpile and repeated hiring and layoffs."
            )
        elif self.strategy == "optimal":
            crew = f"{hi} workers throughout" if lo == hi else f"between {lo} and {hi} workers"
            extra = "no overtime or subcontracting" if peaks == "stock alone" else peaks
            body = (
                f" It is the cheapest mix of every option allowed: {crew} ({hires} hired,"
                f" {fires} laid off, ${churn:,.0f}), stock built ahead (carrying"
                f" ${costs['carrying']:,.0f}) and {extra}. Each option is used only up to"
                f" the point where another one becomes cheaper."
            )
            binding = _binding(self)
            if binding:
                body += f" What binds: {binding}."
        else:
            body = (
                f" It employs {crew_words(lo, hi)} ({hires} hired, {fires} laid off,"
                f" ${churn:,.0f}), carries stock for ${costs['carrying']:,.0f} and covers the"
                f" peaks with {peaks}."
            )
            body += f" It breaks a constraint: {self.violation}." if self.violation else (
                " It keeps every constraint.")
        if a["backorders"].any():
            body += (
                f" Customers wait for {a['backorders'].sum():,.0f} unit-periods of backorders"
                f" (${costs['backorder']:,.0f})."
            )
        return head + body


def crew_words(lo: int | float, hi: int | float) -> str:
    """``"12 workers"`` or ``"between 9 and 14 workers"``."""
    return f"{hi} workers" if lo == hi else f"between {lo} and {hi} workers"


def _count(x: Any) -> int | float:
    """A worker count for text: whole numbers without decimals, fractions to one place."""
    x = float(x)
    return int(round(x)) if abs(x - round(x)) < 1e-6 else round(x, 1)


def _peak_cover(a: Mapping[str, np.ndarray], costs: Mapping[str, float]) -> str:
    extra = [
        f"{a[f'{kind}_units'].sum():,.0f} {label} units (${costs[kind]:,.0f})"
        for kind, label in (("overtime", "overtime"), ("subcontract", "subcontracted"))
        if a[f"{kind}_units"].any()
    ]
    return " and ".join(extra) if extra else "stock alone"


def _binding(plan: ProductionPlan) -> str:
    """The optimum's binding limits in words (which periods use up overtime, etc.)."""
    a, labels = plan.arrays, plan.periods
    parts = []

    def where(mask: np.ndarray) -> str:
        if mask.all():
            return "every period"
        names = [str(labels[i]) for i in np.flatnonzero(mask)]
        head = "period " if len(names) == 1 else "periods "
        if len(names) > 5:
            return head + ", ".join(names[:4]) + f" and {len(names) - 4} more"
        return head + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0])

    if "spare_overtime" in a:
        full = (a["spare_overtime"] <= 1e-6) & (a["overtime_units"] > 0)
        if full.any():
            parts.append(f"overtime is used to its limit in {where(full)}")
    if "spare_subcontract" in a:
        full = (a["spare_subcontract"] <= 1e-6) & (a["subcontract_units"] > 0)
        if full.any():
            parts.append(f"subcontracting is used to its limit in {where(full)}")
    busy = a["unused_capacity"] <= 1e-6
    if busy.any():
        parts.append(f"regular time is fully used in {where(busy)}")
    return "; ".join(parts)


# ----------------------------------------------------------------------------- inputs


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


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(f"{name}={value!r} is not allowed: expected True or False")
    return value


def _ceil(x: float) -> int:
    return max(0, math.ceil(x - _EPS * max(1.0, abs(x))))


def _series(name: str, value: Any, n: int, *, positive: bool = False, what: str = "number") -> np.ndarray:
    """A number or one number per period, as a float array of length ``n``."""
    if isinstance(value, Real) and not isinstance(value, bool):
        return np.full(n, _number(name, value, positive=positive))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 1 or arr.size != n:
        raise ScenarioError(
            f"{name}={value!r} is not allowed: expected one {what} or {n} of them, one per period"
        )
    for i, x in enumerate(arr.tolist()):
        _number(f"{name}[{i}]", x, positive=positive)
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


def _planning_case(
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
        w0: int | float = _workers("initial_workers", initial_workers)
    else:
        w0 = _number("initial_workers", initial_workers)
    if units_per_worker is not None:
        if working_days is not None or units_per_worker_day is not None:
            raise ScenarioError(
                "units_per_worker together with working_days/units_per_worker_day is not allowed: "
                "expected either units per worker per period or working days times units per worker-day"
            )
        capacity = np.full(n, _number("units_per_worker", units_per_worker, positive=True))
    elif working_days is not None and units_per_worker_day is not None:
        days = _series("working_days", working_days, n, positive=True, what="number of days")
        capacity = days * _number("units_per_worker_day", units_per_worker_day, positive=True)
    else:
        raise ScenarioError(
            "units_per_worker=None is not allowed: expected units per worker per period, or "
            "working_days with units_per_worker_day"
        )
    c_hire = _number("hire_cost", hire_cost)
    c_fire = _number("fire_cost", fire_cost)
    c_unit = _number("unit_cost", unit_cost)
    c_carry = _number("carrying_cost", carrying_cost)
    labour = _series("labour_cost_per_worker", labour_cost_per_worker, n, what="amount in $")
    c_back = _number("backorder_cost", backorder_cost)
    ss_units = _number("safety_stock", safety_stock)
    if safety_stock_share is not None:
        share = _number("safety_stock_share", safety_stock_share)
        if ss_units:
            raise ScenarioError(
                f"safety_stock={safety_stock!r} with safety_stock_share={safety_stock_share!r} is not "
                "allowed: expected one of them (units, or a share of each period's demand)"
            )
        safety = share * d
    else:
        safety = np.full(n, ss_units)
    inv0 = float(safety[0]) if initial_inventory is None else _number("initial_inventory", initial_inventory)
    target = safety.copy()
    if ending_inventory is not None:
        target[-1] = _number("ending_inventory", ending_inventory)
    if ending_workers is None:
        w_end: int | float | None = None
    elif integer:
        w_end = _workers("ending_workers", ending_workers)
    else:
        w_end = _number("ending_workers", ending_workers)
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


# ------------------------------------------------------------------------- assembling


def _assemble(
    strategy: str,
    case: PlanningCase,
    workers: Sequence[float] | np.ndarray,
    regular: Sequence[float] | np.ndarray,
    overtime: Sequence[float] | np.ndarray,
    subcontract: Sequence[float] | np.ndarray,
    *,
    slacks: bool = False,
    violation: str | None = None,
) -> ProductionPlan:
    """Derive inventory, hires, layoffs and every cost from the four decisions per period."""
    d = case.demand
    w = np.asarray(workers, dtype=np.int64 if case.integer_workers else float)
    reg = np.asarray(regular, dtype=float)
    ot = np.asarray(overtime, dtype=float)
    sub = np.asarray(subcontract, dtype=float)
    change = np.diff(w, prepend=w.dtype.type(case.initial_workers))
    hired = np.maximum(change, 0)
    fired = np.maximum(-change, 0)
    closing_hired = np.zeros_like(w)
    closing_fired = np.zeros_like(w)
    if case.ending_workers is not None:
        last = case.ending_workers - w[-1]
        closing_hired[-1] = max(last, 0)
        closing_fired[-1] = max(-last, 0)
    production = reg + ot + sub
    end = case.initial_inventory + np.cumsum(production - d)
    begin = np.concatenate(([case.initial_inventory], end[:-1]))
    on_hand = np.maximum(end, 0.0)
    backlog = np.maximum(-end, 0.0)
    columns: dict[str, np.ndarray] = {
        "demand": d,
        "workers": w,
        "hired": hired,
        "fired": fired,
        "closing_hired": closing_hired,
        "closing_fired": closing_fired,
        "beginning_inventory": begin,
        "regular_units": reg,
        "overtime_units": ot,
        "subcontract_units": sub,
        "production": production,
        "ending_inventory": end,
        "backorders": backlog,
        "unused_capacity": w * case.capacity - reg,
    }
    carried = on_hand
    if case.carrying_on == "average":
        carried = (np.maximum(begin, 0.0) + on_hand) / 2
        columns["average_inventory"] = carried
    if slacks:
        ot_cap = case.overtime_cap(w)
        if case.overtime_cost is not None and np.isfinite(ot_cap).all():
            columns["spare_overtime"] = np.maximum(ot_cap - ot, 0.0)
        sub_cap = case.subcontract_cap()
        if case.subcontract_cost is not None and np.isfinite(sub_cap).all():
            columns["spare_subcontract"] = np.maximum(sub_cap - sub, 0.0)
        columns["above_target"] = end - case.target
    columns.update(
        {
            "cost_hiring": (hired + closing_hired) * case.hire_cost,
            "cost_firing": (fired + closing_fired) * case.fire_cost,
            "cost_labour": w * case.labour,
            "cost_production": (reg + ot) * case.unit_cost,
            "cost_overtime": ot * (case.overtime_cost or 0.0),
            "cost_subcontract": sub * (case.subcontract_cost or 0.0),
            "cost_carrying": carried * case.carrying_cost,
            "cost_backorder": backlog * case.backorder_cost,
        }
    )
    for name, col in columns.items():
        col = np.array(col)  # own copy: the caller's arrays stay writable and untouched
        col.flags.writeable = False
        columns[name] = col
    total = float(sum(float(columns[c].sum()) for c in COST_COLUMNS))
    return ProductionPlan(strategy, total, case.labels, MappingProxyType(columns), violation)


# ------------------------------------------------------------------------- heuristics


def _heuristic_crew(hybrid_workers: Any, case: PlanningCase) -> int | float:
    if hybrid_workers is None:
        return case.initial_workers
    if case.integer_workers:
        return _workers("hybrid_workers", hybrid_workers)
    return _number("hybrid_workers", hybrid_workers)


def _heuristic(strategy: str, case: PlanningCase, hybrid_workers: int | float | None) -> ProductionPlan:
    n, d, cap, tol = case.n, case.demand, case.capacity, case.tol
    size = _ceil if case.integer_workers else (lambda x: max(0.0, float(x)))
    crew = _heuristic_crew(hybrid_workers, case)
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
            f"{case.target[-1]:,.0f} it must end with; allowed: a larger crew, more overtime or subcontracting"
        )
    lead = case.hire_lead_periods
    w_arr = np.asarray(workers, dtype=float)
    hires = np.diff(w_arr, prepend=float(case.initial_workers)) > tol
    early = np.flatnonzero(hires[:lead])
    if early.size:
        t = int(early[0])
        start = f"period {case.labels[lead]!r}" if lead < n else "after the horizon"
        raise InfeasiblePlanError(
            f"strategy={strategy!r} is not allowed with hire_lead_periods={lead}: it needs "
            f"{_count(w_arr[t])} workers in period {case.labels[t]!r}, but hires decided now only "
            f"start working in {start}; allowed: a plan that keeps at most {case.initial_workers} "
            "workers until then (e.g. hybrid with overtime or subcontracting)"
        )
    return _assemble(strategy, case, workers, regular, overtime, subcontract)


# ------------------------------------------------------------------------- public API


def production_plan(
    strategy: str,
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
    hybrid_workers: int | None = None,
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
) -> ProductionPlan:
    """Build a level, chase, hybrid or optimal aggregate production plan and cost it.

    The conventions (inventory targets, hiring at the start of a period, carrying cost,
    whole workers) and the exact definition of each strategy are in the module
    docstring of :mod:`sop_sim.planning.aggregate`, with the textbooks that use each.

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
    case = _planning_case(
        demand, initial_workers=initial_workers, units_per_worker=units_per_worker,
        working_days=working_days, units_per_worker_day=units_per_worker_day, hire_cost=hire_cost,
        fire_cost=fire_cost, unit_cost=unit_cost, carrying_cost=carrying_cost, safety_stock=safety_stock,
        safety_stock_share=safety_stock_share, initial_inventory=initial_inventory,
        ending_inventory=ending_inventory, ending_workers=ending_workers,
        labour_cost_per_worker=labour_cost_per_worker, overtime_cost=overtime_cost,
        max_overtime_units=max_overtime_units, max_overtime_per_worker=max_overtime_per_worker,
        subcontract_cost=subcontract_cost, max_subcontract_units=max_subcontract_units,
        allow_backorders=allow_backorders, backorder_cost=backorder_cost, carrying_on=carrying_on,
        hire_lead_periods=hire_lead_periods, integer_workers=integer_workers, periods=periods,
    )  # fmt: skip
    if strategy == "optimal":
        from sop_sim.planning.optimum import solve

        if hybrid_workers is not None:  # validated for every strategy, used by hybrid only
            _heuristic_crew(hybrid_workers, case)

        workers, regular, overtime, subcontract = solve(case)
        return _assemble("optimal", case, workers, regular, overtime, subcontract, slacks=True)
    return _heuristic(strategy, case, hybrid_workers)


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
        w = _count(a["workers"][t])
        if t < lead and a["hired"][t] > 0:
            return (f"{p} hires {_count(a['hired'][t])} workers, but a hire decided now only starts working "
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
    allowed = [name for name in inspect.signature(_planning_case).parameters if name != "demand"]
    unknown = [name for name in options if name not in allowed]
    if unknown:
        raise ScenarioError(
            f"{unknown[0]}={options[unknown[0]]!r} is not allowed: expected options among {', '.join(allowed)}"
        )
    case = _planning_case(demand, **options)
    n = case.n
    w = _decisions("workers", workers, n, whole=case.integer_workers)
    reg = _decisions("production", production, n, whole=False)
    ot = _decisions("overtime", overtime, n, whole=False)
    sub = _decisions("subcontract", subcontract, n, whole=False)
    plan = _assemble("given", case, w, reg, ot, sub)
    violation = _first_violation(plan, case)
    if violation is None:
        return plan
    return ProductionPlan(plan.strategy, plan.total_cost, plan.periods, plan.arrays, violation)


def compare_strategies(
    demand: Sequence[float] | np.ndarray | pd.Series,
    *,
    strategies: Sequence[str] = STRATEGIES,
    **kwargs: Any,
) -> pd.DataFrame:
    """Cost each strategy on the same demand, one row per strategy.

    Parameters
    ----------
    demand : sequence of float, numpy array or pandas Series
        As for :func:`production_plan`.
    strategies : sequence of str, default all of :data:`STRATEGIES`
        Which strategies to compare, in row order.
    **kwargs
        Passed to :func:`production_plan` unchanged.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``strategy``; columns ``total_cost``, one per cost type
        (:data:`COST_TYPES`), ``peak_workers``, ``peak_inventory`` and ``note``.
        A strategy the options cannot make feasible (e.g. a hybrid crew that is too
        small without overtime, or a plan that hires before the hiring lead time) gets
        NaN costs and the reason in ``note``, so the supply review still sees the other
        alternatives; bad input still raises.
    """
    names = ("total_cost", *COST_TYPES, "peak_workers", "peak_inventory")
    columns: dict[str, list[Any]] = {c: [] for c in (*names, "note")}
    for name in strategies:
        try:
            plan = production_plan(name, demand, **kwargs)
        except InfeasiblePlanError as exc:
            values = [math.nan] * len(names)
            note = str(exc)
        else:
            a = plan.arrays
            values = [
                plan.total_cost,
                *(float(a[c].sum()) for c in COST_COLUMNS),
                float(a["workers"].max()),
                float(a["ending_inventory"].max()),
            ]
            note = ""
        for c, v in zip(names, values, strict=True):
            columns[c].append(v)
        columns["note"].append(note)
    return pd.DataFrame(columns, index=pd.Index(list(strategies), name="strategy"))
