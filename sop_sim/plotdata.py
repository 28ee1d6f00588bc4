"""What the kit's plots show, worked out once for the static figures and the browser plots.

:mod:`sop_sim.plotting` draws these with matplotlib (notebooks, reports) and
:mod:`sop_sim.ui.live_plot` with bqplot in the browser: the same series by panel, y limits,
ticks and their labels, calendar month ticks, colours and waterfall bars. Nothing here
computes a KPI: it selects, orders and labels what a result's frames hold. Only matplotlib's
tick locator is imported from matplotlib (no figure machinery), so the widget apps load fast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from sop_sim.calendar import month_label
from sop_sim.metrics import KPIS

#: Colours: the scenario under study stands out, the reference is grey.
SCENARIO_COLOUR = "#d1495b"
REFERENCE_COLOUR = "#7a7a7a"
BETTER_COLOUR = "#2e8b57"
WORSE_COLOUR = "#c0392b"
TRADEOFF_COLOUR = "#e0a100"  # amber: cost or inventory moved only because service moved the other way
CYCLE = ("#d1495b", "#00798c", "#edae49", "#30638e", "#66a182", "#8d96a3")

#: The four series the explorer shows over time (columns of ``Result.kpis_by_month()``).
TIMESERIES: tuple[str, ...] = ("fill_rate", "inventory_value", "total_cost", "backorders")

#: The y-axis caption of each KPI unit.
UNIT_TEXT = {"share": "%", "money": "dollars", "units": "units", "days": "days", "count": "count",
             "per year": "times a year"}


def tick_text(v: float, unit: str, axis_max: float = 0.0) -> str:
    """A tick label in the KPI's unit with thousands separators: 95%, 2,500, 1.2M.

    ``axis_max`` is the largest absolute value on the axis: once it reaches a million, every
    tick of the axis is written in millions (0.5M next to 1M, not 500,000).
    """
    if abs(v) < 1e-9:
        return "0%" if unit == "share" else "0"
    if unit == "share":
        return f"{v:.0%}" if abs(v) >= 0.095 else f"{v:.1%}"
    a = abs(v)
    if a >= 1e6 or (max(axis_max, a) >= 1e6 and a >= 1e4):
        return f"{v / 1e6:,.2f}".rstrip("0").rstrip(".") + "M"
    if a >= 10 or v == 0:
        return f"{v:,.0f}"
    return f"{v:,.1f}"


def unit_caption(unit: str) -> str:
    """The axis caption of a KPI unit ("%", "dollars", "times a year")."""
    return UNIT_TEXT.get(unit, unit)


def month_tick_step(months: int | None) -> int:
    """Months between two ticks of a month axis: a quarter up to 18 months, else half a year."""
    return 3 if months is not None and months <= 18 else 6


def month_ticks(months: int) -> dict[int, str]:
    """Tick positions of an axis of ``months`` model months and their calendar labels ({0: "Jan Y1", ...})."""
    return {m: month_label(m) for m in range(0, max(1, months), month_tick_step(months))}


def kpi_label(column: str) -> tuple[str, str]:
    """A column's label and unit: from ``sop_sim.metrics.KPIS``, else its name in words."""
    kpi = KPIS.get(column)
    return (kpi.label, kpi.unit) if kpi else (column.replace("_", " ").capitalize(), "")


def line_colour(name: str, highlight: str | None, i: int) -> str:
    """The colour of run ``name`` (the ``i``-th): the highlighted run red, the others grey (or a cycle)."""
    return SCENARIO_COLOUR if name == highlight else REFERENCE_COLOUR if highlight is not None else CYCLE[i % len(CYCLE)]


@dataclass(frozen=True)
class SeriesPanel:
    """One panel of monthly series: what a static figure and the browser plot both draw.

    Attributes
    ----------
    column:
        The column drawn (a KPI name).
    title, unit:
        The KPI's label and unit (from ``sop_sim.metrics.KPIS``); :attr:`caption` is the axis caption.
    series:
        Run label -> (model months, values), in the order the runs were given.
    """

    column: str
    title: str
    unit: str
    series: dict[str, tuple[np.ndarray, np.ndarray]]

    @property
    def caption(self) -> str:
        """The y axis caption: the unit in words ("%", "dollars", "units")."""
        return unit_caption(self.unit)

    @property
    def months(self) -> int:
        """How many months the longest series covers."""
        return max((len(x) for x, _y in self.series.values()), default=0)

    def y_range(self, margin: float = 0.05) -> tuple[float, float]:
        """The y limits: every series with ``margin`` (a share of the span) above and below, widened
        to the next round tick and limited by :func:`axis_range`.

        Round limits read well and stay put when a lever moves a line only a little, so the eye
        sees the line move rather than the axis (and the browser plot has less to update).
        """
        values = np.concatenate([y for _x, y in self.series.values()] or [np.zeros(1)]).astype(float)
        values = values[np.isfinite(values)]
        lo, hi = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
        span = hi - lo if hi > lo else max(abs(hi) * 0.1, 1e-3)  # a flat line still gets an axis around it
        lo, hi = axis_range(lo - margin * span, hi + margin * span, self.unit)
        ticks = y_locator(self.unit).tick_values(lo, hi)
        return axis_range(min(lo, float(ticks[0])), max(hi, float(ticks[-1])), self.unit)


