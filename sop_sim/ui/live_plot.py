"""Plots the browser draws (bqplot, SVG) and the apps update in place.

A control change sets the marks' data and the scales' limits; the figure, its axes and its
SVG element stay, so a redraw sends a few arrays to the browser instead of a fresh PNG.
bqplot is an ipywidgets library: it needs no extra set-up in JupyterLab or Voila (pip
installs its front end) and nothing is fetched from the internet.

The plots only display series the package builds (:func:`sop_sim.plotdata.timeseries_panels`
and the like): no KPI is computed here, and the static figures of :mod:`sop_sim.plotting`
share the same series, colours, limits and month ticks.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import bqplot as bq
import ipywidgets as widgets
import numpy as np
import pandas as pd

from sop_sim.plotdata import (
    BAND_LABELS,
    REFERENCE_COLOUR,
    SCENARIO_COLOUR,
    TIMESERIES,
    WATERFALL_NOTE,
    SeriesPanel,
    axis_ticks,
    band_series,
    line_colour,
    month_ticks,
    timeseries_panels,
    waterfall_bars,
)

#: Panel sizes: wide enough for calendar month ticks, low enough that two rows fit on a projector.
PANEL_MIN_WIDTH = "420px"
PANEL_HEIGHT = "230px"
_TITLE_STYLE = {"font-size": "15px", "font-weight": "bold"}
_MARGIN = {"top": 32, "bottom": 28, "left": 64, "right": 16}


def js_ticks(ticks: Mapping[float, str]) -> tuple[np.ndarray, dict[str, str]]:
    """Tick values and labels as a bqplot axis takes them: its labels are keyed by the value as
    JavaScript prints it (``3``, not ``3.0``)."""
    values = np.array(list(ticks), dtype=float)
    return values, {(str(int(v)) if float(v).is_integer() else repr(float(v))): t for v, t in ticks.items()}


def set_ticks(axis: bq.Axis, ticks: Mapping[float, str]) -> None:
    """Put ``ticks`` (value -> label) on ``axis``, sending only what changed, labels before values.

    The axis keeps the labels of every value it has shown (a value's label never changes on
    one axis), so moving between limits already seen sends the values alone. bqplot draws the
    ticks again on each change; values that arrived before their labels would show as bare
    numbers, so new labels go first.
    """
    values, labels = js_ticks(ticks)
    known = axis.tick_labels or {}
    if any(known.get(k) != t for k, t in labels.items()):
        axis.tick_labels = {**known, **labels}
    if not np.array_equal(axis.tick_values, values):
        axis.tick_values = values


def legend_html(labels: Sequence[str], highlight: str | None, title: str = "") -> str:
    """A legend above the panels: a coloured dash and the run's name, the highlighted run first."""
    order = sorted(range(len(labels)), key=lambda i: labels[i] != highlight)
    items = "".join(f'<span style="white-space:nowrap;margin-right:18px"><span style="color:'
                    f'{line_colour(labels[i], highlight, i)};font-weight:bold">&#9473;&#9473;</span> '
                    f"{html.escape(labels[i])}</span> " for i in order)
    head = f"<b>{html.escape(title)}</b><br>" if title else ""
    return f'<div class="sop-legend">{head}{items}</div>'


def _panel_grid(figures: Sequence[widgets.Widget]) -> widgets.GridBox:
    """Panels side by side as the width allows; one column on a phone."""
    return widgets.GridBox(list(figures), layout=widgets.Layout(
        grid_template_columns=f"repeat(auto-fill, minmax(min(100%, {PANEL_MIN_WIDTH}), 1fr))",
        grid_gap="4px 12px", width="100%", max_width="100%"))


def _figure(marks: list[bq.Mark], axes: list[bq.Axis], title: str, height: str = PANEL_HEIGHT) -> bq.Figure:
    return bq.Figure(marks=marks, axes=axes, title=title, title_style=_TITLE_STYLE, fig_margin=dict(_MARGIN),
                     padding_y=0.0, layout=widgets.Layout(width="100%", height=height, min_width="0"))


def _month_axis(scale: bq.LinearScale, months: int) -> bq.Axis:
    values, labels = js_ticks(month_ticks(months))
    return bq.Axis(scale=scale, tick_values=values, tick_labels=labels, grid_lines="none")


