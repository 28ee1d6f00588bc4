"""Small helpers the widget views share: figures in an Output, field checks, display."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from sop_sim.config import Scenario
from sop_sim.plotting import to_png


def show_figure(out: widgets.Output, fig: Figure, alt: str = "figure") -> None:
    """Replace what ``out`` shows with ``fig`` as a PNG.

    The output is set directly (not through ``with out: display(...)``) so it works the
    same in JupyterLab, in Voila and in a test without a kernel.
    """
    png = base64.b64encode(to_png(fig)).decode("ascii")
    out.outputs = ({"output_type": "display_data", "metadata": {},
                    "data": {"image/png": png, "text/plain": f"<{alt}>"}},)


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
