"""CycleWalkthrough: one month of the S&OP cycle, meeting by meeting.

Back and Next move through the five steps in cycle order. For each meeting the view
shows who leads it and who is expected (from the knowledge base), who came (from the
minutes), what went in, the key output as a table in units and money, the decisions and
escalations, and the forecast-value-added waterfall of the plan versions made so far.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from sop_sim.calendar import month_label
from sop_sim.config import STEP_IDS
from sop_sim.fva import VERSION_LABELS, fva_table
from sop_sim.model import SOPModel
from sop_sim.presets import PRESETS, get_scenario
from sop_sim.results import Result
from sop_sim.ui._view import WidgetApp, app_box, month_slider
from sop_sim.ui.live_plot import LiveWaterfall
from sop_sim.ui.tables import _kb, minutes_frame, name_of

#: The plan versions that exist once each step has met (in cycle order).
VERSIONS_AFTER: dict[str, tuple[str, ...]] = {
    "data_gathering": ("statistical",),
    "demand_review": ("statistical", "sales_input", "consensus"),
    "supply_review": ("statistical", "sales_input", "consensus", "supply"),
    "pre_sop": ("statistical", "sales_input", "consensus", "supply"),
    "executive_sop": ("statistical", "sales_input", "consensus", "supply", "authorized"),
}
#: How many months ahead the key-output table shows.
TABLE_MONTHS = 6
#: What a step reads besides the artefacts of the knowledge base: raw records are data, not
#: artefacts, so the knowledge base does not list them (data gathering would show only the action log).
DATA_INPUTS: dict[str, tuple[str, ...]] = {
    "data_gathering": ("last month's actual orders, shipments and stock per family",
                       "production, overtime and supplier deliveries", "last month's revenue and costs",
                       "the plan in force, to measure forecast accuracy and plan adherence"),
}


def plan_table(result: Result, cycle: int, version: str, months: int = TABLE_MONTHS) -> pd.DataFrame:
    """One plan version of one cycle: units per family for the next ``months`` months, and its value.

    Rows are families plus a total; columns are calendar months such as ``Apr Y1`` (units) and
    ``value`` (money over those months). Empty when the cycle made no such version.
    """
    p = result.plans
    p = p[(p["cycle"] == cycle) & (p["version"] == version)]
    if p.empty:
        return pd.DataFrame()
    p = p[p["month"] < p["month"].min() + months]
    units = p.pivot_table(index="family", columns="month", values="units", aggfunc="sum", sort=False).round()
    units.columns = [month_label(m) for m in units.columns]
    units["value"] = p.groupby("family", sort=False)["value"].sum().round()
    units.loc["total"] = units.sum()
    return units.astype("int64")


class CycleWalkthrough(WidgetApp):
    """Step through one month's meetings with Back and Next.

    Parameters
    ----------
    scenario:
        A preset name or scenario.
    seed:
        The random seed.
    month:
        The month to walk through.

    Attributes
    ----------
    preset, seed, month, back, next:
        The controls.
    position:
        Index of the meeting on show in :data:`sop_sim.config.STEP_IDS`.
    header, details, output_table, fva:
        The output areas; ``fva`` holds the forecast-value-added waterfall drawn in the browser
        (``waterfall``, a :class:`~sop_sim.ui.live_plot.LiveWaterfall` updated in place).
    """

    def __init__(self, scenario: str = "baseline", seed: int = 0, month: int = 3) -> None:
        sc = get_scenario(scenario)
        self.preset = widgets.Dropdown(options=list(PRESETS), value=sc.name, description="Scenario",
                                       layout=widgets.Layout(width="100%", max_width="340px"))
        self.seed = widgets.BoundedIntText(seed, min=0, max=10**9, description="Seed",
                                           layout=widgets.Layout(width="100%", max_width="200px"))
        self.month = month_slider(month, sc.months, "Month")
        self.back = widgets.Button(description="Back", icon="arrow-left", layout=widgets.Layout(width="100px"))
        self.next = widgets.Button(description="Next", icon="arrow-right", layout=widgets.Layout(width="100px"))
        self.header = widgets.HTML(layout=widgets.Layout(min_width="0"))
        self.details = widgets.HTML(layout=widgets.Layout(flex="1 1 420px", min_width="0", max_width="100%"))
        self.output_table = widgets.HTML(layout=widgets.Layout(min_width="0", max_width="100%"))
        self.waterfall = LiveWaterfall()
        self.fva = widgets.Box([self.waterfall.widget],
                               layout=widgets.Layout(flex="1 1 360px", min_width="0", max_width="100%"))
        self.position = 0
        self.result: Result | None = None
        self.back.on_click(lambda _b: self.go(self.position - 1))
        self.next.on_click(lambda _b: self.go(self.position + 1))
        for w in (self.preset, self.seed):
            w.observe(lambda _c: self.rerun(), names="value")
        self.month.observe(lambda _c: self.go(0), names="value")
        self.widget = app_box([self.preset, self.seed], [self.back, self.next, self.month], self.header,
                              [self.details, self.fva], self.output_table)
        self.rerun()

    @property
    def step(self) -> str:
        """The id of the meeting on show."""
        return STEP_IDS[self.position]

    def rerun(self) -> None:
        """Run the chosen scenario and seed, then show the first meeting of the month."""
        self.result = SOPModel(PRESETS[self.preset.value], int(self.seed.value)).run()
        self.go(0)

    def go(self, position: int) -> None:
        """Show the meeting at ``position`` (clamped to the cycle)."""
        self.position = max(0, min(len(STEP_IDS) - 1, position))
        self.back.disabled = self.position == 0
        self.next.disabled = self.position == len(STEP_IDS) - 1
        self.render()

    def render(self) -> None:
        """Redraw the meeting on show."""
        assert self.result is not None
        kb, step, month = _kb(), self.step, int(self.month.value)
        rows = minutes_frame(self.result, month)
        row = rows[rows["step"] == name_of(step)]
        r = row.iloc[0] if not row.empty else None
        leads = ", ".join(name_of(x) for x in sorted(kb.leads(step))) or "no single lead: a cross-functional meeting"
        self.header.value = (f"<h3>{month_label(month)}, meeting {self.position + 1} of {len(STEP_IDS)}: "
                             f"{html.escape(name_of(step))}</h3><p>{html.escape(kb.description(step))}</p>")
        inputs = [*DATA_INPUTS.get(step, ()), *(name_of(x) for x in sorted(kb.inputs(step)))]
        expected = ", ".join(name_of(x) for x in sorted(kb.participants(step)))
        items = [("Led by", leads), ("Facilitated by", name_of(kb.facilitator(step))),
                 ("Invited (this company's practice)", expected),
                 ("Status", r["status"] if r is not None else "no record"),
                 ("Present", r["present"] if r is not None else ""),
                 ("Absent", r["absent"] if r is not None else ""),
                 ("Inputs", "; ".join(inputs)),
                 ("Key output", name_of(kb.key_output(step))),
                 ("Decisions", r["decisions"] if r is not None else ""),
                 ("Escalations", r["escalations"] if r is not None else ""),
                 ("What went wrong", r["problems"] if r is not None else "")]
        self.details.value = ('<table class="sop-meeting" style="table-layout:auto">' + "".join(
            f"<tr><th style='text-align:left;vertical-align:top;padding-right:8px'>{k}</th>"
            f"<td style='text-align:left'>{html.escape(str(v)) or '-'}</td></tr>" for k, v in items) + "</table>")
        self._render_plans(step, month)

    def _render_plans(self, step: str, month: int) -> None:
        assert self.result is not None
        version = next((v for v in reversed(VERSIONS_AFTER[step])
                        if not plan_table(self.result, month, v).empty), None)
        if version is None:
            self.output_table.value = "<p>No plan was made this month up to this meeting.</p>"
        else:
            table = plan_table(self.result, month, version)
            self.output_table.value = (f"<b>{VERSION_LABELS[version]} made in {month_label(month)}</b> "
                                       "(units per family; value in money over these months)"
                                       '<div style="max-width:100%;overflow-x:auto">'
                                       + table.rename_axis(None).to_html(classes="sop-plan", border=0,
                                                       formatters={c: "{:,}".format for c in table.columns})
                                       + "</div>")
        fva = fva_table(self.result, cycle=month)
        fva = fva[fva.index.isin(("naive", *VERSIONS_AFTER[step]))]  # the stairstep starts from the naive forecast
        self.fva.layout.display = "none" if fva.empty else None
        if not fva.empty:
            self.waterfall.update(fva, f"Plan versions so far, {month_label(month)}")

    def state(self) -> dict[str, Any]:
        """What is on show, as plain values (for tests and notebooks)."""
        return {"month": int(self.month.value), "step": self.step, "position": self.position,
                "header": self.header.value, "details": self.details.value, "table": self.output_table.value}
