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

import numpy as np
import pandas as pd

from sop_sim.calendar import month_label
from sop_sim.config import STEP_DAY, STEP_IDS
from sop_sim.experiment.stats import compare_summaries, headline_kpi, ordered_kpis, verdicts
from sop_sim.knowledge import load_kb as _kb  # noqa: F401 - raci and walkthrough read the knowledge base here
from sop_sim.knowledge import name_of
from sop_sim.metrics import KPIS, format_change, is_missing
from sop_sim.results import Result

BETTER_BG = "#d8f0df"
WORSE_BG = "#f8d7da"
TRADE_OFF_BG = "#fdebd0"
PROBLEM_BG = "#fff3cd"


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


def _comparison_columns(frame: pd.DataFrame, reference_name: str, scenario_name: str) -> dict[str, list[str]]:
    """The text columns of :func:`format_comparison`, built from plain records (a widget redraws them often)."""
    rows = frame.to_dict("index")
    return {
        reference_name: [fmt_value(r["reference"], r["unit"]) for r in rows.values()],
        scenario_name: [fmt_value(r["scenario"], r["unit"]) for r in rows.values()],
        "change": [format_change(k, r["difference"]) if r["verdict"] not in ("same", "n/a") else "-"
                   for k, r in rows.items()],
        "verdict": list(frame["reading"]) if "reading" in frame else list(frame["verdict"]),
    }


def format_comparison(frame: pd.DataFrame, reference_name: str = "baseline",
                      scenario_name: str = "scenario") -> pd.DataFrame:
    """The comparison as text, one row per KPI label (what a notebook prints)."""
    return pd.DataFrame(_comparison_columns(frame, reference_name, scenario_name),
                        index=pd.Index(frame["label"], name="KPI"))


def comparison_html(frame: pd.DataFrame, reference_name: str = "baseline", scenario_name: str = "scenario") -> str:
    """The comparison as an HTML table led by the headline sentence.

    Better rows green, worse rows red, trade-offs amber; the headline KPI's row is bold.
    """
    columns = _comparison_columns(frame, reference_name, scenario_name)
    head = headline_kpi(list(frame.index))
    rows = []
    for kpi, label, r, v in zip(frame.index, frame["label"], zip(*columns.values(), strict=True), frame["verdict"],
                                strict=True):
        bg = {"better": BETTER_BG, "worse": WORSE_BG, "trade-off": TRADE_OFF_BG}.get(v, "")
        style = f"background:{bg};" if bg else ""
        style += "font-weight:bold;" if kpi == head else ""
        style = f' style="{style}"' if style else ""
        cells = "".join(f"<td>{html.escape(str(x))}</td>" for x in r)
        cls = "kpi-" + v.replace(" ", "-").replace("/", "")
        rows.append(f'<tr class="{cls}"{style}><th style="text-align:left">{html.escape(label)}</th>{cells}</tr>')
    head_cells = "".join(f"<th>{html.escape(c)}</th>" for c in ["KPI", *columns])
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
    r = result.escalation(issue)
    if r is None:
        return issue, False
    exec_day = month * 30 + STEP_DAY["executive_sop"]
    if r["status"] != "decided" or pd.isna(r["closed_day"]):
        return f"{r['summary']} (never decided)", True
    closed_month = int(r["closed_day"]) // 30
    late = r["closed_day"] > exec_day
    choice = f"{r['choice']}, " if isinstance(r["choice"], str) and r["choice"] else ""
    return (f"{r['summary']} (decided: {choice}{month_label(closed_month)}, "
            f"after {r['latency_days']:.0f} days)"), bool(late)