class LiveTimeseries:
    """Monthly series of several runs, one panel per KPI, drawn in the browser and updated in place.

    The browser twin of :func:`sop_sim.plotting.timeseries_compare`: the same panels, colours,
    y limits and calendar month ticks. :meth:`update` only sets each panel's line data and
    y limits (and the labels if the runs' names change); it never builds a new figure.

    Parameters
    ----------
    labels:
        The runs' names in drawing order (the highlighted one last, so it is drawn on top).
    columns:
        The KPI columns of ``Result.kpis_by_month()``, one panel each.
    highlight:
        The run drawn in red; the others are grey.
    months:
        How many months the x axis shows.

    Attributes
    ----------
    figures:
        One :class:`bqplot.Figure` per column; ``lines[column]`` is its :class:`bqplot.Lines` mark.
    widget:
        The legend above the panels.
    """

    def __init__(self, labels: Sequence[str], columns: Sequence[str] = TIMESERIES, *, highlight: str | None = None,
                 months: int = 36, title: str = "Month by month") -> None:
        self.columns = tuple(columns)
        self.highlight = highlight
        self.labels = tuple(labels)
        self.title = title
        self.months = int(months)
        self.x_scale = bq.LinearScale(min=0.0, max=float(max(1, self.months - 1)), allow_padding=False)
        self.x_axes: list[bq.Axis] = []
        self.y_scales: dict[str, bq.LinearScale] = {}
        self.y_axes: dict[str, bq.Axis] = {}
        self.lines: dict[str, bq.Lines] = {}
        self.figures: list[bq.Figure] = []
        empty = {name: pd.DataFrame({c: [] for c in self.columns}, dtype=float) for name in self.labels}
        for panel in timeseries_panels(empty, self.columns):
            ys = bq.LinearScale(min=0.0, max=1.0, allow_padding=False)
            line = bq.Lines(x=np.zeros(0), y=np.zeros((len(self.labels), 0)), scales={"x": self.x_scale, "y": ys},
                            colors=self._colours(), labels=list(self.labels), stroke_width=2.4)
            x_axis = _month_axis(self.x_scale, self.months)
            y_axis = bq.Axis(scale=ys, side="left", label=panel.caption, label_offset="48px",
                             grid_color="#dddddd")
            self.y_scales[panel.column], self.y_axes[panel.column], self.lines[panel.column] = ys, y_axis, line
            self.x_axes.append(x_axis)
            self.figures.append(_figure([line], [x_axis, y_axis], panel.title))
        self.legend = widgets.HTML(legend_html(self.labels, highlight, title))
        self.widget = widgets.VBox([self.legend, _panel_grid(self.figures)],
                                   layout=widgets.Layout(width="100%", max_width="100%"))
        self.widget.add_class("sop-live-plot")

    def _colours(self) -> list[str]:
        return [line_colour(name, self.highlight, i) for i, name in enumerate(self.labels)]

    def update(self, frames: Mapping[str, pd.DataFrame]) -> None:
        """Show ``frames`` (run label -> ``kpis_by_month()`` frame) by setting the marks' data in place."""
        labels = tuple(frames)
        if labels != self.labels:
            self.labels = labels
            self.legend.value = legend_html(labels, self.highlight, self.title)
        months = max((len(f) for f in frames.values()), default=0)
        if months and months != self.months:
            self.months = months
            self.x_scale.max = float(max(1, months - 1))
            for axis in self.x_axes:
                set_ticks(axis, month_ticks(months))
        for panel in timeseries_panels(frames, self.columns):
            line, ys, axis = self.lines[panel.column], self.y_scales[panel.column], self.y_axes[panel.column]
            lo, hi = steady_range((ys.min, ys.max), panel.y_range())
            # only what changed is sent: round y limits often stay put, so a redraw is mostly the new lines
            with line.hold_sync():
                xs = [x for x, _y in panel.series.values()]
                x = max(xs, key=len) if xs else np.zeros(0)
                y = np.vstack([_pad(v, len(x)) for _x, v in panel.series.values()])
                if not np.array_equal(line.x, x):
                    line.x = x
                if not np.array_equal(line.y, y, equal_nan=True):
                    line.y = y
                if list(line.labels) != list(labels):
                    line.labels, line.colors = list(labels), self._colours()
            with ys.hold_sync():
                ys.min, ys.max = lo, hi
            set_ticks(axis, axis_ticks(lo, hi, panel.unit))


