"""Across teams: the leaderboard, one debrief comparing every team, and the CSV exports.

Every number comes from a run's ``Result`` (the team's game, the all-agent run on the same
events, the mature ``baseline``), through :func:`sop_sim.game.debrief.debrief`; nothing here
computes a KPI. The ranking uses ``economic_profit`` when the KPI summary has it and the
margin otherwise.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Mapping
from html import escape
from typing import Any

from sop_sim.calendar import month_label
from sop_sim.errors import SopSimError
from sop_sim.metrics import KPIS, format_kpi

from .store import Classroom


def _debrief(room: Classroom, team_id: int, s: Mapping[str, Any]) -> Any | None:
    """The team's :class:`~sop_sim.game.debrief.Debrief` (memoised per log length), or None before month 1 ends."""
    from sop_sim.game.debrief import debrief

    tc = room.team_game(team_id, s)
    with tc.lock:
        key = ("debrief", tc.n, tc.game.steps)
        if key not in tc.memo:
            try:
                tc.memo[key] = debrief(tc.game)
            except SopSimError:
                tc.memo[key] = None
        return tc.memo[key]


def team_summary(room: Classroom, team_id: int, s: Mapping[str, Any]) -> dict[str, float] | None:
    d = _debrief(room, team_id, s)
    return None if d is None else {k: float(v) for k, v in d.team.summary.items()}


def rank_kpi(summary: Mapping[str, Any]) -> str:
    """The headline KPI the ranking uses (the same rule as the experiments' verdicts)."""
    from sop_sim.experiment.stats import headline_kpi

    return headline_kpi(list(summary.keys()))


def leaderboard(room: Classroom, sid: int) -> dict[str, Any]:
    """Teams ranked by economic profit (margin until that KPI exists), with fill rate and maturity stage."""
    s = room.session(sid)
    rows = []
    kpi = rank_kpi(KPIS)
    for t in room.teams(sid):
        d = _debrief(room, t["id"], s)
        tc = room.team_game(t["id"], s)
        if d is None:
            rows.append({"team": t["number"], "value": None, "shown": "-", "fill": "-", "stage": "-",
                         "months": 0, "finished": tc.game.finished})
            continue
        kpi = rank_kpi(d.team.summary)
        v = float(d.team.summary[kpi])
        rows.append({"team": t["number"], "value": v, "shown": format_kpi(kpi, v),
                     "fill": format_kpi("fill_rate", float(d.team.summary["fill_rate"])),
                     "stage": d.reading.stage, "months": len(d.team.plant), "finished": tc.game.finished})
    rows.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0.0), r["team"]))
    for i, r in enumerate(rows):
        r["rank"] = i + 1 if r["value"] is not None else None
    return {"kpi": kpi, "label": KPIS[kpi].label if kpi in KPIS else kpi, "rows": rows}


