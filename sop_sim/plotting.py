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
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sop_sim.metrics import KPIS

#: Colours: the scenario under study stands out, the reference is grey.
SCENARIO_COLOUR = "#d1495b"
REFERENCE_COLOUR = "#7a7a7a"
BETTER_COLOUR = "#2e8b57"
WORSE_COLOUR = "#c0392b"
_CYCLE = ("#d1495b", "#00798c", "#edae49", "#30638e", "#66a182", "#8d96a3")

#: The four series the explorer shows over time (columns of ``Result.kpis_by_month()``).
TIMESERIES: tuple[str, ...] = ("fill_rate", "inventory_value", "total_cost", "backorders")


class KitFigure(Figure):
    """A matplotlib Figure that shows itself as a PNG in a notebook, with or without pyplot."""

    def _repr_png_(self) -> bytes:
        return to_png(self)


def _fmt(unit: str) -> FuncFormatter:
    """Tick labels in the KPI's unit: 95%, 1.2M, 40k."""
    def short(v: float, _pos: object = None) -> str:
        if unit == "share":
            return f"{v:.0%}" if abs(v) >= 0.095 or v == 0 else f"{v:.1%}"
        a = abs(v)
        if a >= 1e6:
            return f"{v / 1e6:.1f}M"
        if a >= 1e3:
            return f"{v / 1e3:.0f}k"
        return f"{v:.0f}"
    return FuncFormatter(short)


def _label(column: str) -> tuple[str, str]:
    kpi = KPIS.get(column)
    return (kpi.label, kpi.unit) if kpi else (column.replace("_", " ").capitalize(), "")


def timeseries_compare(frames: Mapping[str, pd.DataFrame], columns: Sequence[str] = TIMESERIES,
                       *, highlight: str | None = None, figsize: tuple[float, float] = (9.0, 4.6),
                       dpi: int = 72) -> Figure:
    """Monthly series of several runs, one small panel per column.

    Parameters
    ----------
    frames:
        Label -> a frame indexed by month (e.g. ``result.kpis_by_month()``).
    columns:
        Columns to draw, one panel each (labels and units come from ``sop_sim.metrics.KPIS``).
    highlight:
        The label drawn in the scenario colour; the others are drawn in muted colours.
    """
    fig = KitFigure(figsize=figsize, dpi=dpi)
    n = len(columns)
    ncols = 2 if n > 1 else 1
    nrows = (n + ncols - 1) // ncols
    axes = fig.subplots(nrows, ncols, sharex=True, squeeze=False).ravel()
    for k, (ax, col) in enumerate(zip(axes, columns, strict=False)):
        label, unit = _label(col)
        for i, (name, frame) in enumerate(frames.items()):
            colour = (SCENARIO_COLOUR if name == highlight else
                      REFERENCE_COLOUR if highlight is not None else _CYCLE[i % len(_CYCLE)])
            ax.plot(frame.index, frame[col], color=colour, lw=1.6 if name == highlight else 1.2,
                    label=name if k == 0 else None)
        # the panel title sits inside the axes: cheaper to lay out than a real title
        ax.text(0.02, 0.97, label, transform=ax.transAxes, va="top", fontsize=9, fontweight="bold")
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_formatter(_fmt(unit))
        ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
        ax.tick_params(labelsize=8)
        ax.margins(y=0.2)
        _rescale(ax, unit)
    for ax in axes[n:]:
        ax.set_visible(False)
    for ax in axes[max(0, n - ncols):n]:
        ax.set_xlabel("month", fontsize=8)
    if len(frames) > 1:
        fig.legend(loc="upper center", ncol=len(frames), fontsize=8, frameon=False)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.11, wspace=0.22, hspace=0.12)
    return fig


def _rescale(ax: Any, unit: str) -> None:
    """Fit the y axis to the data; a share's axis stops just past 0% and 100%."""
    ax.set_autoscaley_on(True)
    ax.relim()
    ax.autoscale_view(scalex=False)
    if unit == "share":  # a share above 100% or below 0% would only be margin
        lo, hi = ax.get_ylim()
        ax.set_ylim(max(lo, -0.05), min(hi, 1.05))