class LiveBand:
    """A mean line with its confidence band against a lever, drawn in the browser and updated in place.

    The browser twin of :func:`sop_sim.plotting.band`: :meth:`update` sets the line's and the
    band's data, the y limits and the captions; the figure is built once.

    Attributes
    ----------
    figure:
        The :class:`bqplot.Figure`; ``mean`` and ``band`` are its two :class:`bqplot.Lines` marks.
    widget:
        The legend above the figure.
    """

    def __init__(self, xlabel: str, *, xunit: str = "share", height: str = "340px") -> None:
        self.x_scale = bq.LinearScale(min=-0.04, max=1.04, allow_padding=False)  # room for the end markers
        self.y_scale = bq.LinearScale(min=0.0, max=1.0, allow_padding=False)
        scales = {"x": self.x_scale, "y": self.y_scale}
        self.band = bq.Lines(x=np.zeros(0), y=np.zeros((2, 0)), scales=scales, fill="between",
                             colors=[SCENARIO_COLOUR, SCENARIO_COLOUR], opacities=[0.0, 0.0],
                             fill_colors=[SCENARIO_COLOUR, SCENARIO_COLOUR], fill_opacities=[0.2, 0.0])
        self.mean = bq.Lines(x=np.zeros(0), y=np.zeros(0), scales=scales, colors=[SCENARIO_COLOUR],
                             marker="circle", marker_size=48, stroke_width=2.4)
        self.xunit = xunit
        values, labels = js_ticks(axis_ticks(0.0, 1.0, xunit))
        self.x_axis = bq.Axis(scale=self.x_scale, label=xlabel, tick_values=values, tick_labels=labels,
                              grid_lines="none", label_offset="38px")
        self.y_axis = bq.Axis(scale=self.y_scale, side="left", label_offset="52px", grid_color="#dddddd")
        self.figure = bq.Figure(marks=[self.band, self.mean], axes=[self.x_axis, self.y_axis], title_style=_TITLE_STYLE,
                                fig_margin={"top": 36, "bottom": 48, "left": 72, "right": 20}, padding_y=0.0,
                                layout=widgets.Layout(width="100%", height=height, min_width="0"))
        self.legend = widgets.HTML(
            f'<div class="sop-legend"><span style="white-space:nowrap;margin-right:18px">'
            f'<span style="color:{SCENARIO_COLOUR};font-weight:bold">&#9473;&#9679;&#9473;</span> '
            f'{BAND_LABELS["mean"]}</span> <span style="white-space:nowrap"><span style="background:'
            f'{SCENARIO_COLOUR}33;padding:0 12px">&nbsp;</span> {BAND_LABELS["band"]}</span></div>')
        self.widget = widgets.VBox([self.legend, self.figure], layout=widgets.Layout(
            flex="1 1 480px", min_width="0", max_width="100%"))
        self.widget.add_class("sop-live-plot")

    def update(self, summary: pd.DataFrame, x: str, *, kpi: str, label: str, unit: str, title: str,
               mean: str = "mean", low: str = "low", high: str = "high") -> None:
        """Show ``summary`` (one row per lever value: ``x``, ``mean``, ``low``, ``high``) for one KPI."""
        s = band_series(summary, x, mean=mean, low=low, high=high)
        panel = SeriesPanel(kpi, label, unit, {k: (s["x"], s[k]) for k in ("mean", "low", "high")})
        lo, hi = panel.y_range()
        with self.band.hold_sync():
            self.band.x, self.band.y = s["x"], np.vstack([s["low"], s["high"]])
        with self.mean.hold_sync():
            self.mean.x, self.mean.y = s["x"], s["mean"]
        with self.y_scale.hold_sync():
            self.y_scale.min, self.y_scale.max = lo, hi
        set_ticks(self.y_axis, axis_ticks(lo, hi, unit))
        self.y_axis.label = f"{label} ({panel.caption})"
        self.figure.title = title


