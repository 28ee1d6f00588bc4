"""Render a :class:`~sop_sim.game.debrief.Debrief` as one self-contained HTML page.

No scripts, no external files: styles are inline, so the report can be mailed,
printed or opened offline. KPI labels and units come from :data:`sop_sim.metrics.KPIS`.
"""

from __future__ import annotations

import base64
import math
from html import escape
from typing import TYPE_CHECKING

from sop_sim.calendar import month_label
from sop_sim.game.maturity import STAGE_MEANING, STAGES
from sop_sim.knowledge import load_kb
from sop_sim.metrics import KPIS, format_kpi

if TYPE_CHECKING:
    from sop_sim.game.debrief import Debrief

_CSS = """
body{font-family:system-ui,Segoe UI,Arial,sans-serif;max-width:1100px;margin:2em auto;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{border-bottom:2px solid #2a6f97;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;width:100%}th,td{border:1px solid #ccc;padding:.3em .5em;
vertical-align:top;text-align:left}th{background:#eef4f8}td.num{text-align:right;white-space:nowrap}
.better{color:#1b7a33}.worse{color:#b02a2a}.tradeoff{color:#a0620b}.stage{display:inline-block;padding:.3em .8em;border-radius:1em;
background:#2a6f97;color:#fff;font-weight:bold}.ladder span{display:inline-block;padding:.2em .6em;margin:.1em;
border:1px solid #2a6f97;border-radius:.8em}.ladder span.on{background:#2a6f97;color:#fff}
.tag{font-size:.8em;padding:0 .4em;border-radius:.4em;background:#eee;margin-right:.3em}
.tag.problem,.tag.meeting{background:#fde2e2}.tag.decision{background:#e2f0fd}.tag.escalation{background:#fff3cd}
.tag.numbers{background:#f3e2fd}.tag.facilitator{background:#e2fde8}.muted{color:#666}
.summary{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:stretch;margin:.6em 0}
.card{border:1px solid #ccc;border-radius:.5em;padding:.5em .8em;min-width:10em;flex:1 1 10em}
.card b{display:block;font-size:1.5em}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));
gap:.6em}.charts img{width:100%;height:auto;border:1px solid #eee}
details{margin:1em 0}summary{cursor:pointer;font-weight:bold;font-size:1.2em;color:#2a6f97}
.wrap{max-width:100%;overflow-x:auto}
@media print{body{margin:0}h2{page-break-after:avoid}details{display:block}}
"""


def _kpi_rows(d: Debrief) -> str:
    from sop_sim.experiment.stats import compare_summaries

    rows = []
    # the team against the agents: the headline first; cost or stock saved by serving fewer is no gain
    said = compare_summaries(d.agents.summary, d.team.summary)
    for name in said.index:
        kpi = KPIS[name]
        t, a, b = (float(r.summary[name]) for r in (d.team, d.agents, d.baseline))
        cls = {"better": "better", "worse": "worse", "trade-off": "tradeoff"}.get(said.loc[name, "verdict"], "")
        rows.append(f"<tr><td title='{escape(kpi.formula)}'>{escape(kpi.label)}</td>"
                    f"<td class='num {cls}'>{format_kpi(name, t)}</td><td class='num'>{format_kpi(name, a)}</td>"
                    f"<td class='num'>{format_kpi(name, b)}</td><td>{escape(kpi.unit)}</td>"
                    f"<td class='muted'>{escape(kpi.explain)}</td></tr>")
    return "".join(rows)


def _maturity(d: Debrief) -> str:
    r = d.reading
    ladder = "".join(f"<span class='{'on' if STAGES.index(s) <= STAGES.index(r.stage) else ''}'>{s}</span>"
                     for s in STAGES)
    rows = "".join(f"<tr><td>{c.stage}</td><td>{escape(c.rule)}</td><td>{escape(c.observed)}</td>"
                   f"<td>{'met' if c.met else '<b>not met</b>'}</td></tr>" for c in r.criteria)
    nxt = (f"<p>Next stage, <b>{r.next_stage}</b>: {escape(STAGE_MEANING[r.next_stage])}</p>"
           if r.next_stage else "<p>The team met every rule of the scale.</p>")
    return (f"<p><span class='stage'>{r.stage}</span> {escape(STAGE_MEANING[r.stage])}</p>"
            f"<p class='ladder'>{ladder}</p>{nxt}<p class='muted'>A stage counts when its rules and every earlier "
            "stage's rules hold; React is the floor. The rules read only what the run recorded.</p>"
            f"<table><tr><th>stage</th><th>rule</th><th>observed</th><th></th></tr>{rows}</table>")


