"""RaciExplorer: who leads, attends and owns what, straight from the knowledge base.

The matrix shows every role against every step as the S&OP reference describes it (doctrine);
a check box adds whom the simulated company invites as well, labelled as its practice. Click a role to see its mission,
responsibilities, meetings and the plans it owns; click an artefact (a plan or document)
to see who owns it, who approves it and where it is made and used.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from sop_sim.ui._view import WidgetApp, app_box
from sop_sim.ui.tables import _kb


def _list(items: Any) -> str:
    items = list(items)
    if not items:
        return "<p style='margin:2px 0 6px 0'><i>none</i></p>"
    return "<ul style='margin:2px 0 6px 0'>" + "".join(f"<li>{html.escape(str(x))}</li>" for x in items) + "</ul>"


class RaciExplorer(WidgetApp):
    """The role x step matrix with clickable roles and artefacts.

    Attributes
    ----------
    roles, artefacts:
        Toggle buttons (values are ids); the last one clicked decides what ``detail`` shows.
    practice:
        Check box: show the company's invitations as well as the reference's roles.
    matrix, detail:
        The output areas.
    selected:
        ``("role", id)`` or ``("artefact", id)``: what ``detail`` shows.
    """

    def __init__(self, role: str = "process_owner") -> None:
        kb = _kb()
        self.kb = kb
        self.roles = widgets.ToggleButtons(options=[(kb.name(r), r) for r in kb.role_ids()], value=role,
                                           description="Role", style={"button_width": "150px"})
        self.artefacts = widgets.ToggleButtons(options=[(kb.name(a), a) for a in kb.artefact_ids()], value=None,
                                               description="Artefact", style={"button_width": "190px"})
        self.practice = widgets.Checkbox(False, description="Show this company's invitations (its practice, "
                                         "not doctrine)", indent=False, layout=widgets.Layout(width="auto"))
        self.matrix = widgets.HTML(layout=widgets.Layout(min_width="0", max_width="100%"))
        self.detail = widgets.HTML(layout=widgets.Layout(min_width="0", max_width="100%"))
        self.selected: tuple[str, str] = ("role", role)
        self.roles.observe(self._on_role, names="value")
        self.artefacts.observe(self._on_artefact, names="value")
        self.practice.observe(lambda _c: self.render(), names="value")
        self.widget = app_box(self.matrix, self.practice, self.roles, self.artefacts, self.detail)
        self.render()

    def _on_role(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:
            self.selected = ("role", change["new"])
            self.artefacts.value = None
            self.render()

    def _on_artefact(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:
            self.selected = ("artefact", change["new"])
            self.roles.value = None
            self.render()

    def render(self) -> None:
        """Redraw the matrix (the chosen role's row highlighted) and the detail panel."""
        kind, ident = self.selected
        kb = self.kb
        practice = bool(self.practice.value)
        table = kb.membership_table(doctrine=not practice)
        mark = kb.name(ident) if kind == "role" else None
        rows = []
        for role_name, row in table.iterrows():
            style = ' style="background:#fff3cd;font-weight:bold"' if role_name == mark else ""
            cells = "".join(f"<td style='padding:2px 8px'>{html.escape(v)}</td>" for v in row)
            rows.append(f"<tr{style}><th style='text-align:left'>{html.escape(str(role_name))}</th>{cells}</tr>")
        head = "".join(f"<th style='padding:2px 8px'>{html.escape(c)}</th>" for c in table.columns)
        caption = ("Who takes part in each step at Brightwater: the reference's roles plus the company's own "
                   "invitations (its practice)" if practice else
                   "Who leads, facilitates and takes part in each step, as the S&OP reference describes it")
        self.matrix.value = (f'<div style="max-width:100%;overflow-x:auto"><p><b>{html.escape(caption)}</b></p>'
                             f'<table class="sop-raci"><tr><th>Role</th>{head}</tr>{"".join(rows)}</table></div>')
        self.detail.value = self._role_html(ident) if kind == "role" else self._artefact_html(ident)

    def _panel(self, ident: str, text: str, sections: dict[str, Any]) -> str:
        """A title, a line of text and one bulleted list per section (ids shown by name)."""
        body = "".join(f"<div><b>{k}</b>{_list(v)}</div>" for k, v in sections.items())
        return f"<h4>{html.escape(self.kb.name(ident))}</h4><p>{html.escape(text)}</p>{body}"

    def _role_html(self, role: str) -> str:
        kb, names = self.kb, self.kb.name
        return self._panel(role, kb.mission(role), {
            "Responsibilities": kb.responsibilities(role),
            "Leads": map(names, kb.steps_led_by(role)),
            "Facilitates": map(names, kb.steps_facilitated_by(role)),
            "Attends (as this company invites it)": map(names, kb.steps_attended_by(role)),
            "Plans it owns": map(names, kb.plans_owned_by(role))})

    def _artefact_html(self, artefact: str) -> str:
        kb, names = self.kb, self.kb.name
        text = kb.description(artefact)
        if kb.is_practice(artefact):
            text = f"This company's own document, not a standard S&OP plan. {text}"
        return self._panel(artefact, text, {
            "Owned by": map(names, sorted(kb.owners(artefact))),
            "Approved by": map(names, sorted(kb.approvers(artefact))),
            "Made in": map(names, kb.producers(artefact)),
            "Used in": map(names, kb.consumers(artefact))})
