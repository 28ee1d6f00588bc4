"""What the exercise notebooks show: the simulation's frames as finished tables for a learner.

The notebooks compute their answers from the raw frames (``r.minutes``, ``r.plans``,
``r.decisions``, ...), whose months count from 0 and whose cells hold ids; these helpers only
change what is *shown*: months as calendar months ("Apr Y1"), roles, steps and KPIs by their
names, numbers with thousands separators and units, "n/a" with the reason instead of NaN, and
every cell in full (:class:`~sop_sim.ui.tables.LearnerTable`, which wraps long text and scrolls
sideways instead of cutting with "...").

>>> from sop_sim.exercises.views import answer_ids
>>> answer_ids("steps").frame.loc["pre_sop", "name"]
'Pre-S&OP meeting'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from sop_sim.calendar import month_label
from sop_sim.experiment.stats import ordered_kpis
from sop_sim.metrics import KPIS, format_amount, is_missing, missing_text
from sop_sim.results import Result
from sop_sim.ui.tables import LearnerTable, name_of

#: Minutes columns whose cells list role ids, step ids or artefact ids (shown by name).
_ID_LIST_COLUMNS = ("present", "absent", "inputs", "outputs", "note_roles", "cancelled_by")
#: What each kind of escalated issue is about, in words (``Result.decisions["kind"]`` holds the id).
ISSUE_KINDS = {"capacity": "capacity", "overtime": "overtime", "npi_date": "launch date", "aop_gap": "gap to the AOP"}


def answer_ids(kind: str) -> LearnerTable:
    """The ids a question takes as answers (``"roles"``, ``"steps"`` or ``"artefacts"``), with their names."""
    from sop_sim.knowledge import load_kb

    kb = load_kb()
    ids = {"roles": kb.role_ids, "steps": kb.step_ids, "artefacts": kb.artefact_ids}[kind]()
    frame = pd.DataFrame({"name": [kb.name(i) for i in ids]}, index=pd.Index(ids, name="answer with"))
    return LearnerTable(frame, caption=f"The {kind} and the ids to answer with")


def _kpi_cell(kpi: str, value: object) -> str:
    if is_missing(value):
        return missing_text(kpi)
    return format_amount(kpi, float(value))  # type: ignore[arg-type]


def kpi_view(summaries: Mapping[str, Result | pd.Series] | pd.DataFrame, kpis: Iterable[str] | None = None,
             *, caption: str = "") -> LearnerTable:
    """KPIs of several runs side by side, one row per KPI name, one column per run.

    ``summaries`` maps a run's name to a :class:`~sop_sim.Result` or its ``summary``, or is a
    frame with one row per run (as :func:`~sop_sim.exercises.replicate_summaries` returns).
    The headline KPI comes first; values carry their unit; a KPI with nothing to measure
    reads "n/a" with the reason.
    """
    if isinstance(summaries, pd.DataFrame):
        series = {str(name): row for name, row in summaries.iterrows()}
    else:
        series = {name: s.summary if isinstance(s, Result) else s for name, s in summaries.items()}
    wanted = list(kpis) if kpis is not None else [k for k in KPIS if all(k in s for s in series.values())]
    ks = ordered_kpis(wanted)
    frame = pd.DataFrame({name: [_kpi_cell(k, s[k]) for k in ks] for name, s in series.items()},
                         index=pd.Index([KPIS[k].label for k in ks], name="KPI"))
    return LearnerTable(frame, caption=caption)


def monthly_view(reference: Result, variant: Result, kpis: Sequence[str] = ("fill_rate", "backorders",
                                                                            "inventory_value"),
                 months: int | None = None) -> LearnerTable:
    """Two runs' monthly KPIs side by side, one row per calendar month (the first ``months`` only)."""
    a, b = reference.kpis_by_month(), variant.kpis_by_month()
    if months is not None:
        a, b = a.head(months), b.head(months)
    names = (reference.scenario.name, variant.scenario.name)
    cols = {}
    for k in kpis:
        for name, frame in zip(names, (a, b), strict=True):
            cols[f"{KPIS[k].label}: {name}"] = [_kpi_cell(k, v) for v in frame[k]]
    out = pd.DataFrame(cols, index=pd.Index([month_label(m) for m in a.index], name="month"))
    return LearnerTable(out, caption="Each KPI month by month in both runs")


def _names(value: object) -> object:
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(name_of(str(v)) for v in value) or "-"
    return value


def minutes_view(minutes: pd.DataFrame, columns: Sequence[str] | None = None, *, caption: str = "") -> LearnerTable:
    """Rows of ``Result.minutes`` as a learner reads them.

    Months as calendar months, meetings and roles by name, lists joined; the column headers
    stay the frame's own, so the code a learner writes next uses the names it saw.
    """
    frame = minutes if columns is None else minutes[list(columns)]
    frame = frame.copy()
    if "month" in frame:
        frame["month"] = frame["month"].map(month_label)
    if "step" in frame:
        frame["step"] = frame["step"].map(name_of)
    for col in _ID_LIST_COLUMNS:
        if col in frame:
            frame[col] = frame[col].map(_names)
    for col in ("notes", "decisions", "escalations", "action_items"):
        if col in frame:
            frame[col] = frame[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v)
    return LearnerTable(frame, index=False, caption=caption)


def months_view(frame: pd.DataFrame | pd.Series, *, axis: str = "index", caption: str = "",
                missing: str = "") -> LearnerTable:
    """A frame whose index (or columns) are model months, shown with calendar months.

    ``missing`` says why a cell can be empty; empty cells then read "n/a" and the reason
    is added to the caption.
    """
    out = frame.to_frame() if isinstance(frame, pd.Series) else frame.copy()
    labels = [month_label(m) for m in (out.index if axis == "index" else out.columns)]
    if axis == "index":
        out.index = pd.Index(labels, name="month")
    else:
        out.columns = labels
    if missing and out.isna().to_numpy().any():
        out = out.astype(object).where(out.notna(), "n/a")
        caption = f"{caption} (n/a: {missing})" if caption else f"n/a: {missing}"
    return LearnerTable(out, caption=caption)


def decisions_view(decisions: pd.DataFrame, *, caption: str = "") -> LearnerTable:
    """Escalated issues as a learner reads them: month, meeting, kind, what, recommended, chosen."""
    rows = []
    for r in decisions.itertuples(index=False):
        if r.status == "decided" and isinstance(r.choice, str) and r.choice:
            outcome = f"decided: {r.choice}"
        elif r.status == "open":
            outcome = "still open: no executive decision yet"
        else:
            outcome = str(r.status)
        rows.append({"issue": r.id, "raised in": month_label(int(r.month)), "raised at": name_of(str(r.raised_at)),
                     "kind": ISSUE_KINDS.get(str(r.kind), str(r.kind).replace("_", " ")), "summary": r.summary, "recommendation": r.recommendation or "-",
                     "outcome": outcome})
    frame = pd.DataFrame(rows, columns=["issue", "raised in", "raised at", "kind", "summary", "recommendation",
                                        "outcome"])
    return LearnerTable(frame, index=False, caption=caption)


def numbers_view(numbers: pd.DataFrame, *, caption: str = "") -> LearnerTable:
    """``Result.numbers`` as a learner reads it: calendar months, functions by name."""
    out = numbers.rename(columns=lambda c: "sets of numbers" if c == "sets_of_numbers" else name_of(str(c)))
    return months_view(out, caption=caption or "Which plan each function works from after the month's cycle")
