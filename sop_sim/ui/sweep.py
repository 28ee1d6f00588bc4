"""EngagementSweep: a KPI against executive engagement, over several seeds, with a confidence band.

One seed tells a story; several show how much of it is luck. The sweep runs through
:func:`sop_sim.experiment.sweep` (common random numbers, confidence intervals computed
there); this view only picks the settings and draws the result.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from sop_sim.metrics import KPIS
from sop_sim.presets import PRESETS, get_scenario
from sop_sim.ui._view import WidgetApp, app_box, check_fields
from sop_sim.ui.live_plot import LiveBand
from sop_sim.ui.tables import fmt_value

FIELD = check_fields(["executive_engagement"])[0]
#: Share KPIs that can fall below zero (the others are fractions between 0 and 1).
SIGNED_SHARES = frozenset({"forecast_bias", "aop_gap"})


def clip_interval(kpi: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The interval columns limited to values the KPI can take.

    A t-interval around a mean of small counts can reach below zero (``-0.03 to 1.23``
    open escalations); no run can, so the band and the table stop at zero (shares at 100%).
    """
    k = KPIS[kpi]
    out = frame.copy()
    if k.unit in ("count", "units", "days", "per year") or (k.unit == "share" and kpi not in SIGNED_SHARES):
        out["ci_low"] = out["ci_low"].clip(lower=0.0)
    if k.unit == "share" and kpi not in SIGNED_SHARES:
        out["ci_high"] = out["ci_high"].clip(upper=1.0)
    return out


def _fmt(value: float, unit: str) -> str:
    """A sweep value: counts are means over months, so one decimal (0.3 open escalations)."""
    if unit == "count":
        return f"{value:,.1f}"
    return fmt_value(value, unit)


class EngagementSweep(WidgetApp):
    """Run a scenario at several levels of executive engagement and plot a KPI with its band.

    Parameters
    ----------
    scenario:
        The preset the sweep starts from (its other levers stay as they are).
    points:
        How many engagement levels from 0 to 1.
    reps:
        Replications (seeds) per level.
    seed:
        The first seed; replication seeds derive from it.
    kpi:
        The KPI drawn first (any name in :data:`sop_sim.metrics.KPIS`).
    run:
        Run at once (True) or wait for the Run button.

    Attributes
    ----------
    preset, points, reps, seed, kpi, run_button:
        The controls; changing ``kpi`` redraws without running again.
    plot, band:
        The plot drawn in the browser (:class:`~sop_sim.ui.live_plot.LiveBand`) and the object that
        updates it in place.
    comparison:
        The last :class:`sop_sim.experiment.Comparison` (None before the first run).
    """

    def __init__(self, scenario: str = "baseline", points: int = 5, reps: int = 5, seed: int = 0,
                 kpi: str = "fill_rate", run: bool = True) -> None:
        self.preset = widgets.Dropdown(options=list(PRESETS), value=get_scenario(scenario).name,
                                       description="Scenario")
        self.points = widgets.IntSlider(points, min=2, max=11, description="Levels")
        self.reps = widgets.IntSlider(reps, min=2, max=50, description="Seeds per level")
        self.seed = widgets.BoundedIntText(seed, min=0, max=10**9, description="First seed",
                                           layout=widgets.Layout(width="200px"))
        self.kpi = widgets.Dropdown(options=[(k.label, k.name) for k in KPIS.values()], value=kpi,
                                    description="KPI")
        self.run_button = widgets.Button(description="Run", button_style="primary", icon="play")
        self.status = widgets.HTML("Press Run.")
        self.band = LiveBand("Executive engagement (chance the sponsor attends)")
        self.plot = self.band.widget
        self.table = widgets.HTML()
        self.comparison: Any = None
        self.run_button.on_click(lambda _b: self.run())
        self.kpi.observe(lambda _c: self.render(), names="value")
        self.widget = app_box([widgets.VBox([self.preset, self.points, self.reps]),
                               widgets.VBox([self.seed, self.kpi, self.run_button])],
                              self.status, [self.plot, self.table])
        if run:
            self.run()

    def values(self) -> list[float]:
        """The engagement levels the sweep runs, from 0 to 1."""
        return [round(float(v), 3) for v in np.linspace(0.0, 1.0, int(self.points.value))]

    def run(self) -> None:
        """Run the sweep with the current settings, then draw it."""
        from sop_sim.experiment import sweep

        n = int(self.points.value) * int(self.reps.value)
        self.status.value = f"Running {n} simulations, please wait."
        self.comparison = sweep(self.preset.value, FIELD, self.values(), reps=int(self.reps.value),
                                seed=int(self.seed.value), progress=False)
        self.status.value = (f"{n} runs of <b>{self.preset.value}</b>: {self.reps.value} seeds at each of "
                             f"{self.points.value} levels of executive engagement, the same seeds at every level.")
        self.render()

    def summary(self) -> pd.DataFrame:
        """Mean and 95% interval of the chosen KPI at each level (from the experiment module)."""
        if self.comparison is None:
            raise RuntimeError("no sweep yet: press Run (or call .run()) first")
        return clip_interval(self.kpi.value, self.comparison.by_value(self.kpi.value))

    def render(self) -> None:
        """Draw the chosen KPI of the last sweep."""
        if self.comparison is None:
            return
        kpi = KPIS[self.kpi.value]
        s = self.summary().reset_index()
        self.band.update(s, FIELD, kpi=kpi.name, label=kpi.label, unit=kpi.unit, low="ci_low", high="ci_high",
                         title=f"{kpi.label} as the sponsor attends more often")
        rows = "".join(f"<tr><td>{r[FIELD]:.0%}</td><td>{_fmt(r['mean'], kpi.unit)}</td>"
                       f"<td>{_fmt(r['ci_low'], kpi.unit)} to {_fmt(r['ci_high'], kpi.unit)}</td></tr>"
                       for _, r in s.iterrows())
        self.table.value = (f'<table class="sop-sweep"><tr><th>Engagement</th><th>{kpi.label}</th>'
                            f"<th>95% interval</th></tr>{rows}</table>")
