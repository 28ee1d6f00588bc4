"""Tables the widgets and notebooks show: KPI comparisons and a month's minutes.

Plain pandas and HTML, no widgets, so notebooks can print them and tests can read them.
KPI values come from ``Result.summary`` and their labels and better/worse direction
from :data:`sop_sim.metrics.KPIS`; nothing here computes a KPI.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from sop_sim.config import STEP_DAY, STEP_IDS
from sop_sim.metrics import KPIS
from sop_sim.results import Result

BETTER_BG = "#d8f0df"
WORSE_BG = "#f8d7da"
PROBLEM_BG = "#fff3cd"


@lru_cache(maxsize=1)
def _kb():  # noqa: ANN202 - the knowledge base, loaded once
    from sop_sim.knowledge import load_kb

    return load_kb()


def name_of(ident: str) -> str:
    """Display name of a role, step or artefact id (the id itself when unknown)."""
    try:
        return _kb().name(ident)
    except KeyError:
        return ident.replace("_", " ")


def fmt_value(value: float, unit: str, signed: bool = False) -> str:
    """A KPI value as a learner reads it: 98.8%, 41,881,800, 4.4 days."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    sign = "+" if signed else ""
    if unit == "share":
        return f"{value:{sign}.1%}"
    if unit in ("money", "units"):
        return f"{value:{sign},.0f}"
    if unit == "days":
        return f"{value:{sign},.1f} days"
    return f"{value:{sign},.2f}"


def verdict(kpi: str, reference: float, value: float) -> str:
    """'better', 'worse' or 'same' in the KPI's direction ('higher'/'lower' if it has none)."""
    if np.isclose(value, reference, rtol=1e-9, atol=1e-12):
        return "same"
    better = KPIS[kpi].higher_is_better
    if better is None:
        return "higher" if value > reference else "lower"
    return "better" if (value > reference) == better else "worse"


def kpi_comparison(reference: Result, scenario: Result, kpis: Sequence[str] | None = None) -> pd.DataFrame:
    """KPIs of two runs side by side: reference, scenario, difference and verdict.

    Indexed by KPI name; the ``label`` and ``unit`` columns come from ``KPIS``.
    """
    rows = []
    for k in kpis or list(KPIS):
        ref, val = float(reference.summary[k]), float(scenario.summary[k])
        rows.append({"kpi": k, "label": KPIS[k].label, "unit": KPIS[k].unit, "reference": ref, "scenario": val,
                     "difference": val - ref, "verdict": verdict(k, ref, val)})
    return pd.DataFrame(rows).set_index("kpi")


def format_comparison(frame: pd.DataFrame, reference_name: str = "baseline",
                      scenario_name: str = "scenario") -> pd.DataFrame:
    """The comparison as text, one row per KPI label (what a notebook prints)."""
    return pd.DataFrame({
        reference_name: [fmt_value(r.reference, r.unit) for r in frame.itertuples()],
        scenario_name: [fmt_value(r.scenario, r.unit) for r in frame.itertuples()],
        "change": [fmt_value(r.difference, r.unit, signed=True) if r.verdict != "same" else "-"
                   for r in frame.itertuples()],
        "verdict": list(frame["verdict"]),
    }, index=pd.Index(frame["label"], name="KPI"))


def comparison_html(frame: pd.DataFrame, reference_name: str = "baseline", scenario_name: str = "scenario") -> str:
    """The comparison as an HTML table, better rows green and worse rows red."""
    text = format_comparison(frame, reference_name, scenario_name)
    rows = []
    for (label, r), v in zip(text.iterrows(), frame["verdict"], strict=True):
        bg = {"better": BETTER_BG, "worse": WORSE_BG}.get(v, "")
        style = f' style="background:{bg}"' if bg else ""
        cells = "".join(f"<td>{html.escape(str(x))}</td>" for x in r)
        rows.append(f'<tr class="kpi-{v}"{style}><th style="text-align:left">{html.escape(label)}</th>{cells}</tr>')
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ["KPI", *text.columns])
    return f'<table class="sop-kpi-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def kpi_summary(results: Mapping[str, Result], kpis: Iterable[str] | None = None) -> pd.DataFrame:
    """Several runs' KPIs as text, one column per run and one row per KPI label."""
    ks = list(kpis or KPIS)
    return pd.DataFrame({name: [fmt_value(float(r.summary[k]), KPIS[k].unit) for k in ks]
                         for name, r in results.items()}, index=pd.Index([KPIS[k].label for k in ks], name="KPI"))