def minutes_frame(result: Result, month: int) -> pd.DataFrame:
    """The minutes of one month, one row per step, with what went wrong spelled out.

    Columns: ``step`` (display name), ``status``, ``present``, ``absent``, ``decisions``,
    ``escalations``, ``problems`` (notes, absences and escalations left unresolved).
    """
    by_step: dict[str, dict] = {}
    for row in result.minutes_of(month):
        by_step.setdefault(row["step"], row)
    rows = []
    for step in STEP_IDS:
        r = by_step.get(step)
        if r is None:
            continue
        esc = [_escalation_text(result, i, month) for i in r["escalations"]]
        problems = [str(n) for n in r["notes"]]
        if not r["held"]:
            problems.insert(0, f"meeting {r['status']}")
        problems += [f"{name_of(a)} absent" for a in r["absent"]  # unless a note already says so
                     if a not in r["note_roles"]]
        problems += [f"escalation unresolved after this month's executive meeting: {t.split(' (')[0]}"
                     for t, late in esc if late]
        rows.append({"step": name_of(step), "status": r["status"],
                     "present": ", ".join(name_of(p) for p in r["present"]),
                     "absent": ", ".join(name_of(a) for a in r["absent"]),
                     "decisions": "; ".join(r["decisions"]), "escalations": "; ".join(t for t, _ in esc),
                     "problems": "; ".join(problems)})
    return pd.DataFrame(rows, columns=["step", "status", "present", "absent", "decisions", "escalations",
                                       "problems"])


