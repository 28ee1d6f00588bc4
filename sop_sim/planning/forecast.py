"""Statistical forecasting: the starting point of the demand review.

The method is deliberately simple and explainable, the kind a planner can redo by
hand: seasonal indices from the last two years, a level from the last three months
(de-seasonalised), and the year-over-year growth, damped. A family with less than a
two years of history (a new product) gets a flat forecast at its recent level; one with no
history gets zero, which is why a new product needs the demand review to appear in
the plan at all.
"""

from __future__ import annotations

from functools import cache

import numpy as np

# ``np.add.reduce(x) / n`` is what ``x.mean()`` computes, without its Python-level overhead;
# this runs for every family at every demand review.
_add = np.add.reduce


def seasonal_forecast(history: np.ndarray, first_month: int, horizon: int) -> np.ndarray:
    """Forecast one family's demand.

    Parameters
    ----------
    history:
        Recorded monthly demand, oldest first; the last value is month ``first_month - 1``.
        Month 0 of the run is a January, so a month's calendar month is ``month % 12``.
    first_month:
        The first month to forecast.
    horizon:
        How many months to forecast.

    Returns
    -------
    numpy.ndarray
        ``horizon`` non-negative forecasts.
    """
    h = np.asarray(history, dtype=float)
    nz = np.flatnonzero(h > 0)
    if nz.size == 0:
        return np.zeros(horizon)
    h = h[nz[0] :]  # ignore the months before a product existed
    n = h.size
    if n < 24:  # one year cannot tell a launch ramp from seasonality: stay flat
        return np.full(horizon, _add(h[-3:]) / h[-3:].size)
    last = h[-24:]
    years = last.size // 12
    start_cal = (first_month - last.size) % 12
    by_year = last[-12 * years :].reshape(years, 12)
    with np.errstate(invalid="ignore", divide="ignore"):  # a year without demand is caught below
        ratios = by_year / (_add(by_year, axis=1, keepdims=True) / 12)
    idx_by_pos = _add(ratios, axis=0) / years  # position p is calendar month (start_cal + p) % 12
    season = np.empty(12)
    season[(start_cal + np.arange(12)) % 12] = idx_by_pos
    if not (season > 0).all():  # a month without demand: no seasonal pattern to trust
        return np.full(horizon, _add(h[-3:]) / 3)
    recent_cal = (first_month - 3 + np.arange(3)) % 12
    level = float(_add(h[-3:] / season[recent_cal]) / 3)
    growth = float(min(max(_add(h[-12:]) / max(_add(h[-24:-12]), 1e-9), 0.8), 1.25))
    monthly = growth ** (1.0 / 12.0)
    steps = np.arange(1, horizon + 1) + 1.0  # level is centred one month back
    cal = (first_month + np.arange(horizon)) % 12
    return np.maximum(level * monthly**steps * season[cal], 0.0)


def _seasonal_block(last: np.ndarray, first_month: int, horizon: int) -> np.ndarray:
    """:func:`seasonal_forecast` for several families at once (24 months x k families)."""
    by_year = last.reshape(2, 12, -1)
    totals = _add(by_year, axis=1)  # each year's demand per family (the same sums as last[:12], last[-12:])
    ratios = by_year / (totals[:, None] / 12)
    season = np.empty_like(totals[0], shape=(12, by_year.shape[2]))
    season[_calendar(first_month - 24, 12)] = (ratios[0] + ratios[1]) / 2
    level = _add(last[-3:] / season[_calendar(first_month - 3, 3)], axis=0) / 3
    # np.clip(growth, 0.8, 1.25), without its Python-level wrapper
    growth = np.minimum(np.maximum(totals[1] / np.maximum(totals[0], 1e-9), 0.8), 1.25)
    return np.maximum(level * (growth ** (1.0 / 12.0)) ** _steps(horizon) * season[_calendar(first_month, horizon)], 0.0)


@cache
def _calendar(first_month: int, n: int) -> np.ndarray:
    """Calendar months (0 = January) of ``n`` months from ``first_month`` (read-only: shared between calls)."""
    cal = (first_month + np.arange(n)) % 12
    cal.flags.writeable = False
    return cal


@cache
def _steps(horizon: int) -> np.ndarray:
    """Months from the level (centred one month back) to each forecast month, as a column."""
    steps = (np.arange(1, horizon + 1) + 1.0)[:, None]
    steps.flags.writeable = False
    return steps


def forecast_all(history: np.ndarray, first_month: int, horizon: int) -> np.ndarray:
    """Forecast every family: ``history`` is months x families; returns horizon x families.

    Families with two full years of history (no month without demand) are forecast
    together in one pass; the others (a new product) one by one.
    """
    hist = np.asarray(history, dtype=float)
    out = np.empty((horizon, hist.shape[1]))
    last = hist[-24:]
    if hist.shape[0] >= 24:
        full = np.logical_and.reduce(last > 0, axis=0)
        if full.all():
            out[:] = _seasonal_block(last[:, full], first_month, horizon)
            return out
    else:
        full = np.zeros(hist.shape[1], bool)
    if full.any():
        out[:, full] = _seasonal_block(last[:, full], first_month, horizon)
    for j in np.flatnonzero(~full):
        out[:, j] = seasonal_forecast(hist[:, j], first_month, horizon)
    return out