def timeseries_panels(frames: Mapping[str, pd.DataFrame], columns: Sequence[str] = TIMESERIES) -> list[SeriesPanel]:
    """The panels of :func:`sop_sim.plotting.timeseries_compare`: one per column, each with every run's series.

    ``frames`` maps a run's label to a frame indexed by model month (``result.kpis_by_month()``).
    Only selects and labels what the frames hold; computes no KPI.
    """
    panels = []
    for col in columns:
        label, unit = kpi_label(col)
        series = {name: (frame.index.to_numpy(), frame[col].to_numpy(dtype=float)) for name, frame in frames.items()}
        panels.append(SeriesPanel(col, label, unit, series))
    return panels


def y_locator(unit: str) -> MaxNLocator:
    """Where a panel's y ticks go: about four round values (whole numbers for units and counts)."""
    return MaxNLocator(4, steps=[1, 2, 2.5, 5, 10], integer=unit in ("units", "count"))


def axis_ticks(lo: float, hi: float, unit: str) -> dict[float, str]:
    """The ticks of an axis with limits ``lo``..``hi``: value -> label, as the static figures show them."""
    values = [round(float(v), 9) for v in y_locator(unit).tick_values(lo, hi) if lo - 1e-9 <= v <= hi + 1e-9]
    top = max((abs(v) for v in values), default=0.0)
    return {v: tick_text(v, unit, top) for v in values}


def axis_range(lo: float, hi: float, unit: str) -> tuple[float, float]:
    """The y limits ``lo``..``hi`` limited to what the unit allows.

    A share's axis stops just past 0% and 100% (a flat line gets a band of 20 points around it);
    units, counts, money and days cannot fall below zero, so a margin under zero is cut at zero.
    """
    if unit == "share":  # a share above 100% or below 0% would only be margin
        lo, hi = max(lo, -0.005), min(hi, 1.005)
        if hi - lo < 0.1:  # a flat line at 100% (or anywhere): show a sensible band around it
            lo, hi = max(-0.005, hi - 0.2), min(1.005, max(hi, lo + 0.2))
    elif unit in ("units", "count", "money", "days") and lo < 0 <= hi:
        lo, hi = 0.0, max(hi, 1.0)  # these cannot fall below zero: the margin under zero only adds -0 ticks
    return lo, hi


#: The legend of a band plot.
BAND_LABELS = {"mean": "mean over seeds", "band": "95% confidence band"}


def band_series(summary: pd.DataFrame, x: str, *, mean: str = "mean", low: str = "low",
                high: str = "high") -> dict[str, np.ndarray]:
    """What :func:`sop_sim.plotting.band` draws, sorted by ``x``: arrays ``x``, ``mean``, ``low`` and ``high``."""
    s = summary.sort_values(x)
    return {"x": s[x].to_numpy(dtype=float), "mean": s[mean].to_numpy(dtype=float),
            "low": s[low].to_numpy(dtype=float), "high": s[high].to_numpy(dtype=float)}


#: What the colours of the FVA waterfall mean, and why two plans are missing.
WATERFALL_NOTE = ("Green: the step lowered the error (value added); red: it raised it. The supply and authorized "
                  "plans are constrained on purpose, so they are not forecasts and are not shown.")


@dataclass(frozen=True)
class WaterfallBar:
    """One bar of the FVA waterfall: from ``bottom`` to ``top`` (error shares), its colour and texts."""

    label: str
    bottom: float
    top: float
    colour: str
    value_text: str
    change_text: str

    @property
    def short_label(self) -> str:
        """The version's name for a narrow axis: "Seasonal naive", "Statistical", "Sales input", "Consensus"."""
        name = self.label.split(" (")[0]
        for tail in (" forecast", " demand plan", " plan"):
            name = name.removesuffix(tail)
        return name


def waterfall_bars(table: pd.DataFrame) -> list[WaterfallBar]:
    """The bars of :func:`sop_sim.plotting.fva_waterfall` (and of the walkthrough's browser plot), from an FVA table.

    The first bar is the first version's error, from zero, grey; each later bar runs from the
    previous version's error to this one's, green if the step lowered it, red if it raised it,
    with the change in percentage points.
    """
    bars = []
    wape = [float(w) for w in table["wape"]]
    for i, (label, w) in enumerate(zip(table["label"], wape, strict=True)):
        if i == 0:
            bars.append(WaterfallBar(str(label), 0.0, w, REFERENCE_COLOUR, f"{w:.1%}", ""))
            continue
        prev = wape[i - 1]
        change = round((w - prev) * 100, 1)
        text = "no change" if change == 0 else f"{abs(change):.1f} pts {'lower' if change < 0 else 'higher'}"
        bars.append(WaterfallBar(str(label), prev, w, BETTER_COLOUR if w <= prev else WORSE_COLOUR, f"{w:.1%}", text))
    return bars


