"""Aggregate plans side by side: the cost of each strategy on the same demand.

Split from :mod:`sop_sim.planning.aggregate` (which builds one plan) so each module
reads in one sitting; the supply review and the exercises call it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from sop_sim.planning.aggregate import (
    COST_COLUMNS,
    COST_TYPES,
    STRATEGIES,
    InfeasiblePlanError,
    production_plan,
)

__all__ = ["compare_strategies"]


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
