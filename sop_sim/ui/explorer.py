"""ScenarioExplorer: move a lever, see at once what changes against the baseline.

The view builds the controls; every change calls :meth:`ScenarioExplorer.refresh`, which
runs the variant (the reference run is cached per seed, recent variants too) and
updates the plots, the KPI table and the minutes. The plots are drawn by the browser
(:class:`sop_sim.ui.live_plot.LiveTimeseries`): a change only sends the lines' new data.
Tests drive it without a browser by setting ``.value`` on the controls.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import Any

import ipywidgets as widgets

from sop_sim.config import STEP_IDS, Scenario
from sop_sim.errors import ScenarioError
from sop_sim.model import SOPModel
from sop_sim.presets import PRESETS, get_scenario
from sop_sim.results import Result
from sop_sim.ui._view import WidgetApp, app_box, check_fields, month_slider, row
from sop_sim.ui.live_plot import LiveTimeseries
from sop_sim.ui.tables import comparison_html, kpi_comparison, minutes_html, name_of

_CACHE_SIZE = 32


def _field_controls() -> dict[str, widgets.ValueWidget]:
    """One control per scenario field the explorer moves, keyed by the field's name."""
    style = {"description_width": "175px"}
    layout = widgets.Layout(width="100%", max_width="400px")
    return {
        "executive_engagement": widgets.FloatSlider(1.0, min=0, max=1, step=0.05, description="Executive engagement",
                                                    style=style, layout=layout, continuous_update=False),
        "data_quality": widgets.FloatSlider(1.0, min=0, max=1, step=0.05, description="Data quality",
                                            style=style, layout=layout, continuous_update=False),
        "horizon_months": widgets.IntSlider(18, min=1, max=36, description="Horizon (months)", style=style,
                                            layout=layout, continuous_update=False),
        "silos": widgets.Checkbox(False, description="Functional silos", indent=False),
        "supply_chain_only": widgets.Checkbox(False, description="Run by supply chain only", indent=False),
    }


#: How a changed lever reads in the status line (field -> words for its new value).
_CHANGE_TEXT = {
    "executive_engagement": lambda v: f"executive engagement {v:.0%}",
    "data_quality": lambda v: f"data quality {v:.0%}",
    "silos": lambda v: "functions work in silos" if v else "functions share one plan",
    "supply_chain_only": lambda v: "run by supply chain only" if v else "every function takes part",
    "horizon_months": lambda v: f"plans look {v} months ahead",
}


def _changes(base: Scenario, sc: Scenario) -> str:
    """The levers in which ``sc`` differs from the preset ``base``, in words."""
    out = [f"{name_of(s)} not held" for s in STEP_IDS if s in sc.skip_steps - base.skip_steps]
    out += [f"{name_of(s)} held again" for s in STEP_IDS if s in base.skip_steps - sc.skip_steps]
    for field, text in _CHANGE_TEXT.items():
        if getattr(sc, field) != getattr(base, field):
            out.append(text(getattr(sc, field)))
    return "; ".join(out)


