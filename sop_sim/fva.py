"""Forecast value added (FVA): does each step of the cycle make the numbers better?

Every month the cycle writes up to five plan versions (see ``Result.plans``): the
statistical forecast, the sales input, the consensus demand plan, the supply plan and
the authorized plan. FVA compares each version's error against the actual orders with
the error of the version before it. A step that *adds* value lowers the error; one that
adds bias (sales optimism) or noise raises it.

The supply and authorized plans are constrained plans: where they differ from demand
on purpose (pre-building for a peak, a shortfall the executives accepted) that shows up
here as "error". Read their bars as "how far the plan we executed was from what
customers ordered", not as forecasting skill.

This module is model-side (pandas only, no widgets); :mod:`sop_sim.plotting` draws it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from sop_sim.results import Result

#: Plan versions in the order the cycle produces them.
VERSIONS: tuple[str, ...] = ("statistical", "sales_input", "consensus", "supply", "authorized")
#: Plain-language labels for the versions.
VERSION_LABELS: dict[str, str] = {
    "statistical": "Statistical forecast",
    "sales_input": "Sales input",
    "consensus": "Consensus demand plan",
    "supply": "Supply plan",
    "authorized": "Authorized plan",
}


def fva_table(result: Result, cycle: int | None = None, lag: int = 1) -> pd.DataFrame:
    """Error of each plan version against actual orders, and the value each step added.

    Parameters
    ----------
    result:
        A finished run.
    cycle:
        Use only the plans made in this month's cycle, over every later month of the run
        they cover. ``None`` (default) uses every cycle, each at ``lag`` months ahead.
    lag:
        With ``cycle=None``: how many months ahead of the cycle month the plan is judged
        (1 = the month the plan drives next). Must be from 1 to 36.

    Returns
    -------
    pandas.DataFrame
        Indexed by version (only the versions the run produced, in cycle order), with
        columns ``label``, ``planned`` (units), ``actual`` (units ordered in the same
        months; every version is judged on the same cycles, months and families, those
        for which all versions the run produced exist), ``abs_error`` (units), ``wape`` (abs_error / actual) and ``fva``
        (previous version's wape minus this one's: positive means the step helped; 0 for
        the first version).

    Raises
    ------
    ValueError
        If ``lag`` is out of range or ``cycle`` is not a month of the run.
    """
    if not isinstance(lag, int) or isinstance(lag, bool) or not 1 <= lag <= 36:
        raise ValueError(f"lag={lag!r} is invalid: allowed an integer from 1 to 36")
    months = result.scenario.months
    if cycle is not None and (not isinstance(cycle, int) or not 0 <= cycle < months):
        raise ValueError(f"cycle={cycle!r} is invalid: allowed a month from 0 to {months - 1}")
    plans = result.plans
    if cycle is None:
        plans = plans[plans["month"] == plans["cycle"] + lag]
    else:
        plans = plans[(plans["cycle"] == cycle) & (plans["month"] > cycle)]
    actual = result.periods.set_index(["month", "family"])["orders"]
    plans = plans[plans["month"].isin(result.periods["month"].unique())]  # months with actual orders
    present = [v for v in VERSIONS if (plans["version"] == v).any()]
    # judge every version on the same (cycle, month, family) points, so the bars compare like with like
    wide = plans.pivot_table(index=["cycle", "month", "family"], columns="version", values="units",
                             aggfunc="first").reindex(columns=present).dropna()
    act = actual.reindex(pd.MultiIndex.from_arrays([wide.index.get_level_values("month"),
                                                    wide.index.get_level_values("family")])).to_numpy(dtype=float)
    total = float(act.sum())
    rows = []
    for version in present:
        units = wide[version].to_numpy(dtype=float)
        err = float(abs(units - act).sum())
        rows.append({"version": version, "label": VERSION_LABELS[version], "planned": float(units.sum()),
                     "actual": total, "abs_error": err, "wape": err / total if total else 0.0})
    out = pd.DataFrame(rows, columns=["version", "label", "planned", "actual", "abs_error", "wape"])
    out = out.set_index("version")
    out["fva"] = (-out["wape"].diff()).fillna(0.0)
    return out
