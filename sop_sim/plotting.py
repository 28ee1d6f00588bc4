"""Every plot of the kit, in one place.

Each helper takes columns of a result frame (or a table derived model-side, such as
:func:`sop_sim.fva.fva_table`) and returns a :class:`matplotlib.figure.Figure`. The
helpers compute no KPI: they draw what they are given. Figures are built without
``pyplot``, so they work under any backend (Agg in tests and Voila), leave no global
state behind and are garbage-collected like any object. In a notebook, a returned figure
shows itself when it is the last value of a cell (:class:`KitFigure` renders itself as a PNG,
so this works without ``%matplotlib inline``).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sop_sim.calendar import month_label
from sop_sim.metrics import KPIS

#: Colours: the scenario under study stands out, the reference is grey.
SCENARIO_COLOUR = "#d1495b"
REFERENCE_COLOUR = "#7a7a7a"
BETTER_COLOUR = "#2e8b57"
WORSE_COLOUR = "#c0392b"
TRADEOFF_COLOUR = "#e0a100"  # amber: cost or inventory moved only because service moved the other way
_CYCLE = ("#d1495b", "#00798c", "#edae49", "#30638e", "#66a182", "#8d96a3")

#: The four series the explorer shows over time (columns of ``Result.kpis_by_month()``).
TIMESERIES: tuple[str, ...] = ("fill_rate", "inventory_value", "total_cost", "backorders")


class KitFigure(Figure):
    """A matplotlib Figure that shows itself as a PNG in a notebook, with or without pyplot."""

    def _repr_png_(self) -> bytes:
        return to_png(self)


#: Projector-grade defaults: every figure is drawn at this resolution with these font sizes
#: (points), big enough to read from the back of a room at 1280x720.
DPI = 100
FONT = 12
SMALL_FONT = 11
TITLE_FONT = 14

#: The y-axis caption of each KPI unit.
UNIT_TEXT = {"share": "%", "money": "money", "units": "units", "days": "days", "count": "count",
             "per year": "times a year"}


def _fmt(unit: str) -> FuncFormatter:
    """Tick labels in the KPI's unit with thousands separators: 95%, 2,500, 1.2M."""
    def short(v: float, _pos: object = None) -> str:
        if abs(v) < 1e-9:
            return "0%" if unit == "share" else "0"
        if unit == "share":
            return f"{v:.0%}" if abs(v) >= 0.095 else f"{v:.1%}"
        a = abs(v)
        if a >= 1e6:
            return f"{v / 1e6:,.1f}M".replace(".0M", "M")
        if a >= 10 or v == 0:
            return f"{v:,.0f}"
        return f"{v:,.1f}"
    return FuncFormatter(short)


def _unit_caption(unit: str) -> str:
    return UNIT_TEXT.get(unit, unit)


def month_tick_step(months: int | None) -> int:
    """Months between two ticks of a month axis: a quarter up to 18 months, else half a year."""
    return 3 if months is not None and months <= 18 else 6


def month_ticks(months: int) -> dict[int, str]:
    """Tick positions of an axis of ``months`` model months and their calendar labels ({0: "Jan Y1", ...})."""
    return {m: month_label(m) for m in range(0, max(1, months), month_tick_step(months))}


def month_axis(ax: Any, months: int | None = None) -> None:
    """Label an axis of model months with calendar months ("Apr Y1"), one tick per quarter or half-year."""
    from matplotlib.ticker import MultipleLocator

    ax.xaxis.set_major_locator(MultipleLocator(month_tick_step(months)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p=None: month_label(int(round(v)))))


def _label(column: str) -> tuple[str, str]:
    kpi = KPIS.get(column)
    return (kpi.label, kpi.unit) if kpi else (column.replace("_", " ").capitalize(), "")


def line_colour(name: str, highlight: str | None, i: int) -> str:
    """The colour of run ``name`` (the ``i``-th): the highlighted run red, the others grey (or a cycle)."""
    return SCENARIO_COLOUR if name == highlight else REFERENCE_COLOUR if highlight is not None else _CYCLE[i % len(_CYCLE)]


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
        """The y axis caption: the unit in words ("%", "money", "units")."""
        return _unit_caption(self.unit)

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
        ticks = _y_locator(self.unit).tick_values(lo, hi)
        return axis_range(min(lo, float(ticks[0])), max(hi, float(ticks[-1])), self.unit)


