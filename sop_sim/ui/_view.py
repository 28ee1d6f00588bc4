"""Small helpers the widget views share: field checks, layout, display."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

import ipywidgets as widgets

from sop_sim.config import Scenario


def check_fields(names: Iterable[str]) -> tuple[str, ...]:
    """Return ``names`` after checking each is a field of :class:`~sop_sim.config.Scenario`.

    Widgets map to scenario fields by name; a renamed field must fail here, loudly, not
    leave a control that silently does nothing.
    """
    known = {f.name for f in fields(Scenario)}
    names = tuple(names)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"widget field {unknown[0]!r} is not a Scenario field: allowed {sorted(known)}")
    return names


class WidgetApp:
    """Base for the kit's apps: ``.widget`` is the root; the object displays as that widget."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


#: Styles every app of the kit carries (scoped to ``.sop-app``): rows of controls wrap onto
#: the next line on a narrow screen, flex children may shrink below their content's width
#: (their tables scroll sideways inside their own box instead of pushing the page wider),
#: and pictures never overflow.
APP_CSS = """<style>
.sop-app{max-width:100%;box-sizing:border-box}
.sop-app .sop-row{flex-wrap:wrap;gap:4px 16px;max-width:100%}
.sop-app .sop-row>*{min-width:0;max-width:100%}
.sop-app .widget-html,.sop-app .widget-html-content{max-width:100%;min-width:0}
.sop-app .widget-html-content{overflow-x:auto}
.sop-app img{max-width:100%;height:auto}
.sop-app table{table-layout:auto}
.sop-app .sop-plan th{white-space:nowrap;padding:2px 8px}
.sop-app .sop-plan td{text-align:right;padding:2px 8px}
.sop-app td,.sop-app th{vertical-align:top}
@media (max-width:600px){
  .sop-app .sop-row{flex-direction:column;align-items:stretch}
  .sop-app .widget-inline-hbox{max-width:100%}
  .sop-app .widget-inline-hbox .widget-label{min-width:0}
  /* a slider's caption goes on its own line, so the track keeps the width of the screen */
  .sop-app .widget-slider.widget-inline-hbox{flex-wrap:wrap;height:auto}
  .sop-app .widget-slider.widget-inline-hbox>.widget-label{width:100% !important;max-width:100%;text-align:left}
}
</style>"""


def row(children: Iterable[widgets.Widget], **layout: Any) -> widgets.HBox:
    """Widgets side by side that wrap (stack on a phone) instead of clipping."""
    box = widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap", max_width="100%", **layout))
    box.add_class("sop-row")
    return box


def app_box(*parts: widgets.Widget | list[widgets.Widget]) -> widgets.VBox:
    """The root of an app: parts from top to bottom; a list is a :func:`row`. Carries :data:`APP_CSS`."""
    children: list[widgets.Widget] = [widgets.HTML(APP_CSS, layout=widgets.Layout(height="0px", margin="0"))]
    children += [row(p) if isinstance(p, list) else p for p in parts]
    box = widgets.VBox(children, layout=widgets.Layout(max_width="100%"))
    box.add_class("sop-app")
    return box


def month_slider(month: int, months: int, description: str, **style: Any) -> widgets.SelectionSlider:
    """A slider over the run's months that shows calendar months ("Apr Y1"); its value is the model month."""
    from sop_sim.calendar import month_label

    return widgets.SelectionSlider(options=[(month_label(m), m) for m in range(months)],
                                   value=max(0, min(int(month), months - 1)), description=description,
                                   continuous_update=False, style=style or {"description_width": "initial"},
                                   layout=widgets.Layout(width="100%", max_width="420px"))
