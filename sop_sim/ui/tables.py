"""Tables the widgets and notebooks show: KPI comparisons and a month's minutes.

Plain pandas and HTML, no widgets, so notebooks can print them and tests can read them.
KPI values come from ``Result.summary`` and their labels and better/worse direction
from :data:`sop_sim.metrics.KPIS`; nothing here computes a KPI. A comparison leads with the
headline KPI (economic profit, or margin where the summary has none) and reads service,
cost and inventory as a trade-off (:mod:`sop_sim.experiment.stats`); a KPI with nothing to
measure reads "n/a" with the reason.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import pandas as pd

from sop_sim.config import STEP_DAY, STEP_IDS
from sop_sim.experiment.stats import compare_summaries, headline_kpi, ordered_kpis, verdicts
from sop_sim.metrics import KPIS, format_change, is_missing
from sop_sim.results import Result

BETTER_BG = "#d8f0df"
WORSE_BG = "#f8d7da"
TRADE_OFF_BG = "#fdebd0"
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
    """A KPI value as a learner reads it: 98.8%, 41,881,800, 4.4 days; "n/a" when there is nothing to measure."""
    if is_missing(value):
        return "n/a"
    sign = "+" if signed else ""
    if unit == "share":
        return f"{value:{sign}.1%}"
    if unit == "money":
        neg = round(value) < 0
        return ("-" if neg else "+" if signed else "") + f"${abs(value):,.0f}"
    if unit == "units":
        return f"{value:{sign},.0f}"
    if unit == "days":
        return f"{value:{sign},.1f} days"
    return f"{value:{sign},.2f}"


def verdict(kpi: str, reference: float, value: float, service: str = "held") -> str:
    """'better', 'worse', 'trade-off', 'same' or 'n/a' in the KPI's direction ('higher'/'lower' if it has none).

    ``service`` says how service moved in the same comparison (see
    :func:`sop_sim.experiment.stats.service_change`): cost or inventory that fell while
    service fell is a 'trade-off', not 'better'.
    """
    if is_missing(reference) or is_missing(value):
        return "n/a"
    diff = 0.0 if format_change(kpi, value - reference) == "no change" else value - reference
    return verdicts({kpi: (diff, diff), **({} if service == "held" else _service_stub(service))})[kpi]


def _service_stub(service: str) -> dict[str, tuple[float, float]]:
    # a fill-rate change that reproduces ``service`` for :func:`verdicts`
    d = {"fell": -1.0, "may have fallen": -1.0, "rose": 1.0}.get(service, 0.0)
    return {"fill_rate": (d, d)}


def kpi_comparison(reference: Result, scenario: Result, kpis: Sequence[str] | None = None) -> pd.DataFrame:
    """KPIs of two runs side by side: reference, scenario, difference and verdict.

    See :func:`sop_sim.experiment.stats.compare_summaries`: the headline first, then
    service, cost and inventory read as a trade-off; "n/a: why" when a run has nothing to measure.
    """
    return compare_summaries(reference.summary, scenario.summary, kpis)


def headline_text(frame: pd.DataFrame, reference_name: str = "baseline", scenario_name: str = "this scenario") -> str:
    """One sentence: the headline KPI decides overall; service, cost and inventory read as a trade-off."""
    head = headline_kpi(list(frame.index))
    row = frame.loc[head]
    overall = {"better": "better overall", "worse": "worse overall", "same": "the same overall"}.get(
        row["verdict"], "no overall answer")
    change = format_change(head, row["difference"])
    if change in ("no change", "n/a"):
        text = (f"{row['label']}: {scenario_name} the same as {reference_name}." if change == "no change"
                else f"{row['label']}: n/a, so no overall answer.")
    else:
        text = (f"{row['label']}: {scenario_name} {change.lstrip('+-')} {'higher' if change[0] == '+' else 'lower'} "
                f"than {reference_name}, {overall}.")
    if "fill_rate" in frame.index and frame.loc["fill_rate", "verdict"] in ("better", "worse"):
        word = "rose" if frame.loc["fill_rate", "verdict"] == "better" else "fell"
        text += f" Service {word} (fill rate {format_change('fill_rate', frame.loc['fill_rate', 'difference'])})."
    traded = [k for k in frame.index if frame.loc[k, "verdict"] == "trade-off"]
    if traded:
        names = ", ".join(frame.loc[k, "label"].lower() for k in traded)
        text += f" Changes in {names} are a trade-off against service, not a gain or loss on their own."
    return text


def format_comparison(frame: pd.DataFrame, reference_name: str = "baseline",
                      scenario_name: str = "scenario") -> pd.DataFrame:
    """The comparison as text, one row per KPI label (what a notebook prints)."""
    return pd.DataFrame({
        reference_name: [fmt_value(r.reference, r.unit) for r in frame.itertuples()],
        scenario_name: [fmt_value(r.scenario, r.unit) for r in frame.itertuples()],
        "change": [format_change(k, r.difference) if r.verdict not in ("same", "n/a") else "-"
                   for k, r in zip(frame.index, frame.itertuples(), strict=True)],
        "verdict": list(frame["reading"]) if "reading" in frame else list(frame["verdict"]),
    }, index=pd.Index(frame["label"], name="KPI"))


def comparison_html(frame: pd.DataFrame, reference_name: str = "baseline", scenario_name: str = "scenario") -> str:
    """The comparison as an HTML table led by the headline sentence.

    Better rows green, worse rows red, trade-offs amber; the headline KPI's row is bold.
    """
    text = format_comparison(frame, reference_name, scenario_name)
    head = headline_kpi(list(frame.index))
    rows = []
    for kpi, (label, r), v in zip(frame.index, text.iterrows(), frame["verdict"], strict=True):
        bg = {"better": BETTER_BG, "worse": WORSE_BG, "trade-off": TRADE_OFF_BG}.get(v, "")
        style = f"background:{bg};" if bg else ""
        style += "font-weight:bold;" if kpi == head else ""
        style = f' style="{style}"' if style else ""
        cells = "".join(f"<td>{html.escape(str(x))}</td>" for x in r)
        cls = "kpi-" + v.replace(" ", "-").replace("/", "")
        rows.append(f'<tr class="{cls}"{style}><th style="text-align:left">{html.escape(label)}</th>{cells}</tr>')
    head_cells = "".join(f"<th>{html.escape(c)}</th>" for c in ["KPI", *text.columns])
    lead = (f'<p class="sop-headline">{html.escape(headline_text(frame, reference_name, scenario_name))}</p>'
            '<p class="sop-key" style="font-size:90%">Green: better; red: worse; amber: a trade-off (cost or '
            "stock that moved with service, so neither a gain nor a loss on its own); n/a: nothing to measure.</p>")
    return (f'{lead}<table class="sop-kpi-table"><thead><tr>{head_cells}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def kpi_summary(results: Mapping[str, Result], kpis: Iterable[str] | None = None) -> pd.DataFrame:
    """Several runs' KPIs as text, one column per run and one row per KPI label (headline first)."""
    ks = ordered_kpis(list(kpis or KPIS))
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