# --- minutes ---------------------------------------------------------------------------------
def _escalation_text(result: Result, issue: str, month: int) -> tuple[str, bool]:
    """One line on an escalation and whether it was still unresolved after the month's executive meeting."""
    d = result.decisions
    row = d[d["id"] == issue]
    if row.empty:
        return issue, False
    r = row.iloc[0]
    exec_day = month * 30 + STEP_DAY["executive_sop"]
    if r["status"] != "decided" or pd.isna(r["closed_day"]):
        return f"{issue}: {r['summary']} (never decided)", True
    closed_month = int(r["closed_day"]) // 30
    late = r["closed_day"] > exec_day
    return (f"{issue}: {r['summary']} (decided: {r['choice']}, month {closed_month}, "
            f"after {r['latency_days']:.0f} days)"), bool(late)


def minutes_frame(result: Result, month: int) -> pd.DataFrame:
    """The minutes of one month, one row per step, with what went wrong spelled out.

    Columns: ``step`` (display name), ``status``, ``present``, ``absent``, ``decisions``,
    ``escalations``, ``problems`` (notes, absences and escalations left unresolved).
    """
    m = result.minutes
    m = m[m["month"] == month]
    rows = []
    for step in STEP_IDS:
        hit = m[m["step"] == step]
        if hit.empty:
            continue
        r = hit.iloc[0]
        esc = [_escalation_text(result, i, month) for i in r["escalations"]]
        problems = [str(n) for n in r["notes"]]
        if not r["held"]:
            problems.insert(0, f"meeting {r['status']}")
        problems += [f"{name_of(a)} absent" for a in r["absent"]  # unless a note already says so
                     if a not in r["note_roles"]]
        problems += [f"{t.split(':')[0]} unresolved after this month's executive meeting" for t, late in esc if late]
        rows.append({"step": name_of(step), "status": r["status"],
                     "present": ", ".join(name_of(p) for p in r["present"]),
                     "absent": ", ".join(name_of(a) for a in r["absent"]),
                     "decisions": "; ".join(r["decisions"]), "escalations": "; ".join(t for t, _ in esc),
                     "problems": "; ".join(problems)})
    return pd.DataFrame(rows, columns=["step", "status", "present", "absent", "decisions", "escalations",
                                       "problems"])


def plans_in_use(result: Result, month: int) -> pd.Series:
    """Which plan each function worked from after ``month``'s cycle (from ``Result.numbers``)."""
    row = result.numbers.loc[month]
    return row.drop("sets_of_numbers").rename(index=name_of)


def minutes_html(result: Result, month: int) -> str:
    """The month's minutes as HTML: problem rows shaded, what went wrong marked with a warning sign."""
    frame = minutes_frame(result, month)
    out = [f'<div class="sop-minutes"><b>Minutes of month {month}</b>',
           '<table style="border-collapse:collapse"><thead><tr>'
           + "".join(f"<th style='text-align:left;padding:2px 6px'>{c}</th>"
                     for c in ("Meeting", "Status", "Present", "Decisions and escalations", "What went wrong"))
           + "</tr></thead><tbody>"]
    for r in frame.itertuples():
        bg = f' style="background:{PROBLEM_BG}"' if r.problems else ""
        present = html.escape(r.present)
        if r.absent:
            present += f'<br><span style="color:#c0392b">absent: {html.escape(r.absent)}</span>'
        did = "<br>".join(html.escape(x) for x in (r.decisions, r.escalations) if x)
        wrong = "<br>".join(f"&#9888; {html.escape(p)}" for p in r.problems.split("; ") if p)
        cells = (r.step, r.status)
        out.append(f"<tr{bg}>" + "".join(f"<td style='padding:2px 6px'>{html.escape(c)}</td>" for c in cells)
                   + f"<td style='padding:2px 6px'>{present}</td><td style='padding:2px 6px'>{did}</td>"
                   f"<td style='padding:2px 6px'>{wrong}</td></tr>")
    out.append("</tbody></table>")
    if month in result.numbers.index:
        plans = plans_in_use(result, month)
        sets = int(result.numbers.loc[month, "sets_of_numbers"])
        mark = "&#9888; " if sets > 1 else ""
        items = ", ".join(f"{html.escape(k)}: {html.escape(str(v))}" for k, v in plans.items())
        out.append(f'<p class="sop-plans">{mark}<b>Plans in use</b> ({sets} set{"s" if sets != 1 else ""} '
                   f"of numbers): {items}</p>")
    out.append("</div>")
    return "".join(out)