class LiveWaterfall:
    """The forecast-value-added waterfall, drawn in the browser and updated in place.

    The browser twin of :func:`sop_sim.plotting.fva_waterfall` (the same bars, colours and
    texts, from :func:`sop_sim.plotdata.waterfall_bars`): each bar is a filled outline of one
    :class:`bqplot.Lines` mark, so a bar changes colour by data; :meth:`update` sets the data.
    """

    def __init__(self, height: str = "300px") -> None:
        self.x_scale = bq.LinearScale(min=-0.6, max=3.6, allow_padding=False)
        self.y_scale = bq.LinearScale(min=0.0, max=1.0, allow_padding=False)
        scales = {"x": self.x_scale, "y": self.y_scale}
        self.bars = bq.Lines(x=np.zeros((1, 0)), y=np.zeros((1, 0)), scales=scales, fill="inside", close_path=True,
                             colors=[REFERENCE_COLOUR], fill_colors=[REFERENCE_COLOUR], stroke_width=1.0)
        self.links = bq.Lines(x=np.zeros((1, 0)), y=np.zeros((1, 0)), scales=scales, colors=["black"],
                              stroke_width=0.8)
        self.values = bq.Label(x=np.zeros(0), y=np.zeros(0), text=[], scales=scales, align="middle", y_offset=-26,
                               default_size=12, font_weight="normal", colors=["black"], apply_clip=False)
        self.changes = bq.Label(x=np.zeros(0), y=np.zeros(0), text=[], scales=scales, align="middle", y_offset=-10,
                                default_size=11, font_weight="normal", colors=["#555555"], apply_clip=False)
        self.x_axis = bq.Axis(scale=self.x_scale, grid_lines="none", tick_style={"font-size": "10px"})
        self.y_axis = bq.Axis(scale=self.y_scale, side="left", label="forecast error (% of orders)",
                              label_offset="46px", grid_color="#dddddd")
        self.figure = bq.Figure(marks=[self.bars, self.links, self.values, self.changes],
                                axes=[self.x_axis, self.y_axis], title_style=_TITLE_STYLE,
                                fig_margin={"top": 36, "bottom": 30, "left": 60, "right": 10}, padding_y=0.0,
                                layout=widgets.Layout(width="100%", height=height, min_width="0"))
        note = widgets.HTML(f'<span style="font-size:0.85em;color:#555">{html.escape(WATERFALL_NOTE)}</span>',
                            layout=widgets.Layout(min_width="0", max_width="100%"))
        self.widget = widgets.VBox([self.figure, note], layout=widgets.Layout(width="100%", min_width="0"))
        self.widget.add_class("sop-live-plot")

    def update(self, table: pd.DataFrame, title: str) -> None:
        """Show the waterfall of ``table`` (:func:`sop_sim.fva.fva_table` rows in stairstep order)."""
        bars = waterfall_bars(table)
        n = len(bars)
        xs = np.array([[i - 0.4, i + 0.4, i + 0.4, i - 0.4] for i in range(n)], dtype=float).reshape(n, 4)
        ys = np.array([[b.bottom, b.bottom, b.top, b.top] for b in bars], dtype=float).reshape(n, 4)
        colours = [b.colour for b in bars] or [REFERENCE_COLOUR]
        tops = np.array([max(b.top, b.bottom) for b in bars], dtype=float)
        hi = max(float(tops.max()) * 1.35 if n else 0.0, 0.01)
        with self.bars.hold_sync():
            self.bars.x, self.bars.y = xs, ys
            self.bars.colors, self.bars.fill_colors = colours, colours
        with self.links.hold_sync():
            self.links.x = np.array([[i - 1.4, i + 0.4] for i in range(1, n)], dtype=float).reshape(-1, 2)
            self.links.y = np.array([[b.bottom, b.bottom] for b in bars[1:]], dtype=float).reshape(-1, 2)
        for mark, texts in ((self.values, [b.value_text for b in bars]), (self.changes, [b.change_text for b in bars])):
            with mark.hold_sync():
                mark.x, mark.y, mark.text = np.arange(n, dtype=float), tops, texts
        self.x_scale.max = max(n, 1) - 0.4
        set_ticks(self.x_axis, {float(i): b.short_label for i, b in enumerate(bars)})
        with self.y_scale.hold_sync():
            self.y_scale.min, self.y_scale.max = 0.0, hi
        set_ticks(self.y_axis, axis_ticks(0.0, hi, "share"))
        self.figure.title = title


def steady_range(current: tuple[float | None, float | None], new: tuple[float, float]) -> tuple[float, float]:
    """The y limits to show: the ``current`` ones while they hold the ``new`` ones and the new span
    fills at least half of them, else the new ones.

    A lever that moves a line a little then moves the line, not the axis under it (and the
    browser has one message less to handle); a much smaller or larger line gets its own axis.
    """
    lo, hi = current
    if lo is None or hi is None:
        return new
    if lo <= new[0] and new[1] <= hi and (new[1] - new[0]) >= 0.5 * (hi - lo):
        return lo, hi
    return new


def _pad(values: np.ndarray, n: int) -> np.ndarray:
    """``values`` made ``n`` long with NaN (bqplot draws no line where there is no value)."""
    out = np.full(n, np.nan)
    out[: len(values)] = values[:n]
    return out


__all__ = ["LiveBand", "LiveTimeseries", "LiveWaterfall", "js_ticks", "legend_html", "set_ticks", "steady_range"]
