"""An aggregate production plan, its costs and its explanation in plain language.

:func:`assemble` derives everything (inventory, hires and layoffs, every cost) from the
four decisions per period: workers, regular-time, overtime and subcontracted units. The
heuristics, the optimum and :func:`~sop_sim.planning.price_plan` all build their plans
with it, so a plan costs the same whoever drew it up.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from sop_sim.planning.cases import PlanningCase

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
        hires = worker_count(a["hired"].sum() + a["closing_hired"].sum())
        fires = worker_count(a["fired"].sum() + a["closing_fired"].sum())
        lo, hi = worker_count(a["workers"].min()), worker_count(a["workers"].max())
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
        closing_h, closing_f = a["closing_hired"].sum(), a["closing_fired"].sum()
        if closing_h or closing_f:
            move = f"{worker_count(closing_h)} hired" if closing_h else f"{worker_count(closing_f)} laid off"
            body += (f" After the last period the workforce returns to {worker_count(a['workers'][-1] + closing_h - closing_f)}"
                     f" ({move} then, counted above).")
        if a["backorders"].any():
            body += (
                f" Customers wait for {a['backorders'].sum():,.0f} unit-periods of backorders"
                f" (${costs['backorder']:,.0f})."
            )
        return head + body


def crew_words(lo: int | float, hi: int | float) -> str:
    """``"12 workers"`` or ``"between 9 and 14 workers"``."""
    return f"{hi} workers" if lo == hi else f"between {lo} and {hi} workers"


def worker_count(x: Any) -> int | float:
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


def assemble(
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