class TimeseriesPanel:
    """A :func:`timeseries_compare` figure that is redrawn in place.

    The first :meth:`update` builds the figure; later ones with the same labels only swap
    the lines' data and rescale, which keeps the axes and their ticks and makes a redraw
    (and so the explorer's response to a click) several times faster.
    """

    def __init__(self, columns: Sequence[str] = TIMESERIES, *, highlight: str | None = None, **kwargs: Any) -> None:
        self.columns = tuple(columns)
        self.highlight = highlight
        self.kwargs = kwargs
        self.figure: Figure | None = None
        self._labels: tuple[str, ...] = ()

    def update(self, frames: Mapping[str, pd.DataFrame]) -> Figure:
        """Show ``frames`` (label -> frame by month); return the figure."""
        labels = tuple(frames)
        if self.figure is None or labels != self._labels:
            self.figure = timeseries_compare(frames, self.columns, highlight=self.highlight, **self.kwargs)
            self._labels = labels
            return self.figure
        for ax, col in zip(self.figure.axes, self.columns, strict=False):
            for line, frame in zip(ax.lines, frames.values(), strict=True):
                line.set_data(frame.index, frame[col])
            _rescale(ax, _label(col)[1])
        return self.figure


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
    wape = table["wape"].to_numpy(dtype=float)
    small = max(7, round(figsize[1] * 2.1))
    for i, w in enumerate(wape):
        if i == 0:
            ax.bar(i, w, color=REFERENCE_COLOUR)
            text = f"{w:.1%}"
        else:
            prev = wape[i - 1]
            ax.bar(i, w - prev, bottom=prev, color=BETTER_COLOUR if w <= prev else WORSE_COLOUR)
            ax.plot([i - 1.4, i + 0.4], [prev, prev], color="black", lw=0.8)
            change = round((w - prev) * 100, 1)
            text = f"{w:.1%}\n" + ("no change" if change == 0 else
                                    f"{abs(change):.1f} pts {'lower' if change < 0 else 'higher'}")
        top = w if i == 0 else max(w, wape[i - 1])
        ax.annotate(text, (i, top), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=small)
    ax.set_xticks(range(len(labels)), labels, fontsize=small)
    ax.yaxis.set_major_formatter(_fmt("share"))
    ax.tick_params(axis="y", labelsize=small)
    ax.set_ylabel("forecast error, % of orders (WAPE)", fontsize=small)
    ax.set_ylim(0, max(wape.max() * 1.35, 0.01) if len(wape) else 1)
    ax.set_title(title, fontsize=small + 2)
    note = ("Green: the step lowered the error (value added); red: it raised it. The supply and authorized "
            "plans are constrained on purpose, so they are not forecasts and are not shown.")
    foot = max(6, small - 2)
    fig.text(0.01, 0.01, textwrap.fill(note, int(figsize[0] * 72 / (foot * 0.52))), fontsize=foot,
             color=REFERENCE_COLOUR)
    fig.subplots_adjust(left=0.11, right=0.98, top=0.88, bottom=0.27)
    return fig


def band(summary: pd.DataFrame, x: str, *, mean: str = "mean", low: str = "low", high: str = "high",
         label: str = "", xlabel: str = "", unit: str = "", figsize: tuple[float, float] = (6.5, 3.6),
         dpi: int = 72) -> Figure:
    """A mean line with a shaded confidence band, e.g. a KPI against executive engagement.

    Parameters
    ----------
    summary:
        One row per x value with the columns named by ``x``, ``mean``, ``low`` and ``high``.
    label, xlabel, unit:
        The y label, the x label and the KPI unit (for tick formatting).
    """
    fig = KitFigure(figsize=figsize, dpi=dpi)
    ax = fig.subplots()
    s = summary.sort_values(x)
    ax.fill_between(s[x], s[low], s[high], color=SCENARIO_COLOUR, alpha=0.2, lw=0, label="95% confidence band")
    ax.plot(s[x], s[mean], color=SCENARIO_COLOUR, marker="o", ms=4, label="mean over seeds")
    ax.yaxis.set_major_formatter(_fmt(unit))
    ax.set_xlabel(xlabel, fontsize=9)
    ax.set_ylabel(label, fontsize=9)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=8, frameon=False)
    fig.subplots_adjust(left=0.15, right=0.97, top=0.95, bottom=0.15)
    return fig