class ScenarioExplorer(WidgetApp):
    """Pick a preset, tick steps off, move the levers; compare with a reference on the same seed.

    Parameters
    ----------
    preset:
        The preset the controls start from.
    seed:
        The random seed (both runs use it, so they share demand and attendance draws).
    month:
        The month whose minutes are shown.
    reference:
        The scenario compared against (default ``"baseline"``).

    Attributes
    ----------
    preset, seed, month:
        Dropdown, integer box and slider.
    steps:
        Step id -> checkbox (ticked = the step is held).
    fields:
        Scenario field name -> control (checked against the dataclass fields).
    plot, kpis, minutes, status:
        The output areas (``plot`` is the :class:`~sop_sim.ui.live_plot.LiveTimeseries` widget;
        ``panel`` the object that updates it).
    result, reference:
        The two runs on show.
    """

    def __init__(self, preset: str = "baseline", seed: int = 0, month: int = 6,
                 reference: Scenario | str = "baseline") -> None:
        self._reference_scenario = get_scenario(reference)
        self._references: dict[int, Result] = {}
        self._variants: OrderedDict[tuple[str, int], Result] = OrderedDict()
        self._hold = False
        self._built: dict[tuple[Any, ...], tuple[tuple[Result, ...], Any]] = {}
        self.preset = widgets.Dropdown(options=list(PRESETS), value=get_scenario(preset).name,
                                       description="Start from", layout=widgets.Layout(width="100%", max_width="340px"))
        self.steps = {s: widgets.Checkbox(True, description=name_of(s), indent=False) for s in STEP_IDS}
        self.fields = _field_controls()
        check_fields(self.fields)
        self.seed = widgets.BoundedIntText(seed, min=0, max=10**9, description="Seed",
                                           layout=widgets.Layout(width="100%", max_width="200px"))
        self.month = month_slider(month, self._reference_scenario.months, "Minutes of")
        self.status = widgets.HTML(layout=widgets.Layout(min_width="0"))
        names = (self._reference_scenario.name, "this scenario")
        self.panel = LiveTimeseries(names, highlight="this scenario", months=self._reference_scenario.months,
                                    title=f"Month by month: this scenario (red) against {names[0]} (grey)")
        self.plot = self.panel.widget
        self.kpis = widgets.HTML(layout=widgets.Layout(min_width="0", max_width="100%"))
        self.kpis.add_class("sop-kpi")
        self.minutes = widgets.HTML(layout=widgets.Layout(min_width="0", max_width="100%"))
        self.minutes.add_class("sop-minutes")
        self.result: Result | None = None
        self.reference: Result | None = None
        self._load_preset(self.preset.value)
        self.preset.observe(self._on_preset, names="value")
        for w in [*self.steps.values(), *self.fields.values(), self.seed]:
            w.observe(self._on_change, names="value")
        self.month.observe(lambda _c: self.render_minutes(), names="value")
        self.widget = self._layout()
        self.refresh()

    # --- controller ---------------------------------------------------------------------
    def scenario(self) -> Scenario:
        """The scenario the controls describe: the chosen preset with the controls' values."""
        base = PRESETS[self.preset.value]
        values = {name: w.value for name, w in self.fields.items()}
        skip = frozenset(s for s, box in self.steps.items() if not box.value)
        sc = replace(base, skip_steps=skip, **values)
        if sc.lever_dict() != base.lever_dict():
            sc = replace(sc, name=f"{base.name} (changed)")
        return sc

    def _reference_run(self, seed: int) -> Result:
        if seed not in self._references:
            self._references[seed] = SOPModel(self._reference_scenario, seed).run()
        return self._references[seed]

    def _variant_run(self, sc: Scenario, seed: int) -> Result:
        if sc.lever_dict() == self._reference_scenario.lever_dict() and sc.company == self._reference_scenario.company \
                and sc.disturbances == self._reference_scenario.disturbances:
            return self._reference_run(seed)
        key = (repr(sorted(sc.lever_dict().items())), seed)
        if key in self._variants:
            self._variants.move_to_end(key)
        else:
            self._variants[key] = SOPModel(sc, seed).run()
            while len(self._variants) > _CACHE_SIZE:
                self._variants.popitem(last=False)
        return self._variants[key]

    def refresh(self) -> None:
        """Run the scenario the controls describe and redraw every output."""
        seed = int(self.seed.value)
        try:
            sc = self.scenario()
        except ScenarioError as exc:  # cannot happen from the bounded controls; said plainly if it does
            self.status.value = f'<span style="color:#c0392b">{exc}</span>'
            return
        self.reference = self._reference_run(seed)
        self.result = self._variant_run(sc, seed)
        self.render()  # the outputs first, then the line that says what changed
        base = PRESETS[self.preset.value]
        changes = _changes(base, sc)
        self.status.value = (f"<b>{base.name}</b>: {base.description}"
                             + (f" <b>Your changes:</b> {changes}." if changes else "")
                             + f" Compared with <b>{self.reference.scenario.name}</b> on seed {seed}.")

    def render(self) -> None:
        """Show the plots, the KPI table and the minutes of the current runs (the plots updated in place).

        The plot goes first (the browser draws its lines on the next animation frame, while the
        table is on its way); the minutes go last, the largest message and below the fold. What is shown for
        a pair of runs is kept with the cached runs, so going back to a variant already seen
        sends what was built the first time.
        """
        ref, res = self.reference, self.result
        assert ref is not None and res is not None
        self.panel.update({ref.scenario.name: self._monthly(ref), "this scenario": self._monthly(res)})
        self.kpis.value = self._memo("kpis", (ref, res), lambda: comparison_html(
            kpi_comparison(ref, res), ref.scenario.name, "this scenario"))
        self.render_minutes()

    def _memo(self, kind: str, runs: tuple[Result, ...], build: Any, *extra: Any) -> Any:
        """``build()``, kept for these very runs (by identity) so a redraw does not build it again."""
        key = (kind, *map(id, runs), *extra)
        hit = self._built.get(key)
        if hit is None or any(a is not b for a, b in zip(hit[0], runs, strict=True)):
            if len(self._built) > 8 * _CACHE_SIZE:
                self._built.clear()
            hit = self._built[key] = (runs, build())
        return hit[1]

    def _monthly(self, result: Result) -> Any:
        """``result.kpis_by_month()``, kept with the cached run."""
        return self._memo("monthly", (result,), result.kpis_by_month)

    def render_minutes(self) -> None:
        """Show the minutes of the chosen month of the scenario run."""
        if self.result is not None:
            res, month = self.result, int(self.month.value)
            self.minutes.value = self._memo("minutes", (res,), lambda: minutes_html(res, month), month)

    def kpi_frame(self) -> Any:
        """The KPI comparison on show, as numbers (see :func:`sop_sim.ui.tables.kpi_comparison`)."""
        assert self.reference is not None and self.result is not None
        return kpi_comparison(self.reference, self.result)

    # --- events -------------------------------------------------------------------------
    def _load_preset(self, name: str) -> None:
        sc = PRESETS[name]
        self._hold = True
        try:
            for s, box in self.steps.items():
                box.value = s not in sc.skip_steps
            for field, w in self.fields.items():
                w.value = getattr(sc, field)
        finally:
            self._hold = False

    def _on_preset(self, change: dict[str, Any]) -> None:
        self._load_preset(change["new"])
        self.refresh()

    def _on_change(self, _change: dict[str, Any]) -> None:
        if not self._hold:
            self.refresh()

    # --- view -----------------------------------------------------------------------------
    def _layout(self) -> widgets.Widget:
        steps = widgets.VBox([widgets.HTML("<b>Steps held each month</b>"), *self.steps.values()])
        levers = widgets.VBox([self.preset, *self.fields.values(), self.seed],
                              layout=widgets.Layout(flex="1 1 320px", max_width="400px"))
        kpis = widgets.VBox([widgets.HTML("<b>KPIs over the whole run</b>"), self.kpis],
                            layout=widgets.Layout(flex="0 1 auto", max_width="100%"))
        minutes = widgets.VBox([self.month, self.minutes], layout=widgets.Layout(flex="1 1 480px", max_width="100%"))
        return app_box(row([levers, steps]), self.status, self.plot, row([kpis, minutes]))
