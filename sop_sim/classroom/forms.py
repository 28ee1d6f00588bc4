"""Decision forms a learner understands: labels, controls and parsing for the seat pages.

The game's decision fields keep their names in the data and the JSON API (``include_deal``,
``adjust_pct``...). A learner never sees them: each field gets a plain label, its choices
get plain names (families by name, months as calendar months, issues by their summary),
and a form error names the field by its label and says what is allowed.
HTML input names (``f.adjust_pct.mowers``) are the only place the internal names appear.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sop_sim.calendar import month_label
from sop_sim.decisions import FieldSpec
from sop_sim.errors import DecisionError
from sop_sim.game.labels import CHOICE_NAMES, HELP, LABELS, label  # noqa: F401 - re-exported


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}"


@dataclass
class Control:
    """One control of a form: what the template draws."""

    name: str        # HTML input name
    label: str
    help: str
    widget: str      # yesno, number, select, checkboxes, group
    allowed: str
    options: list[tuple[str, str]]  # (value, text)
    value: Any = None
    low: float | None = None
    high: float | None = None
    step: str = "any"
    parts: list[Control] | None = None


def controls(role: str, fields: tuple[FieldSpec, ...], view: Mapping[str, Any], names: Mapping[str, str],
             values: Mapping[str, Any] | None = None) -> list[Control]:
    """The controls of a decision form; ``values`` prefills them (a suggestion, or what was typed)."""
    values = values or {}
    issues = {i["id"]: i for i in view.get("shared", {}).get("issues", [])}
    out = []
    for f in fields:
        lab, hlp, key = label(role, f), HELP.get(f.name, f.help), f"f.{f.name}"
        if hlp.rstrip(".").lower() in lab.lower() or lab.rstrip("?").lower() in hlp.lower():
            hlp = ""  # the label already says it
        v = values.get(f.name)
        if f.kind == "bool":
            out.append(Control(key, lab, hlp, "yesno", "yes or no", [("yes", "Yes"), ("no", "No")],
                               None if v is None else ("yes" if v else "no")))
        elif f.kind in ("int", "float") and f.name == "npi_launch_month":
            opts = [(str(m), month_label(m)) for m in range(int(f.low), int(f.high) + 1)]
            out.append(Control(key, lab, hlp, "select", f"a month from {opts[0][1]} to {opts[-1][1]}", opts,
                               None if v is None else str(v)))
        elif f.kind in ("int", "float"):
            out.append(Control(key, lab, hlp, "number", f"a number from {_num(f.low)} to {_num(f.high)}", [],
                               _num(v) if v is not None else "", f.low, f.high, "1" if f.kind == "int" else "any"))
        elif f.kind == "choice":
            opts = [(c, CHOICE_NAMES.get(c, c.capitalize())) for c in f.choices]
            out.append(Control(key, lab, hlp, "select", "one of the options listed", opts, v))
        elif f.kind == "subset":
            opts = [(c, issues[c]["summary"] if c in issues else f"Issue {c}") for c in f.choices]
            out.append(Control(key, lab, hlp, "checkboxes", "any of the issues listed", opts,
                               list(v) if v is not None else None))
        elif f.kind == "per_family":
            parts = [Control(f"{key}.{fam}", names.get(fam, fam), "", "number",
                             f"a number from {_num(f.low)} to {_num(f.high)}", [],
                             _num(v[fam]) if isinstance(v, Mapping) and fam in v else "", f.low, f.high)
                     for fam in f.choices]
            out.append(Control(key, lab, hlp, "group", f"a number from {_num(f.low)} to {_num(f.high)} for each "
                               "family", [], None, parts=parts))
        else:  # per_item: one choice per escalated issue
            parts = []
            for item in f.keys:
                issue = issues.get(item)
                labels = {o["id"]: o["label"] for o in issue["options"]} if issue else {}
                opts = [(c, labels.get(c, c.capitalize())) for c in f.choices]
                parts.append(Control(f"{key}.{item}", issue["summary"] if issue else f"Issue {item}", "", "select",
                                     "one of the options listed", opts,
                                     v.get(item) if isinstance(v, Mapping) else None))
            out.append(Control(key, lab, hlp, "group", "one option for each issue", [], None, parts=parts))
    return out


def _number(text: str, what: str, f: FieldSpec) -> float:
    text = (text or "").strip()
    allowed = f"a number from {_num(f.low)} to {_num(f.high)}"
    if text == "":
        raise DecisionError(f"{what} is not answered yet: enter {allowed}")
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise DecisionError(f"{what}: {text!r} is not a number: enter {allowed}") from None
    if value != value or not (f.low <= value <= f.high):  # type: ignore[operator]
        raise DecisionError(f"{what}: {text} is out of range: enter {allowed}")
    if f.kind == "int":
        if not value.is_integer():
            raise DecisionError(f"{what}: {text} is not a whole number: enter a whole number from "
                                f"{_num(f.low)} to {_num(f.high)}")
        return int(value)
    return value


def parse(role: str, fields: tuple[FieldSpec, ...], form: Mapping[str, Any], view: Mapping[str, Any],
          names: Mapping[str, str]) -> dict[str, Any]:
    """Read a submitted form (a multi-dict with ``getlist``) into a decision.

    Raises
    ------
    DecisionError
        One line naming the field by its label and what is allowed.
    """
    out: dict[str, Any] = {}
    issues = {i["id"]: i for i in view.get("shared", {}).get("issues", [])}
    for f in fields:
        key, lab = f"f.{f.name}", label(role, f)
        if f.kind == "bool":
            v = form.get(key)
            if v not in ("yes", "no"):
                raise DecisionError(f"'{lab}' is not answered yet: choose yes or no")
            out[f.name] = v == "yes"
        elif f.kind in ("int", "float") and f.name == "npi_launch_month":
            v = form.get(key) or ""
            if not v.strip().isdigit() or not f.low <= int(v) <= f.high:
                raise DecisionError(f"'{lab}' is not answered yet: choose a month from {month_label(int(f.low))} "
                                    f"to {month_label(int(f.high))}")
            out[f.name] = int(v)
        elif f.kind in ("int", "float"):
            out[f.name] = _number(form.get(key), f"'{lab}'", f)
        elif f.kind == "choice":
            v = form.get(key)
            if v not in f.choices:
                names_ = ", ".join(CHOICE_NAMES.get(c, c).split(":")[0] for c in f.choices)
                raise DecisionError(f"'{lab}' is not answered yet: choose one of {names_}")
            out[f.name] = v
        elif f.kind == "subset":
            picked = form.getlist(key) if hasattr(form, "getlist") else form.get(key) or []
            bad = [p for p in picked if p not in f.choices]
            if bad:
                raise DecisionError(f"'{lab}': that issue is no longer on the table; reload the page")
            out[f.name] = list(picked)
        elif f.kind == "per_family":
            out[f.name] = {fam: _number(form.get(f"{key}.{fam}"), f"'{lab}' for {names.get(fam, fam)}", f)
                           for fam in f.choices}
        else:
            vals = {}
            for item in f.keys:
                v = form.get(f"{key}.{item}")
                if v not in f.choices:
                    what = issues[item]["summary"] if item in issues else f"issue {item}"
                    raise DecisionError(f"'{lab}': {what} is not answered yet: choose one of the options")
                vals[item] = v
            out[f.name] = vals
    return out


def learner_field(role: str, f: FieldSpec, names: Mapping[str, str]) -> tuple[str, str]:
    """(label, help and what is allowed) of a decision field, in the words of the seat page."""
    c = controls(role, (f,), {}, names)[0]
    allowed = c.allowed
    if f.kind == "choice":
        allowed = "one of " + "; ".join(text for _, text in c.options)
    text = " ".join(x for x in (c.help, f"Answer: {allowed}.") if x)
    return c.label, text
