"""Every plot of the kit, in one place.

Each helper takes columns of a result frame (or a table derived model-side, such as
:func:`sop_sim.fva.fva_table`) and returns a :class:`matplotlib.figure.Figure`. The
helpers compute no KPI: they draw what they are given. Figures are built without
``pyplot``, so they work under any backend (Agg in tests and Voila), leave no global
state behind and are garbage-collected like any object. In a notebook, a returned figure
shows itself when it is the last value of a cell (:class:`KitFigure` renders itself as a PNG,
so this works without ``%matplotlib inline``). What the figures show (series by panel, y
limits, ticks, colours, waterfall bars) is worked out in :mod:`sop_sim.plotdata`, which the
browser plots of the widget apps (:mod:`sop_sim.ui.live_plot`) share.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator

from sop_sim.calendar import month_label
from sop_sim.plotdata import (
    BAND_LABELS,
    BETTER_COLOUR,
    CYCLE,
    REFERENCE_COLOUR,
    SCENARIO_COLOUR,
    TIMESERIES,
    TRADEOFF_COLOUR,
    WATERFALL_NOTE,
    WORSE_COLOUR,
    band_series,
    kpi_label,
    line_colour,
    month_tick_step,
    tick_text,
    timeseries_panels,
    unit_caption,
    waterfall_bars,
    y_locator,
)


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


class _UnitFormatter(Formatter):
    """Tick labels in the KPI's unit with thousands separators: 95%, 2,500, 1.2M (see ``tick_text``)."""

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def __call__(self, v: float, pos: int | None = None) -> str:
        top = max(map(abs, self.axis.get_view_interval())) if self.axis is not None else 0.0
        return tick_text(v, self.unit, top)


def _fmt(unit: str) -> Formatter:
    return _UnitFormatter(unit)


def month_axis(ax: Any, months: int | None = None) -> None:
    """Label an axis of model months with calendar months ("Apr Y1"), one tick per quarter or half-year."""
    from matplotlib.ticker import MultipleLocator

    ax.xaxis.set_major_locator(MultipleLocator(month_tick_step(months)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p=None: month_label(int(round(v)))))


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
        ax.yaxis.set_major_locator(y_locator(panel.unit))
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
    ax.set_ylabel(f"{label} ({unit_caption(unit)})" if unit else label, fontsize=FONT)
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
    ax.barh(list(values.index), values.to_numpy(dtype=float), color=CYCLE[1])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_fmt(unit))
    ax.set_xlabel(f"{label} ({unit_caption(unit)})" if unit else label, fontsize=FONT)
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
        label, unit = kpi_label(kpi)
        for y, name in enumerate(names):
            row = differences.loc[(name, kpi)]
            c = colour.get(row["verdict"], REFERENCE_COLOUR)
            ax.plot([row["ci_low"], row["ci_high"]], [y, y], color=c, lw=3)
            ax.plot([row["diff"]], [y], "D" if row["verdict"] == "trade-off" else "o", color=c, ms=8)
        ax.axvline(0, color="black", lw=1.0)
        ax.set_title(f"{label} ({unit_caption(unit)})", fontsize=FONT, fontweight="bold", loc="left")
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
             color=[CYCLE[0] if m in covered else CYCLE[1] for m in plan.index])
    month_axis(left, len(plan))
    left.yaxis.set_major_formatter(_fmt("units"))
    left.set_ylabel("units per month", fontsize=SMALL_FONT)
    left.set_title(f"S&OP: one family, {len(plan)} months ahead", fontsize=FONT, fontweight="bold", loc="left")
    part = schedule[schedule["family"] == family]
    grid = part.pivot_table(index="week", columns="item", values="units", aggfunc="sum", sort=False)
    bottom = None
    for i, item in enumerate(grid.columns):
        vals = grid[item].to_numpy(dtype=float)
        right.bar(grid.index + 1, vals, bottom=bottom, color=CYCLE[i % len(CYCLE)], lw=0)
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
    ax.plot(frame.index, frame["planned"], color=CYCLE[3], lw=2.6, marker="o", ms=5, label="planned production")
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
    colours = dict(zip(shown, (CYCLE * (len(shown) // len(CYCLE) + 1))[: len(shown)], strict=True))
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
