"""Small analysis helpers the exercise notebooks call (so the notebooks define nothing).

Each helper answers a question a study group would otherwise answer with a loop in a
notebook cell: when did a KPI first move, what is a family's price and standard cost,
what case does the aggregate planning exercise use.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sop_sim.calendar import month_labels
from sop_sim.config import Scenario
from sop_sim.presets import PRESETS
from sop_sim.results import Result

#: When a monthly KPI counts as "moved" away from the reference run.
MOVE_THRESHOLDS: dict[str, tuple[str, float]] = {
    "fill_rate": ("abs", 0.02),  # two points of fill rate
    "backorders": ("abs", 100.0),  # a hundred units waiting
    "inventory_value": ("rel", 0.10),  # ten percent more or less stock value
}
#: Month labels for the aggregate planning case (the company's first year, January first).
MONTH_NAMES = tuple(month_labels(range(12)))


def monthly_comparison(reference: Result, variant: Result, kpis: tuple[str, ...] = tuple(MOVE_THRESHOLDS)
                       ) -> pd.DataFrame:
    """The two runs' monthly KPIs side by side: columns ``(kpi, reference name)`` and ``(kpi, variant name)``."""
    a, b = reference.kpis_by_month()[list(kpis)], variant.kpis_by_month()[list(kpis)]
    names = (reference.scenario.name, variant.scenario.name)
    out = pd.concat({names[0]: a, names[1]: b}, axis=1).swaplevel(axis=1)
    return out[[(k, n) for k in kpis for n in names]]


def first_moves(reference: Result, variant: Result) -> pd.DataFrame:
    """The first month each KPI of ``variant`` moved away from ``reference``.

    Both runs should share a seed, so that (common random numbers) any difference
    comes from the levers. A KPI "moves" when the monthly difference passes the
    threshold in :data:`MOVE_THRESHOLDS` (absolute, or relative to the reference).

    Returns
    -------
    pandas.DataFrame
        Indexed by KPI: ``threshold`` (in words) and ``first_month`` (``<NA>`` if never).
    """
    ref, var = reference.kpis_by_month(), variant.kpis_by_month()
    rows = []
    for kpi, (kind, size) in MOVE_THRESHOLDS.items():
        diff = (var[kpi] - ref[kpi]).abs()
        if kind == "rel":
            diff = diff / ref[kpi].abs().where(ref[kpi] != 0)
        moved = diff.index[diff.fillna(0) > size]
        words = f"{size:.0%} of the reference" if kind == "rel" else f"{size:g}"
        rows.append({"kpi": kpi, "threshold": f"change of more than {words}",
                     "first_month": int(moved.min()) if len(moved) else pd.NA})
    return pd.DataFrame(rows).set_index("kpi").astype({"first_month": "Int64"})


def price_list(scenario: Scenario | str = "baseline") -> pd.DataFrame:
    """Price, standard unit cost and unit margin per family, as finance uses them.

    Standard cost is material plus labour (hours per unit times the wage); it is the
    same unit cost the simulation values inventory at.
    """
    sc = PRESETS[scenario] if isinstance(scenario, str) else scenario
    wage = sc.company.plant.wage
    rows = [{"family": f.id, "price": f.price, "material_cost": f.material_cost,
             "labour_cost": f.hours_per_unit * wage, "standard_cost": f.material_cost + f.hours_per_unit * wage}
            for f in sc.company.families]
    out = pd.DataFrame(rows).set_index("family")
    out["unit_margin"] = out["price"] - out["standard_cost"]
    return out


def planning_case(family: str = "mowers") -> dict[str, Any]:
    """The aggregate planning exercise's case, taken from the default company.

    One year of a family's seasonal demand (rounded to tens) with the plant's real
    figures: units one worker makes per month, hiring cost, wages, a carrying cost of 2%
    of the standard cost per unit per month, and the plant's overtime and outsourcing
    terms (overtime at the wage premium, capped at the plant's overtime share of regular
    hours; outsourcing at standard cost plus the contractor's premium, up to its monthly
    capacity). Pass it straight on: ``production_plan("level", **planning_case())``.
    """
    company = PRESETS["baseline"].company
    fam, plant = company.family(family), company.plant
    demand = pd.Series([round(fam.base * s / 10) * 10 for s in fam.seasonality], index=list(MONTH_NAMES),
                       dtype=float)
    standard_cost = fam.material_cost + fam.hours_per_unit * plant.wage
    units_per_worker = plant.hours_per_worker / fam.hours_per_unit
    return {
        "demand": demand,
        "initial_workers": 22,
        "units_per_worker": units_per_worker,
        "hire_cost": plant.hire_cost,
        "fire_cost": 3000.0,
        "unit_cost": fam.material_cost,
        "labour_cost_per_worker": plant.hours_per_worker * plant.wage,
        "carrying_cost": round(plant.carrying_rate * standard_cost, 2),
        "safety_stock": 200.0,
        "overtime_cost": fam.hours_per_unit * plant.wage * plant.overtime_premium,
        "max_overtime_per_worker": units_per_worker * plant.overtime_share,
        "subcontract_cost": standard_cost * (1 + plant.outsource_premium),
        "max_subcontract_units": plant.outsource_capacity_hours / fam.hours_per_unit,
    }