def _png(fig: object, alt: str) -> str:
    """A figure as an inline image (a data URI: the report stays one self-contained file)."""
    from sop_sim.plotting import to_png

    data = base64.b64encode(to_png(fig)).decode("ascii")  # type: ignore[arg-type]
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _summary(d: Debrief) -> str:
    """The one-screen summary: four numbers against the all-agent run, the stage, three charts."""
    from sop_sim import plotting
    from sop_sim.game.debrief import escalation_spans, plan_vs_actual

    cards = []
    from sop_sim.experiment.stats import headline_kpi

    # the headline first (economic profit once the summary has it, margin until then), then service
    for name in (headline_kpi(list(d.team.summary.index)), "fill_rate", "inventory_value", "decision_latency_days"):
        kpi = KPIS[name]
        t, a = float(d.team.summary[name]), float(d.agents.summary[name])
        def shown(v: float, kpi_name: str = name) -> str:
            text = format_kpi(kpi_name, v)  # "n/a" when the run had nothing to measure
            return f"{text} days" if KPIS[kpi_name].unit == "days" and text != "n/a" else text
        cards.append(f"<div class='card'>{escape(kpi.label)}<b>{shown(t)}</b>"
                     f"<span class='muted'>all agents: {shown(a)}</span></div>")
    cards.append(f"<div class='card' title='{escape(STAGE_MEANING[d.reading.stage])}'>Maturity"
                 f"<b>{escape(d.reading.stage)}</b><span class='muted'>see section 2</span></div>")
    months = len(d.team.plant)
    trail = {"your team": d.team.kpis_by_month(), "all agents": d.agents.kpis_by_month(),
             "mature baseline": d.baseline.kpis_by_month()}
    size = (7.0, 3.4)  # about half a screen wide each, so the text stays as large as the page's
    charts = [
        _png(plotting.plan_vs_actual(plan_vs_actual(d.team), figsize=size,
                                     title="Plan against actual: made what was planned?"),
             "plan against actual, month by month"),
        _png(plotting.timeseries_compare(trail, ("fill_rate",), highlight="your team", figsize=size,
                                         title="Fill rate: your team (red), references (grey)"),
             "fill rate month by month"),
        _png(plotting.escalation_timeline(escalation_spans(d.team), months, figsize=size,
                                          title="Escalations: raised (dot) to decided (bar)"),
             "when escalations were raised and decided; red means still open at the end"),
    ]
    return (f"<div class='summary'>{''.join(cards)}</div><div class='charts'>{''.join(charts)}</div>")


def _timeline(d: Debrief) -> str:
    rows = []
    for m in d.timeline:
        items = "<br>".join(f"<span class='tag {k}'>{k}</span>{escape(t)}" for k, t in m["items"]) or \
            "<span class='muted'>nothing to note</span>"
        fill = "" if math.isnan(m["fill_rate"]) else f"{m['fill_rate']:.1%}"
        rows.append(f"<tr><td class='num'>{month_label(m['month'])}</td><td>{items}</td><td class='num'>{fill}</td>"
                    f"<td class='num'>{m['sets_of_numbers']}</td></tr>")
    return ("<table><tr><th>month</th><th>what happened</th><th>fill rate</th><th>sets of numbers</th></tr>"
            + "".join(rows) + "</table>")


def _attendance(d: Debrief) -> str:
    rows = "".join(
        f"<tr><td>{escape(str(role))}</td><td class='num'>{int(r.invited)}</td><td class='num'>{int(r.attended)}</td>"
        f"<td class='num'>{int(r.missed)}</td><td class='num'>{int(r.cancelled_for_want_of_it)}</td>"
        f"<td class='num'>{'' if math.isnan(r.share) else f'{r.share:.0%}'}</td></tr>"
        for role, r in d.attendance.iterrows())
    return ("<table><tr><th>role</th><th>invited</th><th>attended</th><th>missed</th>"
            "<th>meetings cancelled for want of it</th><th>share</th></tr>" + rows + "</table>")


def render_html(d: Debrief) -> str:
    """The whole report as an HTML string."""
    kb = load_kb()
    g = d.game
    sc = g.scenario
    humans = ", ".join(kb.name(r) for r in g.human_roles) or "none (all agents)"
    status = ("finished" if g.finished else
              f"in progress: compared as of {month_label(g.month)}, with every run cut at the same day")
    private = "".join(f"<h3>{escape(role)}</h3><ul>{''.join(f'<li>{escape(t)}</li>' for t in items)}</ul>"
                      for role, items in d.private.items())
    questions = "".join(f"<li>{escape(q)}</li>" for q in d.questions)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>S&amp;OP game debrief: {escape(sc.name)}</title>
<style>{_CSS}</style></head><body>
<h1>S&amp;OP game debrief</h1>
<p>Scenario <b>{escape(sc.name)}</b>: {escape(sc.description)}<br>
Seed {g.seed}, {sc.months} months from {month_label(0)}, played by people: {escape(humans)}.
Game {escape(status)}.</p>
<h2>At a glance</h2>
<p class="muted">Under each number: the all-agent run, the same scenario and events with every role played
by its simulated agent.</p>
{_summary(d)}
<h2>1. Results</h2>
<p>Your team against two references on the same seed and the same events: the <b>all-agent run</b>
(this scenario with every role played by its simulated agent) and the <b>mature baseline</b> (all five steps
held, engaged executive, one set of numbers). Green and red mark where your team did better or worse than
the agents.</p>
<div class="wrap"><table><tr><th>KPI</th><th>your team</th><th>all agents</th><th>mature baseline</th><th>unit</th>
<th>what it tells you</th></tr>{_kpi_rows(d)}</table></div>
<h2>2. Maturity reading</h2>{_maturity(d)}
<h2>3. Month by month</h2>
<details><summary>The full timeline, month by month (click to open)</summary>
<p>Your decisions sit next to what the agent would have done; problems are what the minutes recorded as
going wrong.</p><div class="wrap">{_timeline(d)}</div></details>
<h2>4. Attendance by role</h2>
<p>A meeting that could not be held because its lead was missing counts as missed by that role.</p>{_attendance(d)}
<h2>5. What each role knew</h2>
<p>Private information, revealed: each role held these facts before anyone else.</p>{private}
<h2>6. Questions for the debrief</h2><ol>{questions}</ol>
<p class="muted">Generated by sop_sim from the game's decision log; numbers come from the runs' results.</p>
</body></html>
"""
