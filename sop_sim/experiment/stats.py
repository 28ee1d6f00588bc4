"""Confidence intervals for replicated runs, and verdicts that read KPIs as a trade-off.

With common random numbers, replication ``i`` of two scenarios saw the same demand,
attendance and data noise. The difference of the two runs is then mostly the effect of
the lever, so a t-interval on the *paired* differences is much narrower than comparing
two separate means: fewer replications show whether an effect is real.

A KPI with nothing to measure in a run is NaN (see :mod:`sop_sim.metrics`). Means and
intervals use the runs that have a value; the ``n`` column says how many.

Verdicts. One KPI leads, the headline (:func:`headline_kpi`: ``economic_profit``, or
``margin`` where the summary has no economic profit): it decides whether a scenario is
better overall. Service, cost and inventory are a trade-off: lower cost or inventory
(or higher turns) bought with worse service is a "trade-off", never "better"; higher cost
or inventory that bought better service is a "trade-off", never "worse".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sop_sim.metrics import KPIS, format_change, is_missing

#: The headline KPI in order of preference: the first one the summary has leads.
HEADLINE_CANDIDATES: tuple[str, ...] = ("economic_profit", "margin")
#: KPIs that say whether customers were served.
SERVICE_KPIS: tuple[str, ...] = ("fill_rate", "backorders", "lost_sales")


def headline_kpi(available: Sequence[str] | None = None) -> str:
    """The KPI a comparison leads with: ``economic_profit`` when the summary has it, else ``margin``."""
    have = KPIS if available is None else set(available) & set(KPIS)
    return next(k for k in HEADLINE_CANDIDATES if k in have)


def kpi_group(kpi: str) -> str:
    """Which part of the trade-off a KPI belongs to.

    One of "headline", "service", "cost", "inventory", "money", "forecast" or "process".
    """
    if kpi == headline_kpi():
        return "headline"
    if kpi in SERVICE_KPIS:
        return "service"
    if "inventory" in kpi or "stock" in kpi or kpi == "capital_charge":  # what holding stock costs
        return "inventory"
    if kpi.endswith("_cost"):
        return "cost"
    if kpi.startswith("forecast"):
        return "forecast"
    if KPIS[kpi].unit == "money" or kpi == "aop_gap":
        return "money"
    return "process"


#: Display order of the groups: the headline first, then the trade-off, then the rest.
GROUP_ORDER: tuple[str, ...] = ("headline", "service", "cost", "inventory", "money", "forecast", "process")


def ordered_kpis(kpis: Sequence[str]) -> list[str]:
    """``kpis`` with the headline first, then service, cost, inventory and the rest (stable within a group)."""
    return sorted(kpis, key=lambda k: GROUP_ORDER.index(kpi_group(k)))


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Column-wise mean, sample standard deviation and half-width of a t-interval, NaN-aware.

    ``values`` is (replications x KPIs); a NaN (nothing to measure) is left out of its
    column. Returns ``(mean, sd, half, n)`` with ``n`` the runs with a value per column.
    Where ``n`` is 0 the mean is NaN; where it is 1 the spread is unknown (NaN).
    """
    values = np.asarray(values, dtype=float)
    ok = ~np.isnan(values)
    n = ok.sum(axis=0)
    total = np.where(ok, values, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        dev = np.where(ok, values - mean, 0.0)
        sd = np.where(n > 1, np.sqrt((dev**2).sum(axis=0) / np.maximum(n - 1, 1)), np.nan)
    # inverse Student t CDF; imported here to keep `import sop_sim` light
    from scipy.special import stdtrit

    t = np.where(n > 1, stdtrit(np.maximum(n - 1, 1), 0.5 + level / 2), np.nan)
    half = t * sd / np.sqrt(np.maximum(n, 1))
    return mean, sd, half, n


def value_range(kpi: str) -> tuple[float, float]:
    """The values a KPI can take: shares of a whole within 0 and 1, amounts and counts not below 0."""
    k = KPIS[kpi]
    if kpi in ("aop_gap", "forecast_bias", "margin", "economic_profit") or k.unit == "money" and k.higher_is_better:
        return -np.inf, np.inf
    if k.unit == "share" and kpi != "forecast_wape":
        return 0.0, 1.0
    return 0.0, np.inf


def summary_table(runs: pd.DataFrame, scenarios: Sequence[str], kpis: Sequence[str],
                  level: float = 0.95) -> pd.DataFrame:
    """Mean, standard deviation and confidence interval of every KPI in every scenario.

    ``n`` is the number of runs with a value (a run with nothing to measure is left out).
    An interval is cut to the values the KPI can take (a fill rate never above 100%, a
    count never below 0): with few, skewed runs a t-interval can reach past them.
    """
    parts = []
    lo_hi = np.array([value_range(k) for k in kpis], dtype=float).reshape(-1, 2)
    for name in scenarios:
        mean, sd, half, n = t_interval(runs.loc[runs["scenario"] == name, list(kpis)].to_numpy(float), level)
        parts.append(pd.DataFrame({"scenario": name, "kpi": list(kpis), "mean": mean, "sd": sd, "n": n,
                                   "ci_low": np.maximum(mean - half, lo_hi[:, 0]),
                                   "ci_high": np.minimum(mean + half, lo_hi[:, 1])}))
    return pd.concat(parts, ignore_index=True).set_index(["scenario", "kpi"])


def direction(low: float, high: float) -> str:
    """What an interval (or a single difference, ``low == high``) says: "up", "down", "unclear", "same" or "n/a"."""
    if is_missing(low) or is_missing(high):
        return "n/a"
    if low == high == 0:
        return "same"
    if low <= 0 <= high:
        return "unclear"
    return "up" if low > 0 else "down"


def _good(kpi: str, way: str) -> bool | None:
    better = KPIS[kpi].higher_is_better if kpi in KPIS else None
    if better is None or way not in ("up", "down"):
        return None
    return (way == "up") == better


def service_change(intervals: Mapping[str, tuple[float, float]]) -> str:
    """How service moved, from the difference intervals of the service KPIs.

    "fell" (some service KPI clearly worse), "may have fallen" (none clearly worse, but one
    worse on its mean: the runs cannot tell), "rose" (clearly better, none worse) or "held".
    """
    ks = [k for k in SERVICE_KPIS if k in intervals]
    clear = [_good(k, direction(*intervals[k])) for k in ks]
    if any(g is False for g in clear):
        return "fell"
    # a mean change too small to show ("no change" at display precision) is no fall
    mid = [_good(k, direction(m, m)) for k in ks for m in [sum(intervals[k]) / 2]
           if format_change(k, m) not in ("no change", "n/a")]
    if any(g is False for g in mid):
        return "may have fallen"
    if any(g is True for g in clear):
        return "rose"
    return "held"


def verdict(kpi: str, low: float, high: float, service: str = "held", one_run: bool = False) -> str:
    """Read a difference interval in the KPI's direction, as a trade-off where it is one.

    Returns "better", "worse", "trade-off" (cost or inventory better only because service
    fell, or worse because it bought better service), "higher"/"lower" (a KPI with no
    direction), "no clear difference", "same", "n/a" (nothing to measure) or
    "unknown (one replication)". ``service`` is :func:`service_change` of the same comparison.
    """
    way = direction(low, high)
    if way == "n/a":
        return "n/a"
    if way == "same":
        return "same"
    if way == "unclear":
        return "no clear difference"
    good = _good(kpi, way)
    if good is None:
        return "higher" if way == "up" else "lower"
    if kpi_group(kpi) in ("cost", "inventory") and (
            (good and service in ("fell", "may have fallen")) or (not good and service == "rose")):
        return "trade-off"
    return "better" if good else "worse"


def verdicts(ways: Mapping[str, tuple[float, float]]) -> dict[str, str]:
    """Verdicts of one comparison: KPI -> (low, high) of its difference; service read from the same intervals."""
    service = service_change(ways)
    return {k: verdict(k, lo, hi, service) for k, (lo, hi) in ways.items()}


def reading(kpi: str, verdict_: str, low: float, high: float, service: str = "fell") -> str:
    """The verdict in plain words, e.g. "lower, but service fell: a trade-off, not a gain"."""
    way = direction(low, high)
    word = {"up": "higher", "down": "lower"}.get(way, "")
    if verdict_ == "trade-off":
        good = _good(kpi, way)
        return (f"{word}, but service {service}: a trade-off, not a gain" if good
                else f"{word}, the price of better service: a trade-off")
    if verdict_ == "n/a":
        return "n/a: nothing to measure"
    return verdict_


def paired_differences(runs: pd.DataFrame, scenarios: Sequence[str], reference: str, kpis: Sequence[str],
                       level: float = 0.95) -> pd.DataFrame:
    """Scenario minus reference, replication by replication, with a t-interval per KPI.

    A replication where either run has nothing to measure is left out of that KPI's
    interval; ``n`` counts the pairs used. ``verdict`` reads the interval with each KPI's
    direction (:data:`sop_sim.metrics.KPIS`) and as a trade-off (see :func:`verdict`); the
    service KPIs are judged whether or not they are in ``kpis``. ``reading`` says it in words.
    """
    cols = list(kpis)
    judged = list(dict.fromkeys([*cols, *(k for k in SERVICE_KPIS if k in runs.columns)]))
    ref = runs.loc[runs["scenario"] == reference].set_index("rep")[judged]
    parts = []
    for name in scenarios:
        if name == reference:
            continue
        other = runs.loc[runs["scenario"] == name].set_index("rep")[judged]
        diff = (other - ref.loc[other.index]).to_numpy(float)
        mean, sd, half, n = t_interval(diff, level)
        low, high = mean - half, mean + half
        if len(other) < 2:  # one replication: the direction of the single difference, no interval
            ways = {k: (m, m) for k, m in zip(judged, mean, strict=True)}
        else:
            ways = {k: (lo, hi) for k, lo, hi in zip(judged, low, high, strict=True)}
        said = verdicts(ways)
        if len(other) < 2:
            said = {k: (v if v in ("n/a", "same") else "unknown (one replication)") for k, v in said.items()}
        frame = pd.DataFrame({
            "scenario": name, "kpi": judged, "reference_mean": t_interval(ref.to_numpy(float))[0],
            "mean": t_interval(other.to_numpy(float))[0], "diff": mean, "sd": sd, "n": n,
            "ci_low": low, "ci_high": high, "verdict": [said[k] for k in judged],
            "reading": [reading(k, said[k], *ways[k], service=service_change(ways)) for k in judged],
        })
        parts.append(frame[frame["kpi"].isin(cols)])
    if not parts:
        return pd.DataFrame(columns=["scenario", "kpi", "reference_mean", "mean", "diff", "sd", "n", "ci_low",
                                     "ci_high", "verdict", "reading"]).set_index(["scenario", "kpi"])
    return pd.concat(parts, ignore_index=True).set_index(["scenario", "kpi"])


def compare_summaries(reference: Mapping[str, float], scenario: Mapping[str, float],
                      kpis: Sequence[str] | None = None) -> pd.DataFrame:
    """Two runs' KPIs side by side (one run each, no interval), read as a trade-off.

    Indexed by KPI name, the headline first, then service, cost and inventory; columns
    ``label``, ``unit``, ``group`` (:func:`kpi_group`), ``reference``, ``scenario``,
    ``difference`` (NaN when either run has nothing to measure; 0 when the change is too
    small to show), ``verdict`` and ``reading`` (the verdict in words, "n/a: why" when a run
    has nothing to measure). Service is judged on every service KPI, shown or not.
    """
    ks = ordered_kpis([k for k in (kpis or KPIS) if k in reference and k in scenario])
    judged = list(dict.fromkeys([*ks, *(k for k in SERVICE_KPIS if k in reference and k in scenario)]))
    ref = {k: float(reference[k]) for k in judged}
    val = {k: float(scenario[k]) for k in judged}
    diffs = {k: (np.nan if is_missing(ref[k]) or is_missing(val[k]) else
                 0.0 if format_change(k, val[k] - ref[k]) == "no change" else val[k] - ref[k]) for k in judged}
    ways = {k: (d, d) for k, d in diffs.items()}
    said = verdicts(ways)
    service = service_change(ways)
    rows = []
    for k in ks:
        words = (f"n/a: {KPIS[k].missing}" if said[k] == "n/a" and KPIS[k].missing
                 else reading(k, said[k], diffs[k], diffs[k], service=service))
        rows.append({"kpi": k, "label": KPIS[k].label, "unit": KPIS[k].unit, "group": kpi_group(k),
                     "reference": ref[k], "scenario": val[k], "difference": diffs[k], "verdict": said[k],
                     "reading": words})
    return pd.DataFrame(rows, columns=["kpi", "label", "unit", "group", "reference", "scenario", "difference",
                                       "verdict", "reading"]).set_index("kpi")
