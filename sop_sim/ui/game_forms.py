"""Decision forms for the game board: one control per decision field, blank until filled.

A form starts empty on purpose: a player should decide, not accept a default by
accident. "Use suggestion" fills it with what the simulated colleague would do.
Numbers are typed as text so that "not answered yet" differs from zero; the engine
validates the parsed decision (types, bounds) and says what is allowed.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from sop_sim.calendar import month_label
from sop_sim.decisions import FieldSpec
from sop_sim.errors import DecisionError
from sop_sim.game.labels import CHOICE_NAMES, HELP, label

_YES_NO = (("yes", True), ("no", False))


def _key_label(key: str) -> str:
    """A per-item control's label: an issue id ``"I4"`` reads as ``"issue 4"``, anything else as it is."""
    return f"issue {key[1:]}" if key[:1] == "I" and key[1:].isdigit() else key


class DecisionForm:
    """Controls for a tuple of :class:`~sop_sim.FieldSpec`; ``.widget`` shows them."""

    def __init__(self, fields: tuple[FieldSpec, ...], role: str = "") -> None:
        self.fields = fields
        self.role = role
        self.controls: dict[str, Any] = {}
        rows: list[widgets.Widget] = []
        for f in fields:
            ctl = self._control(f)
            self.controls[f.name] = ctl
            lab, hlp = label(role, f), HELP.get(f.name, f.help)
            if hlp.rstrip(".").lower() in lab.lower():
                hlp = ""  # the label already says it
            rows.append(widgets.HTML(f"<b>{lab}</b> {hlp} <i>(answer: {allowed(f)})</i>"))
            rows.append(widgets.VBox(list(ctl.values())) if isinstance(ctl, dict) else ctl)
        self.widget = widgets.VBox(rows)

    @staticmethod
    def _control(f: FieldSpec) -> Any:
        lay = widgets.Layout(width="240px")
        if f.kind == "bool":
            return widgets.Dropdown(options=_YES_NO, value=None, layout=lay)
        if f.name == "npi_launch_month":
            months = range(int(f.low), int(f.high) + 1)
            return widgets.Dropdown(options=[(month_label(m), m) for m in months], value=None, layout=lay)
        if f.kind in ("int", "float"):
            return widgets.Text(value="", placeholder=f"{f.low:g} to {f.high:g}", layout=lay)
        if f.kind == "choice":
            return widgets.Dropdown(options=[(CHOICE_NAMES.get(c, c.capitalize()), c) for c in f.choices],
                                    value=None, layout=lay)
        if f.kind == "subset":
            return widgets.SelectMultiple(options=list(f.choices), value=(), layout=lay)
        if f.kind == "per_family":
            return {k: widgets.Text(value="", description=k, placeholder=f"{f.low:g} to {f.high:g}") for k in f.choices}
        return {k: widgets.Dropdown(options=list(f.choices), value=None, description=_key_label(k)) for k in f.keys}

    def fill(self, decision: dict[str, Any]) -> None:
        """Show ``decision`` (e.g. the suggestion) in the controls."""
        for f in self.fields:
            ctl, value = self.controls[f.name], decision.get(f.name)
            if f.name == "npi_launch_month":
                ctl.value = value
            elif f.kind in ("int", "float"):
                ctl.value = "" if value is None else f"{value:g}"
            elif f.kind == "subset":
                ctl.value = tuple(value or ())
            elif f.kind == "per_family":
                for k, w in ctl.items():
                    w.value = f"{value[k]:g}"
            elif f.kind == "per_item":
                for k, w in ctl.items():
                    w.value = value[k]
            else:
                ctl.value = value

    def read(self) -> dict[str, Any]:
        """The decision the controls show.

        Raises
        ------
        DecisionError
            A field is still blank or a number is not a number.
        """
        out: dict[str, Any] = {}
        for f in self.fields:
            ctl, lab = self.controls[f.name], label(self.role, f)
            if f.name == "npi_launch_month":
                out[f.name] = _chosen(ctl.value, lab, f)
            elif f.kind in ("int", "float"):
                out[f.name] = _number(ctl.value, lab, f)
            elif f.kind == "subset":
                out[f.name] = list(ctl.value)
            elif f.kind == "per_family":
                out[f.name] = {k: _number(w.value, f"{lab} ({k})", f) for k, w in ctl.items()}
            elif f.kind == "per_item":
                out[f.name] = {k: _chosen(w.value, f"{lab} ({_key_label(k)})", f) for k, w in ctl.items()}
            else:
                out[f.name] = _chosen(ctl.value, lab, f)
        return out


def allowed(f: FieldSpec) -> str:
    """What a field takes, in a player's words (no lists of internal values)."""
    if f.name == "npi_launch_month":
        return f"a month from {month_label(int(f.low))} to {month_label(int(f.high))}"
    if f.kind in ("int", "float"):
        whole = "a whole number" if f.kind == "int" else "a number"
        return f"{whole} from {f.low:g} to {f.high:g}"
    if f.kind == "bool":
        return "yes or no"
    if f.kind == "choice":
        return "one of " + "; ".join(CHOICE_NAMES.get(c, c) for c in f.choices)
    if f.kind == "subset":
        return "any of the issues listed, or none"
    if f.kind == "per_family":
        return f"a number from {f.low:g} to {f.high:g} for each family"
    return "one option for each issue ('defer' leaves it open)"


def _chosen(value: Any, where: str, f: FieldSpec) -> Any:
    if value is None:
        raise DecisionError(f"{where} is not answered yet: choose {allowed(f)}")
    return value


def _number(text: str, where: str, f: FieldSpec) -> float | int:
    text = text.strip()
    if not text:
        raise DecisionError(f"{where} is not answered yet: give {allowed(f)}")
    try:
        value = float(text)
    except ValueError:
        raise DecisionError(f"{where}: {text!r} is not a number: give {allowed(f)}") from None
    return int(value) if f.kind == "int" and value.is_integer() else value