def minutes_html(result: Result, month: int) -> str:
    """The month's minutes as HTML: problem rows shaded, what went wrong marked with a warning sign."""
    frame = minutes_frame(result, month)
    wide = {"Decisions and escalations", "What went wrong"}
    out = [f'<div class="sop-minutes" style="max-width:100%;overflow-x:auto"><b>Minutes of {month_label(month)}</b>',
           '<table style="border-collapse:collapse;table-layout:auto"><thead><tr>'
           + "".join(f"<th style='text-align:left;padding:2px 6px;{'min-width:15em' if c in wide else ''}'>{c}</th>"
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
        td = "<td style='padding:2px 6px;text-align:left;vertical-align:top'>"
        out.append(f"<tr{bg}>" + "".join(f"{td}{html.escape(c)}</td>" for c in cells)
                   + f"{td}{present}</td>{td}{did}</td>{td}{wrong}</td></tr>")
    out.append("</tbody></table>")
    numbers = result.numbers_of(month)
    if numbers is not None:
        sets = int(numbers["sets_of_numbers"])
        mark = "&#9888; " if sets > 1 else ""
        items = ", ".join(f"{html.escape(name_of(k))}: {html.escape(str(v))}" for k, v in numbers.items()
                          if k not in ("month", "sets_of_numbers"))
        out.append(f'<p class="sop-plans">{mark}<b>Plans in use</b> ({sets} set{"s" if sets != 1 else ""} '
                   f"of numbers): {items}</p>")
    out.append("</div>")
    return "".join(out)


# --- tables shown in full --------------------------------------------------------------------
#: A cell longer than this many characters gets a minimum width, so that a narrow screen
#: scrolls the table sideways instead of squeezing the text to one word per line.
LONG_TEXT = 40


def _cell(value: object) -> str:
    """One value as a learner reads it: no NaN, no -0, thousands separators, lists joined."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        v = float(value)
        if abs(v) < 5e-3:
            return "0"
        if v.is_integer():
            return f"{v:,.0f}"
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"
    if isinstance(value, list | tuple | frozenset | set):
        return ", ".join(_cell(x) for x in value) or "-"
    return str(value)


class LearnerTable:
    """A table a learner reads in full: text wraps, the table scrolls sideways in its box.

    pandas cuts long cells with "..." and drops columns on a narrow screen; this shows every
    character. In a notebook it renders as HTML; as plain text (a terminal, a test) it prints
    every row and column without cutting.
    """

    def __init__(self, frame: pd.DataFrame, *, index: bool = True, caption: str = "") -> None:
        self.frame = frame
        self.index = index
        self.caption = caption

    def text(self) -> pd.DataFrame:
        """The cells as the strings shown."""
        return self.frame.map(_cell) if len(self.frame.columns) else self.frame.astype(str)

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 10_000,
                               "display.max_columns", None, "display.max_rows", None):
            body = self.text().to_string(index=self.index)
        return f"{self.caption}\n{body}" if self.caption else body

    def _repr_html_(self) -> str:
        text = self.text()
        th = "<th style='text-align:left;vertical-align:top;padding:3px 8px'>"
        head = (th + html.escape(str(text.index.name or "")) + "</th>" if self.index else "") + "".join(
            f"{th}{html.escape(str(c))}</th>" for c in text.columns)
        rows = []
        for idx, r in text.iterrows():
            cells = [f"{th}{html.escape(_cell(idx))}</th>"] if self.index else []
            for v in r:
                wide = "min-width:16em;" if len(v) > LONG_TEXT else "white-space:nowrap;"
                cells.append(f"<td style='text-align:left;vertical-align:top;padding:3px 8px;{wide}'>"
                             f"{html.escape(v)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        caption = f"<p><b>{html.escape(self.caption)}</b></p>" if self.caption else ""
        return (f'<div class="sop-table" style="max-width:100%;overflow-x:auto">{caption}'
                f'<table style="table-layout:auto;border-collapse:collapse"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div>')


def show_table(frame: pd.DataFrame, *, index: bool = True, caption: str = "") -> LearnerTable:
    """``frame`` shown in full, never cut with "..." (see :class:`LearnerTable`)."""
    return LearnerTable(frame, index=index, caption=caption)


def minutes_table(result: Result, month: int, columns: Sequence[str] = ("step", "status", "decisions",
                                                                      "escalations", "problems")) -> LearnerTable:
    """The minutes of one month for a notebook: chosen columns, full text, the month named."""
    frame = minutes_frame(result, month)[list(columns)]
    names = {"step": "meeting", "problems": "what went wrong"}
    frame = frame.rename(columns=names).set_index("meeting")
    return LearnerTable(frame, caption=f"Minutes of {month_label(month)}")


def escalation_log(result: Result) -> pd.DataFrame:
    """The escalations a run raised, as a learner reads them.

    One row per escalation, longest wait first: the month it was raised, what it was about,
    what the executives chose (or that it stayed open) and how many days it waited.
    """
    d = result.decisions
    rows = []
    for r in d.itertuples(index=False):
        if r.status == "decided" and isinstance(r.choice, str):
            outcome = f"decided: {r.choice}"
        elif r.status == "open":
            outcome = "still open at the end of the run"
        else:
            outcome = str(r.status)
        rows.append({"raised in": month_label(int(r.month)), "about": r.summary, "outcome": outcome,
                     "days waited": int(round(float(r.latency_days)))})
    frame = pd.DataFrame(rows, columns=["raised in", "about", "outcome", "days waited"])
    return frame.sort_values("days waited", ascending=False, kind="stable").reset_index(drop=True)


def fva_view(table: pd.DataFrame) -> pd.DataFrame:
    """A forecast-value-added table (:func:`sop_sim.fva.fva_table`) as text: errors in %, FVA in points.

    A zero change reads "no change" rather than ``-0.000``.
    """
    def points(v: float) -> str:
        if np.isnan(v) or abs(v) < 5e-4:
            return "no change"
        return f"{v * 100:+.1f} points"

    first = table.index[0] if len(table) else None
    out = pd.DataFrame({
        "error (WAPE)": [f"{w:.1%}" for w in table["wape"]],
        "value added by this step": ["(starting point)" if i == first else points(float(v))
                                     for i, v in zip(table.index, table["fva"], strict=True)],
    }, index=pd.Index(table["label"], name="plan version"))
    if "vs_naive" in table.columns:
        out["value added since the naive forecast"] = ["(starting point)" if i == first else points(float(v))
                                                       for i, v in zip(table.index, table["vs_naive"], strict=True)]
    return out