def timeseries_panels(frames: Mapping[str, pd.DataFrame], columns: Sequence[str] = TIMESERIES) -> list[SeriesPanel]:
    """The panels of :func:`timeseries_compare`: one per column, each with every run's series.

    ``frames`` maps a run's label to a frame indexed by model month (``result.kpis_by_month()``).
    Only selects and labels what the frames hold; computes no KPI.
    """
    panels = []
    for col in columns:
        label, unit = _label(col)
        series = {name: (frame.index.to_numpy(), frame[col].to_numpy(dtype=float)) for name, frame in frames.items()}
        panels.append(SeriesPanel(col, label, unit, series))
    return panels


def _y_locator(unit: str) -> MaxNLocator:
    """Where a panel's y ticks go: about four round values (whole numbers for units and counts)."""
    return MaxNLocator(4, steps=[1, 2, 2.5, 5, 10], integer=unit in ("units", "count"))


def axis_ticks(lo: float, hi: float, unit: str) -> dict[float, str]:
    """The ticks of an axis with limits ``lo``..``hi``: value -> label, as the static figures show them."""
    fmt = _fmt(unit)
    values = [round(float(v), 9) for v in _y_locator(unit).tick_values(lo, hi) if lo - 1e-9 <= v <= hi + 1e-9]
    return {v: fmt(v) for v in values}


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


