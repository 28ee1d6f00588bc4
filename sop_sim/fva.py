"""Forecast value added (FVA): does each step of the demand review make the forecast better?

The standard FVA stairstep (Gilliland) starts from a naive forecast that costs nothing,
then adds each step of the forecasting process and asks whether its error went down:

1. ``naive``: a **seasonal naive** forecast, the orders recorded for the same calendar
   month one year earlier (two years earlier when that month was not yet recorded when
   the forecast was made). Any process worth its cost must beat it.
2. ``statistical``: the statistical forecast of the data gathering.
3. ``sales_input``: the statistical forecast with sales' and marketing's adjustments.
4. ``consensus``: the consensus demand plan agreed at the demand review.

FVA of a step is the error of the version before it minus its own error: positive means
the step removed error (added value), negative means it made the forecast worse.

The supply plan and the authorized plan are *not* on the stairstep: they are constrained
plans that differ from demand on purpose (stock built ahead of a peak, a shortfall the
executives accepted), so their distance from orders is not forecast error and must not
read as "value lost". :func:`constrained_gap` reports that distance separately.

This module is model-side (pandas only, no widgets); :mod:`sop_sim.plotting` draws it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from sop_sim.results import Result

#: The FVA stairstep, in order: naive first, then the steps of the demand review.
VERSIONS: tuple[str, ...] = ("naive", "statistical", "sales_input", "consensus")
#: Constrained plans: judged against orders separately, never as forecast value.
CONSTRAINED: tuple[str, ...] = ("supply", "authorized")
#: Plain-language labels for the versions.
VERSION_LABELS: dict[str, str] = {
    "naive": "Seasonal naive (same month last year)",
    "statistical": "Statistical forecast",
    "sales_input": "Sales input",
    "consensus": "Consensus demand plan",
    "supply": "Supply plan",
    "authorized": "Authorized plan",
}


def _check(result: Result, cycle: int | None, lag: int) -> None:
    if not isinstance(lag, int) or isinstance(lag, bool) or not 1 <= lag <= 24:
        raise ValueError(f"lag={lag!r} is invalid: allowed an integer from 1 to 24")
    months = result.scenario.months
    if cycle is not None and (not isinstance(cycle, int) or isinstance(cycle, bool) or not 0 <= cycle < months):
        raise ValueError(f"cycle={cycle!r} is invalid: allowed a month from 0 to {months - 1}")


def _points(result: Result, versions: tuple[str, ...], cycle: int | None, lag: int) -> pd.DataFrame:
    """Plan units of ``versions`` per (cycle, month, family) on the points where all of them exist."""
    plans = result.plans
    if cycle is None:
        plans = plans[plans["month"] == plans["cycle"] + lag]
    else:
        plans = plans[(plans["cycle"] == cycle) & (plans["month"] > cycle)]
    plans = plans[plans["month"].isin(result.periods["month"].unique())]  # months with actual orders
    plans = plans[plans["version"].isin(versions)]
    return plans.pivot_table(index=["cycle", "month", "family"], columns="version", values="units",
                             aggfunc="first")


def seasonal_naive(result: Result, index: pd.MultiIndex) -> np.ndarray:
    """The seasonal naive forecast at each (cycle, month, family) of ``index``.

    A forecast made in cycle ``c`` knows the orders recorded up to month ``c - 1``; for
    month ``m`` it is the recorded orders of ``m - 12`` (of ``m - 24`` if ``m - 12`` had not
    been recorded yet, and so on). NaN where that month is before the recorded history.
    """
    rec = result.recorded_orders
    if rec.empty:
        return np.full(len(index), np.nan)
    c = index.get_level_values("cycle").to_numpy()
    m = index.get_level_values("month").to_numpy()
    fam = index.get_level_values("family")
    years_back = -((c - 1 - m) // 12)  # the fewest whole years back to a month recorded by cycle c
    src = m - 12 * np.maximum(years_back, 1)
    stacked = rec.stack()
    got = stacked.reindex(pd.MultiIndex.from_arrays([src, fam]))
    return got.to_numpy(dtype=float)


def _table(result: Result, wide: pd.DataFrame, versions: list[str]) -> pd.DataFrame:
    actual = result.periods.set_index(["month", "family"])["orders"]
    act = actual.reindex(pd.MultiIndex.from_arrays([wide.index.get_level_values("month"),
                                                    wide.index.get_level_values("family")])).to_numpy(dtype=float)
    total = float(act.sum())
    rows = []
    for version in versions:
        units = wide[version].to_numpy(dtype=float)
        err = float(abs(units - act).sum())
        rows.append({"version": version, "label": VERSION_LABELS[version], "planned": float(units.sum()),
                     "actual": total, "abs_error": err, "wape": err / total if total else np.nan})
    return pd.DataFrame(rows, columns=["version", "label", "planned", "actual", "abs_error", "wape"]
                        ).set_index("version")


def fva_table(result: Result, cycle: int | None = None, lag: int = 1) -> pd.DataFrame:
    """The FVA stairstep: each forecast version's error against actual orders and the value each step added.

    Parameters
    ----------
    result:
        A finished run.
    cycle:
        Use only the forecasts made in this month's cycle, over every later month of the
        run they cover. ``None`` (default) uses every cycle, each judged ``lag`` months ahead.
    lag:
        With ``cycle=None``: how many months ahead of the cycle month the forecast is judged
        (1 = the month the plan drives next, the lag of the summary's forecast error). From 1 to 24.

    Returns
    -------
    pandas.DataFrame
        Indexed by version in stairstep order (:data:`VERSIONS`: seasonal naive first; only
        the versions the run produced), with columns ``label``, ``planned`` (units),
        ``actual`` (units ordered; every version is judged on the same cycles, months and
        families, those where all of them exist), ``abs_error`` (units), ``wape``
        (abs_error / actual), ``fva`` (the previous version's wape minus this one's:
        positive means the step helped; 0 for the naive forecast) and ``vs_naive`` (the
        naive wape minus this one's: the value of the process so far). The constrained
        supply and authorized plans are left out: see :func:`constrained_gap`.

    Raises
    ------
    ValueError
        If ``lag`` is out of range or ``cycle`` is not a month of the run.
    """
    _check(result, cycle, lag)
    wide = _points(result, VERSIONS[1:], cycle, lag)
    wide["naive"] = seasonal_naive(result, wide.index) if len(wide) else []
    present = [v for v in VERSIONS if v in wide.columns and wide[v].notna().any()]
    wide = wide.reindex(columns=present).dropna()
    out = _table(result, wide, present)
    out["fva"] = (-out["wape"].diff()).fillna(0.0)
    out["vs_naive"] = out["wape"].iloc[0] - out["wape"] if len(out) and present[0] == "naive" else np.nan
    return out


def constrained_gap(result: Result, cycle: int | None = None, lag: int = 1) -> pd.DataFrame:
    """How far the constrained plans (supply, authorized) were from actual orders, next to the consensus.

    Not forecast value: a constrained plan departs from demand on purpose (pre-building,
    an accepted shortfall). Same parameters and columns as :func:`fva_table` without the
    ``fva`` columns; ``gap_vs_consensus`` is this plan's wape minus the consensus's.
    """
    _check(result, cycle, lag)
    versions = ("consensus", *CONSTRAINED)
    wide = _points(result, versions, cycle, lag)
    present = [v for v in versions if v in wide.columns]
    wide = wide.reindex(columns=present).dropna()
    out = _table(result, wide, present)
    out["gap_vs_consensus"] = out["wape"] - out["wape"].get("consensus", np.nan)
    return out