# --- CSV exports ---------------------------------------------------------------------------
def decisions_rows(room: Classroom, sid: int) -> list[dict[str, Any]]:
    """Every action of every team: decisions (who made them: person, timer or agent) and injected events."""
    s = room.session(sid)
    out = []
    for t in room.teams(sid):
        tc = room.team_game(t["id"], s)
        with tc.lock:
            for action, source in zip(tc.game.log, tc.sources, strict=False):
                if action["type"] == "decision":
                    out.append({"team": t["number"], "month": month_label(action["month"]),
                                "meeting": action["step"], "role": action["role"], "request": action["seq"],
                                "made_by": source, "as_suggested": action["suggested"],
                                "decision": json.dumps(action["decision"], sort_keys=True),
                                "suggestion": json.dumps(action["suggestion"], sort_keys=True)})
                else:
                    d = action["disturbance"]
                    out.append({"team": t["number"], "month": month_label(int(action["day"] // 30)),
                                "meeting": "", "role": "facilitator", "request": "", "made_by": "facilitator",
                                "as_suggested": "", "decision": json.dumps({"inject": d}, sort_keys=True),
                                "suggestion": ""})
    return out


def monthly_kpi_rows(room: Classroom, sid: int) -> list[dict[str, Any]]:
    """Each team's KPIs month by month (the finished months)."""
    s = room.session(sid)
    out = []
    for t in room.teams(sid):
        d = _debrief(room, t["id"], s)
        if d is None:
            continue
        by_month = d.team.kpis_by_month()
        for m, row in by_month.iterrows():
            out.append({"team": t["number"], "month": month_label(int(m)),
                        **{k: (float(v) if v == v else "") for k, v in row.items()}})  # n/a stays empty
    return out


def decision_counts(room: Classroom, sid: int, number: int) -> dict[str, int]:
    """How team ``number`` decided: by people (as suggested or changed), by the timer, by the agent."""
    s = room.session(sid)
    team = next(t for t in room.teams(sid) if t["number"] == number)
    tc = room.team_game(team["id"], s)
    out = dict.fromkeys(("person", "as_suggested", "changed", "timer", "agent", "injected"), 0)
    with tc.lock:
        for action, source in zip(tc.game.log, tc.sources, strict=False):
            if action["type"] == "inject":
                out["injected"] += 1
            elif source == "person":
                out["person"] += 1
                out["as_suggested" if action["suggested"] else "changed"] += 1
            elif source in out:
                out[source] += 1
    return out


# --- the debrief across teams ----------------------------------------------------------------
def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


_PYPLOT = threading.Lock()  # pyplot keeps global state: one report draws at a time per process


def _charts(debriefs: list[tuple[int, Any]], kpi: str) -> list[tuple[str, str]]:
    with _PYPLOT:
        return _draw(debriefs, kpi)


def _draw(debriefs: list[tuple[int, Any]], kpi: str) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    label = KPIS[kpi].label if kpi in KPIS else kpi
    teams = [f"Team {n}" for n, _ in debriefs]
    x = np.arange(len(teams))
    charts = []
    for name, lab in ((kpi, label), ("fill_rate", KPIS["fill_rate"].label)):
        fig, ax = plt.subplots(figsize=(7, 3.2))
        vals = [[float(getattr(d, which).summary[name]) for _, d in debriefs] for which in ("team", "agents",
                                                                                              "baseline")]
        w = 0.27
        ax.bar(x - w, vals[0], w, label="team", color="#2a6f97")
        ax.bar(x, vals[1], w, label="all agents, same events", color="#9bbfd4")
        ax.bar(x + w, vals[2], w, label="mature baseline", color="#c9c9c9")
        ax.set_xticks(x, teams)
        ax.set_title(f"{lab}: each team against the all-agent run and the baseline")
        if name == "fill_rate":
            ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
            ax.set_ylim(min(min(v) for v in vals) * 0.95, 1.0)
        else:
            ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.legend(fontsize=8, loc="lower right")
        charts.append((lab, _svg(fig)))
    fig, ax = plt.subplots(figsize=(7, 3.2))
    for n, d in debriefs:
        bm = d.team.kpis_by_month()
        ax.plot([month_label(int(m)) for m in bm.index], bm["fill_rate"], marker="o", label=f"Team {n}")
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_title("Fill rate month by month")
    ax.legend(fontsize=8)
    charts.append(("Fill rate month by month", _svg(fig)))
    return charts


def cross_team_html(room: Classroom, sid: int) -> str:
    """One self-contained HTML report comparing every team with the all-agent run and the baseline."""
    s = room.session(sid)
    debriefs = [(t["number"], d) for t in room.teams(sid) if (d := _debrief(room, t["id"], s)) is not None]
    board = leaderboard(room, sid)
    css = ("body{font-family:system-ui,Arial,sans-serif;max-width:1100px;margin:2em auto;color:#222}"
           "table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #ccc;padding:.3em .6em}"
           "td.num{text-align:right}th{background:#eef4f8}h2{border-bottom:2px solid #2a6f97}"
           "@media print{body{margin:0}}")
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Debrief across teams</title>"
             f"<style>{css}</style></head><body><h1>Debrief across teams</h1>"
             f"<p>Scenario '{escape(s['preset'])}', seed {s['seed']}, {s['months']} months. Every team played the "
             "same scenario and seed; the all-agent run plays the same events (including any the facilitator "
             "injected into that team) with every role played by its simulated agent.</p>"]
    if not debriefs:
        parts.append("<p>No team has finished a month yet: come back once the first month is over.</p>")
        return "".join(parts) + "</body></html>"
    kpi = board["kpi"]
    parts.append("<h2>Leaderboard</h2><table><tr><th>Rank</th><th>Team</th>"
                 f"<th>{escape(board['label'])}</th><th>Fill rate</th><th>Maturity</th><th>Months played</th></tr>")
    for r in board["rows"]:
        parts.append(f"<tr><td>{r['rank'] or '-'}</td><td>Team {r['team']}</td><td class='num'>{r['shown']}</td>"
                     f"<td class='num'>{r['fill']}</td><td>{escape(r['stage'])}</td><td class='num'>{r['months']}"
                     "</td></tr>")
    parts.append("</table>")
    parts.append("<h2>Every KPI, team by team</h2><table><tr><th>KPI</th>"
                 + "".join(f"<th>Team {n}</th>" for n, _ in debriefs)
                 + "<th>All agents (same seed)</th><th>Mature baseline</th><th>Unit</th></tr>")
    ref = debriefs[0][1]
    for name, k in KPIS.items():
        if name not in ref.team.summary:
            continue
        cells = "".join(f"<td class='num'>{format_kpi(name, float(d.team.summary[name]))}</td>" for _, d in debriefs)
        parts.append(f"<tr><td>{escape(k.label)}</td>{cells}<td class='num'>"
                     f"{format_kpi(name, float(ref.agents.summary[name]))}</td><td class='num'>"
                     f"{format_kpi(name, float(ref.baseline.summary[name]))}</td><td>{escape(k.unit)}</td></tr>")
    parts.append("</table><p>The all-agent and baseline columns are those of Team 1's events; teams into which "
                 "the facilitator injected other events have their own references in their own debriefs.</p>")
    parts.append("<h2>How each team decided</h2><table><tr><th>Team</th><th>Decisions by people</th>"
                 "<th>of which as the agent suggested</th><th>changed by the team</th><th>taken by the timer</th>"
                 "<th>taken by the agent (seat handed over)</th><th>Events injected</th></tr>")
    for n, _ in debriefs:
        c = decision_counts(room, sid, n)
        parts.append(f"<tr><td>Team {n}</td>" + "".join(f"<td class='num'>{c[k]}</td>" for k in (
            "person", "as_suggested", "changed", "timer", "agent", "injected")) + "</tr>")
    parts.append("</table>")
    parts.append("<h2>Charts</h2>")
    for title, svg in _charts(debriefs, kpi):
        parts.append(f"<figure><figcaption>{escape(title)}</figcaption>{svg}</figure>")
    parts.append("<h2>What to discuss</h2><ul>")
    best = board["rows"][0]
    worst = [r for r in board["rows"] if r["value"] is not None][-1]
    parts.append(f"<li>Team {best['team']} leads on {escape(board['label'].lower())} and Team {worst['team']} "
                 "trails. Ask both which piece of private news they brought to the demand or supply review, and "
                 "when.</li>")
    stages = sorted({r["stage"] for r in board["rows"] if r["stage"] != "-"})
    parts.append(f"<li>Maturity readings in the room: {escape(', '.join(stages))}. What did the teams at the "
                 "higher stage do in their meetings that the others did not?</li>")
    parts.append("<li>Which team's decisions differed most from the agents' suggestions, and did that help or "
                 "hurt? The per-team debriefs list every decision next to the suggestion.</li></ul>")
    parts.append("<h2>Per-team debriefs</h2><ul>" + "".join(
        f"<li><a href='team/{n}/debrief'>Team {n}</a></li>" for n, _ in debriefs) + "</ul>")
    return "".join(parts) + "</body></html>"