def timeseries_compare(frames: Mapping[str, pd.DataFrame], columns: Sequence[str] = TIMESERIES,
                       *, highlight: str | None = None, figsize: tuple[float, float] = (12.0, 7.0),
                       dpi: int = DPI, title: str | None = None) -> Figure:
    """Monthly series of several runs, one panel per column.

    Parameters
    ----------
    frames:
        Label -> a frame indexed by model month (e.g. ``result.kpis_by_month()``); the x axis
        shows calendar months.
    columns:
        Columns to draw, one panel each (labels and units come from ``sop_sim.metrics.KPIS``).
    highlight:
        The label drawn in the scenario colour; the others are drawn in grey.
    title:
        What to notice (default: which line is which).
    """
    fig = KitFigure(figsize=figsize, dpi=dpi)
    n = len(columns)
    ncols = 2 if n > 1 else 1
    nrows = (n + ncols - 1) // ncols
    axes = fig.subplots(nrows, ncols, sharex=True, squeeze=False).ravel()
    for k, (ax, panel) in enumerate(zip(axes, timeseries_panels(frames, columns), strict=False)):
        for i, (name, (x, y)) in enumerate(panel.series.items()):
            ax.plot(x, y, color=line_colour(name, highlight, i), lw=2.6 if name == highlight else 1.8,
                    label=name if k == 0 else None)
        ax.set_title(panel.title, fontsize=FONT, fontweight="bold", loc="left")
        ax.set_ylabel(panel.caption, fontsize=SMALL_FONT)
        ax.yaxis.set_major_locator(_y_locator(panel.unit))
        ax.yaxis.set_major_formatter(_fmt(panel.unit))
        month_axis(ax, panel.months)
        ax.tick_params(labelsize=SMALL_FONT)
        ax.grid(axis="y", color="#dddddd", lw=0.8)
        ax.set_ylim(*panel.y_range())
    for ax in axes[n:]:
        ax.set_visible(False)
    if title is None:
        title = (f"Month by month: {highlight} (red) against {', '.join(x for x in frames if x != highlight)} (grey)"
                 if highlight in frames and len(frames) > 1 else "Month by month")
    fig.suptitle(title, fontsize=TITLE_FONT, x=0.01, ha="left")
    w, h = figsize
    if len(frames) > 1:
        fig.legend(loc="upper right", ncol=len(frames), fontsize=SMALL_FONT, frameon=False,
                   bbox_to_anchor=(0.99, 1 - 0.42 / h))
    # margins in inches, so a small figure keeps room for its tick labels
    fig.subplots_adjust(left=min(0.25, 1.0 / w), right=0.98, top=1 - 1.05 / h, bottom=0.45 / h,
                        wspace=0.25, hspace=0.45 * nrows / max(1, nrows))
    return fig


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
    """The bars of :func:`fva_waterfall` (and of the walkthrough's browser plot), from an FVA table.

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


def fva_waterfall(table: pd.DataFrame, *, title: str = "Forecast value added: did each step lower the error?",
                  figsize: tuple[float, float] = (9.0, 4.8), dpi: int = 100) -> Figure:
    """The FVA stairstep as a waterfall: the naive forecast's error, then what each step changed.

    Parameters
    ----------
    table:
        As returned by :func:`sop_sim.fva.fva_table`: rows in stairstep order (seasonal
        naive first) with ``label``, ``wape`` and ``fva`` columns.

    The first bar is the first version's error (grey); each later bar shows how much a step
    lowered (green, value added) or raised (red, value lost) the error, labelled with the
    error after the step and the change in percentage points. The constrained supply and
    authorized plans are not forecasts and are not drawn (see :func:`sop_sim.fva.constrained_gap`).
    """
    fig = KitFigure(figsize=figsize, dpi=dpi)
    ax = fig.subplots()
    labels = [str(x).replace(" (", "\n(", 1).replace(" ", "\n", 1) if "(" not in str(x) else
              str(x).replace(" (", "\n(", 1) for x in table["label"]]
    bars = waterfall_bars(table)
    wape = table["wape"].to_numpy(dtype=float)
    small = max(7, round(figsize[1] * 2.1))
    for i, bar in enumerate(bars):
        ax.bar(i, bar.top - bar.bottom, bottom=bar.bottom, color=bar.colour)
        if i:
            ax.plot([i - 1.4, i + 0.4], [bar.bottom, bar.bottom], color="black", lw=0.8)
        text = bar.value_text + (f"\n{bar.change_text}" if bar.change_text else "")
        ax.annotate(text, (i, max(bar.top, bar.bottom)), xytext=(0, 3), textcoords="offset points", ha="center",
                    fontsize=small)
    ax.set_xticks(range(len(labels)), labels, fontsize=small)
    ax.yaxis.set_major_formatter(_fmt("share"))
    ax.tick_params(axis="y", labelsize=small)
    ax.set_ylabel("forecast error, % of orders (WAPE)", fontsize=small)
    ax.set_ylim(0, max(wape.max() * 1.35, 0.01) if len(wape) else 1)
    ax.set_title(title, fontsize=small + 2)
    foot = max(6, small - 2)
    fig.text(0.01, 0.01, textwrap.fill(WATERFALL_NOTE, int(figsize[0] * 72 / (foot * 0.52))), fontsize=foot,
             color=REFERENCE_COLOUR)
    fig.subplots_adjust(left=0.11, right=0.98, top=0.88, bottom=0.27)
    return fig


#: The legend of a band plot.
BAND_LABELS = {"mean": "mean over seeds", "band": "95% confidence band"}


def band_series(summary: pd.DataFrame, x: str, *, mean: str = "mean", low: str = "low",
                high: str = "high") -> dict[str, np.ndarray]:
    """What :func:`band` draws, sorted by ``x``: arrays ``x``, ``mean``, ``low`` and ``high``."""
    s = summary.sort_values(x)
    return {"x": s[x].to_numpy(dtype=float), "mean": s[mean].to_numpy(dtype=float),
            "low": s[low].to_numpy(dtype=float), "high": s[high].to_numpy(dtype=float)}


def band(summary: pd.DataFrame, x: str, *, mean: str = "mean", low: str = "low", high: str = "high",
         label: str = "", xlabel: str = "", unit: str = "", figsize: tuple[float, float] = (9.0, 5.0),
         dpi: int = DPI, xunit: str = "", title: str = "") -> Figure:
    """A mean line with a shaded confidence band, e.g. a KPI against executive engagement.

    Parameters
    ----------
    summary:
        One row per x value with the columns named by ``x``, ``mean``, ``low`` and ``high``.
    label, xlabel, unit, xunit:
        The y label, the x label and the units of y and x (for tick formatting).
    title:
        What to notice; default "<label> against <xlabel>".
    """
    fig = KitFigure(figsize=figsize, dpi=dpi)
    ax = fig.subplots()
    s = band_series(summary, x, mean=mean, low=low, high=high)
    ax.fill_between(s["x"], s["low"], s["high"], color=SCENARIO_COLOUR, alpha=0.2, lw=0, label=BAND_LABELS["band"])
    ax.plot(s["x"], s["mean"], color=SCENARIO_COLOUR, marker="o", ms=7, lw=2.4, label=BAND_LABELS["mean"])
    ax.yaxis.set_major_formatter(_fmt(unit))
    if xunit:
        ax.xaxis.set_major_formatter(_fmt(xunit))
    ax.set_xlabel(xlabel, fontsize=FONT)
    ax.set_ylabel(f"{label} ({_unit_caption(unit)})" if unit else label, fontsize=FONT)
    ax.tick_params(labelsize=SMALL_FONT)
    ax.grid(axis="y", color="#dddddd", lw=0.8)
    ax.legend(fontsize=SMALL_FONT, frameon=False)
    ax.set_title(title or f"{label} against {xlabel.lower() or x.replace('_', ' ')}", fontsize=TITLE_FONT, loc="left")
    fig.subplots_adjust(left=0.14, right=0.97, top=0.9, bottom=0.14)
    return fig


def kpi_bars(values: pd.Series, *, label: str = "", unit: str = "", figsize: tuple[float, float] = (9.0, 4.5),
             dpi: int = DPI, title: str = "") -> Figure:
    """Horizontal bars of one KPI per scenario (``values``: scenario name -> value)."""
    fig = KitFigure(figsize=figsize, dpi=dpi)
    ax = fig.subplots()
    ax.barh(list(values.index), values.to_numpy(dtype=float), color=_CYCLE[1])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_fmt(unit))
    ax.set_xlabel(f"{label} ({_unit_caption(unit)})" if unit else label, fontsize=FONT)
    ax.tick_params(labelsize=SMALL_FONT)
    ax.grid(axis="x", color="#dddddd", lw=0.8)
    if title:
        ax.set_title(title, fontsize=TITLE_FONT, loc="left")
    fig.subplots_adjust(left=0.3, right=0.97, top=0.9 if title else 0.95, bottom=0.16)
    return fig


def forest(differences: pd.DataFrame, kpis: Sequence[str], *, reference: str = "the reference",
           level: float = 0.95, figsize: tuple[float, float] | None = None, dpi: int = DPI) -> Figure:
    """Forest plot of paired differences from a reference: one panel per KPI, one row per scenario.

    Parameters
    ----------
    differences:
        As ``Comparison.differences``: indexed by (scenario, kpi) with ``diff``, ``ci_low``,
        ``ci_high`` and ``verdict`` columns.
    kpis:
        The KPIs to draw, one panel each.

    A dot is the mean difference, the line its confidence interval. Green: the scenario is
    clearly better than the reference on that KPI; red: clearly worse; amber, drawn as a
    diamond: a trade-off (cost or inventory moved only because service moved the other way);
    grey: the interval crosses zero, so the replications cannot tell.
    """
    names = list(dict.fromkeys(differences.index.get_level_values("scenario")))
    ncols = 2 if len(kpis) > 1 else 1
    nrows = (len(kpis) + ncols - 1) // ncols
    size = figsize or (12.0, 0.9 + nrows * (0.8 + 0.42 * max(1, len(names))))
    fig = KitFigure(figsize=size, dpi=dpi)
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
    colour = {"better": BETTER_COLOUR, "worse": WORSE_COLOUR, "trade-off": TRADEOFF_COLOUR}
    for ax, kpi in zip(axes, kpis, strict=False):
        label, unit = _label(kpi)
        for y, name in enumerate(names):
            row = differences.loc[(name, kpi)]
            c = colour.get(row["verdict"], REFERENCE_COLOUR)
            ax.plot([row["ci_low"], row["ci_high"]], [y, y], color=c, lw=3)
            ax.plot([row["diff"]], [y], "D" if row["verdict"] == "trade-off" else "o", color=c, ms=8)
        ax.axvline(0, color="black", lw=1.0)
        ax.set_title(f"{label} ({_unit_caption(unit)})", fontsize=FONT, fontweight="bold", loc="left")
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(_fmt(unit))
        ax.tick_params(labelsize=SMALL_FONT)
        ax.set_yticks(range(len(names)), names, fontsize=SMALL_FONT)
        ax.set_ylim(len(names) - 0.4, -0.9)
    for ax in axes[len(kpis):]:
        ax.set_visible(False)
    fig.suptitle(f"Difference from {reference}: green clearly better, red clearly worse, amber a trade-off, "
                 f"grey cannot tell ({level:.0%} interval, paired by seed)", fontsize=TITLE_FONT, x=0.01, ha="left")
    fig.subplots_adjust(left=0.2, right=0.97, top=1 - 0.75 / size[1], bottom=0.35 / size[1] + 0.05,
                        wspace=0.12, hspace=0.6)
    return fig


def to_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes (what the widgets put in their output area)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def sop_vs_mps(plan: pd.Series, schedule: pd.DataFrame, family: str, *, name: str = "",
               figsize: tuple[float, float] = (13.0, 5.2), dpi: int = DPI) -> Figure:
    """Two views of the same volume: the S&OP family plan by month, the MPS by item and week.

    Parameters
    ----------
    plan:
        The family's authorized plan, units indexed by model month (a column of
        :func:`sop_sim.mps.authorized_family_plan`).
    schedule:
        :func:`sop_sim.mps.master_schedule`; the family's items are stacked week by week and
        the frozen and slushy zones shaded.
    """
    fig = KitFigure(figsize=figsize, dpi=dpi)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
    covered = set(schedule["month"])
    left.bar(plan.index, plan.to_numpy(dtype=float),
             color=[_CYCLE[0] if m in covered else _CYCLE[1] for m in plan.index])
    month_axis(left, len(plan))
    left.yaxis.set_major_formatter(_fmt("units"))
    left.set_ylabel("units per month", fontsize=SMALL_FONT)
    left.set_title(f"S&OP: one family, {len(plan)} months ahead", fontsize=FONT, fontweight="bold", loc="left")
    part = schedule[schedule["family"] == family]
    grid = part.pivot_table(index="week", columns="item", values="units", aggfunc="sum", sort=False)
    bottom = None
    for i, item in enumerate(grid.columns):
        vals = grid[item].to_numpy(dtype=float)
        right.bar(grid.index + 1, vals, bottom=bottom, color=_CYCLE[i % len(_CYCLE)], lw=0)
        bottom = vals if bottom is None else bottom + vals
    zones = part.drop_duplicates("week").set_index("week")["zone"]
    shade = {"frozen": "#9ecae1", "slushy": "#deebf7"}
    for zone, colour in shade.items():
        weeks = zones[zones == zone].index
        if len(weeks):
            right.axvspan(weeks.min() + 0.5, weeks.max() + 1.5, color=colour, alpha=0.6, zorder=0)
            right.text((weeks.min() + weeks.max()) / 2 + 1, 0.98, zone, transform=right.get_xaxis_transform(),
                       ha="center", va="top", fontsize=SMALL_FONT)
    right.yaxis.set_major_formatter(_fmt("units"))
    right.set_xlabel("week of the master schedule", fontsize=SMALL_FONT)
    right.set_ylabel("units per week", fontsize=SMALL_FONT)
    right.set_title(f"MPS: {grid.shape[1]} items, {len(grid)} weeks ahead", fontsize=FONT, fontweight="bold",
                    loc="left")
    right.set_ylim(0, (bottom.max() if bottom is not None else 1) * 1.15)
    for ax in (left, right):
        ax.tick_params(labelsize=SMALL_FONT)
        ax.grid(axis="y", color="#dddddd", lw=0.8)
    fig.suptitle(f"{name or family}: the same volume as a family by month (red: the months the MPS covers) "
                 "and as items by week",
                 fontsize=TITLE_FONT, x=0.01, ha="left")
    fig.subplots_adjust(left=0.07, right=0.98, top=0.84, bottom=0.13, wspace=0.22)
    return fig


def plan_vs_actual(frame: pd.DataFrame, *, title: str = "", figsize: tuple[float, float] = (12.0, 4.6),
                   dpi: int = DPI) -> Figure:
    """Orders, the production the plan asked for and what was made, month by month (all families).

    ``frame`` is indexed by model month with the columns ``orders``, ``planned`` and ``made``
    (see :func:`sop_sim.game.debrief.plan_vs_actual`). A gap between *planned* and *made* is a
    plan the plant could not follow; a gap between *orders* and *made* is stock built or drawn.
    """
    fig = KitFigure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    ax.bar(frame.index, frame["orders"], color="#cfd8dc", label="customer orders")
    ax.plot(frame.index, frame["planned"], color=_CYCLE[3], lw=2.6, marker="o", ms=5, label="planned production")
    ax.plot(frame.index, frame["made"], color=SCENARIO_COLOUR, lw=2.6, ls="--", marker="s", ms=5, label="made")
    month_axis(ax, len(frame))
    ax.yaxis.set_major_formatter(_fmt("units"))
    ax.set_ylabel("units per month", fontsize=SMALL_FONT)
    ax.tick_params(labelsize=SMALL_FONT)
    ax.grid(axis="y", color="#dddddd", lw=0.8)
    ax.legend(fontsize=SMALL_FONT, frameon=False, ncol=3, loc="upper left")
    ax.set_ylim(0, max(float(frame[["orders", "planned", "made"]].max().max()), 1.0) * 1.25)
    ax.set_title(title or "Plan against actual: did the plant make what the plan said, and what customers ordered?",
                 fontsize=TITLE_FONT, loc="left")
    return fig


def escalation_timeline(spans: pd.DataFrame, months: int, *, title: str = "",
                        figsize: tuple[float, float] | None = None, dpi: int = DPI) -> Figure:
    """When each escalation was raised and decided: one line per escalation, in months.

    ``spans`` has one row per escalation with ``label``, ``raised`` and ``closed`` (in model
    months, fractional) and ``open`` (True when never decided, drawn red to the end of the run).
    """
    n = max(1, len(spans))
    fig = KitFigure(figsize=figsize or (12.0, min(8.0, 1.6 + 0.38 * n)), dpi=dpi, layout="constrained")
    ax = fig.subplots()
    for y, r in enumerate(spans.itertuples(index=False)):
        colour = WORSE_COLOUR if r.open else BETTER_COLOUR
        ax.plot([r.raised, r.closed], [y, y], color=colour, lw=4, solid_capstyle="butt")
        ax.plot([r.raised], [y], "o", color=colour, ms=7)
        if not r.open:
            ax.plot([r.closed], [y], "|", color="black", ms=12, mew=2)
    ax.set_yticks(range(len(spans)), list(spans["label"]), fontsize=SMALL_FONT)
    ax.set_ylim(n - 0.5, -0.8)
    ax.set_xlim(-0.2, months)
    month_axis(ax, months)
    ax.tick_params(labelsize=SMALL_FONT)
    ax.grid(axis="x", color="#dddddd", lw=0.8)
    if spans.empty:
        ax.text(months / 2, 0, "no escalation was raised", ha="center", fontsize=FONT)
    ax.set_title(title or "Escalations: raised (dot) to decided (bar); red = still open at the end",
                 fontsize=TITLE_FONT, loc="left")
    return fig


def cost_breakdown_bars(table: pd.DataFrame, cost_types: Sequence[str], *, title: str = "",
                        figsize: tuple[float, float] = (11.0, 4.8), dpi: int = DPI) -> Figure:
    """Stacked horizontal bars, one per plan, one segment per cost type, their sum at the end.

    ``table`` is one row per plan (e.g. :func:`sop_sim.planning.compare_strategies`) with a
    column per entry of ``cost_types`` and ``total_cost``. Leave out a cost every plan shares
    (e.g. material) to make the differences visible: the label is the sum of the segments
    drawn. A plan without a price (infeasible with the options given) is drawn as an empty
    row marked "not feasible". Cost types that are zero for every plan are left out.
    """
    fig = KitFigure(figsize=figsize, dpi=dpi)
    ax = fig.subplots()
    names = [str(i) for i in table.index]
    shown = [c for c in cost_types if table[c].fillna(0).abs().sum() > 0]
    colours = dict(zip(shown, (_CYCLE * (len(shown) // len(_CYCLE) + 1))[: len(shown)], strict=True))
    left = pd.Series(0.0, index=table.index)
    for c in shown:
        values = table[c].fillna(0.0).astype(float)
        ax.barh(names, values.to_numpy(), left=left.to_numpy(), color=colours[c],
                label=c.replace("_", " ").capitalize())
        left = left + values
    top = float(left.max()) or 1.0
    for y, (name, total) in enumerate(table["total_cost"].items()):
        text = "not feasible" if pd.isna(total) else f"${float(left[name]):,.0f}"
        ax.text(float(left[name]) + 0.01 * top, y, text, va="center", fontsize=SMALL_FONT)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.22)
    ax.xaxis.set_major_formatter(_fmt("money"))
    ax.set_xlabel("Cost over the horizon ($)", fontsize=FONT)
    ax.tick_params(labelsize=SMALL_FONT)
    if title:
        ax.set_title(title, fontsize=TITLE_FONT, loc="left")
    ax.legend(fontsize=SMALL_FONT, frameon=False, ncol=min(4, max(1, len(shown))), loc="upper center",
              bbox_to_anchor=(0.5, -0.2))
    fig.subplots_adjust(left=0.14, right=0.97, top=0.9 if title else 0.96, bottom=0.38)
    return fig