def kpi_bars(values: pd.Series, *, label: str = "", unit: str = "", figsize: tuple[float, float] = (6.5, 3.2),
             dpi: int = 72) -> Figure:
    """Horizontal bars of one KPI per scenario (``values``: scenario name -> value)."""
    fig = KitFigure(figsize=figsize, dpi=dpi)
    ax = fig.subplots()
    ax.barh(list(values.index), values.to_numpy(dtype=float), color=_CYCLE[1])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_fmt(unit))
    ax.set_xlabel(label, fontsize=9)
    ax.tick_params(labelsize=8)
    fig.subplots_adjust(left=0.3, right=0.97, top=0.95, bottom=0.18)
    return fig


def forest(differences: pd.DataFrame, kpis: Sequence[str], *, reference: str = "the reference",
           level: float = 0.95, figsize: tuple[float, float] | None = None, dpi: int = 72) -> Figure:
    """Forest plot of paired differences from a reference: one panel per KPI, one row per scenario.

    Parameters
    ----------
    differences:
        As ``Comparison.differences``: indexed by (scenario, kpi) with ``diff``, ``ci_low``,
        ``ci_high`` and ``verdict`` columns.
    kpis:
        The KPIs to draw, one panel each.

    A dot is the mean difference, the line its confidence interval. Green: the scenario is
    clearly better than the reference on that KPI; red: clearly worse; grey: the interval
    crosses zero, so the replications cannot tell.
    """
    names = list(dict.fromkeys(differences.index.get_level_values("scenario")))
    ncols = 2 if len(kpis) > 1 else 1
    nrows = (len(kpis) + ncols - 1) // ncols
    size = figsize or (9.0, 0.6 + nrows * (0.5 + 0.32 * max(1, len(names))))
    fig = KitFigure(figsize=size, dpi=dpi)
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
    colour = {"better": BETTER_COLOUR, "worse": WORSE_COLOUR}
    for ax, kpi in zip(axes, kpis, strict=False):
        label, unit = _label(kpi)
        for y, name in enumerate(names):
            row = differences.loc[(name, kpi)]
            c = colour.get(row["verdict"], REFERENCE_COLOUR)
            ax.plot([row["ci_low"], row["ci_high"]], [y, y], color=c, lw=2)
            ax.plot([row["diff"]], [y], "o", color=c, ms=5)
        ax.axvline(0, color="black", lw=0.8)
        ax.text(0.02, 0.97, label, transform=ax.transAxes, va="top", fontsize=9, fontweight="bold")
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(_fmt(unit))
        ax.tick_params(labelsize=8)
        ax.set_yticks(range(len(names)), names, fontsize=8)
        ax.set_ylim(len(names) - 0.4, -0.9)
    for ax in axes[len(kpis):]:
        ax.set_visible(False)
    fig.suptitle(f"Difference from {reference} ({level:.0%} confidence interval, paired by seed)", fontsize=10)
    fig.subplots_adjust(left=0.22, right=0.97, top=1 - 0.45 / size[1], bottom=0.3 / size[1] + 0.05,
                        wspace=0.1, hspace=0.35)
    return fig


def to_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes (what the widgets put in their output area)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def cost_breakdown_bars(table: pd.DataFrame, cost_types: Sequence[str], *, title: str = "",
                        figsize: tuple[float, float] = (8.0, 3.4), dpi: int = 72) -> Figure:
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
        ax.text(float(left[name]) + 0.01 * top, y, text, va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.22)
    ax.xaxis.set_major_formatter(_fmt("money"))
    ax.set_xlabel("Cost over the horizon ($)", fontsize=9)
    ax.tick_params(labelsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, frameon=False, ncol=min(4, max(1, len(shown))), loc="upper center",
              bbox_to_anchor=(0.5, -0.2))
    fig.subplots_adjust(left=0.14, right=0.97, top=0.9 if title else 0.96, bottom=0.38)
    return fig
