"""The hot-seat game board: one laptop passed round the table, a shared board, a facilitator tab.

The board is a thin front end on :class:`sop_sim.game.Game`: every button calls the
engine and then re-renders from the engine's state, so what a tab shows is what the
engine allows that role to see. Errors (a blank field, a value out of range, a bad
saved file) appear as one line in the status bar and change nothing.

Private views stay private on a shared screen: a role's tab starts covered by a "pass the
laptop to <role>" screen, and its card, private news and form appear only after that
person presses "I am <role>: show my screen". It covers itself again once they submit.
The board never switches tabs by itself, so the facilitator tab (and the projector
showing the shared board) stays where it is. For one browser per seat, use classroom
mode (``sop-sim classroom``).

Drive it without a browser: set a control's ``.value`` and call a button's ``.click()``.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from sop_sim.calendar import month_label
from sop_sim.config import DISTURBANCE_KINDS
from sop_sim.errors import SopSimError
from sop_sim.game import Game
from sop_sim.game.views import shared_view
from sop_sim.metrics import KPIS
from sop_sim.ui._view import WidgetApp
from sop_sim.ui.game_forms import DecisionForm
from sop_sim.ui.tables import fmt_value, name_of


def _list(items: list[str], empty: str) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items else f"<p><i>{empty}</i></p>"


def _plan_table(plan: dict[str, Any] | None, title: str) -> str:
    if plan is None:
        return f"<p><b>{title}</b>: <i>none yet</i></p>"
    months = range(plan["first"], plan["first"] + len(next(iter(plan["units"].values()))))
    head = "".join(f"<th>{month_label(m)}</th>" for m in months)
    rows = "".join(f"<tr><td>{escape(f)}</td>" + "".join(f"<td style='text-align:right'>{u:,}</td>" for u in units)
                   + "</tr>" for f, units in plan["units"].items())
    return (f"<p><b>{title}</b> (made in {month_label(plan['made_in'])})</p>"
            f"<table style='border-collapse:collapse'><tr><th>family</th>{head}</tr>{rows}</table>")


def shared_html(shared: dict[str, Any]) -> str:
    """The shared board: consensus and authorized plans, KPIs so far, the latest minutes."""
    k = shared["kpis_so_far"]
    kpis = "".join(f"<li>{KPIS[n].label}: {fmt_value(k[n], KPIS[n].unit)}</li>" for n in k if n in KPIS)
    minutes = []
    for m in reversed(shared["last_minutes"]):
        lines = [*m["decisions"], *(f"problem: {n}" for n in m["notes"])]
        minutes.append(f"<li>{month_label(m['month'])}, {escape(name_of(m['step']))}: {escape(m['status'])}"
                       + _list(lines, "nothing recorded") + "</li>")
    issues = [f"{i['name']}, raised in {month_label(i['month'])}: {i['summary']}; options: "
              + ", ".join(f"{o['id']} ({o['label']}, {o['cost']:,.0f})" for o in i["options"])
              + (f"; recommended: {i['recommendation']}" if i["recommendation"] else "") for i in shared["issues"]]
    return (f"<p><b>KPIs so far</b> ({k['months_done']} months done)</p><ul>{kpis}</ul>"
            + (f"<p><b>Issues on the table</b></p>{_list(issues, '')}" if issues else "")
            + _plan_table(shared["consensus_plan"], "Consensus demand plan")
            + _plan_table(shared["authorized_plan"], "Authorized plan")
            + f"<p><b>Latest minutes</b></p><ul>{''.join(minutes)}</ul>")


class RoleTab:
    """One human role's tab: covered by a pass-the-laptop screen until that person opens it.

    Open, it shows the role's card, private news and, when it is its turn, the decision form.
    """

    def __init__(self, board: GameBoard, role: str) -> None:
        self.board, self.role = board, role
        self.is_open = False
        self.cover = widgets.HTML()
        self.open_button = widgets.Button(description=f"I am {name_of(role)}: show my screen", icon="eye",
                                          button_style="warning", layout=widgets.Layout(width="auto"))
        self.close_button = widgets.Button(description="Hide my screen", icon="eye-slash",
                                           layout=widgets.Layout(width="auto"))
        self.open_button.on_click(lambda _: self.show(True))
        self.close_button.on_click(lambda _: self.show(False))
        self.card = widgets.HTML()
        self.news = widgets.HTML()
        self.prompt = widgets.HTML()
        self.form_box = widgets.VBox()
        self.form: DecisionForm | None = None
        self._seq: int | None = None
        self.use_suggestion = widgets.Button(description="Use suggestion", icon="magic")
        self.submit = widgets.Button(description="Submit decision", button_style="primary", icon="check")
        self.use_suggestion.on_click(lambda _: self._suggest())
        self.submit.on_click(lambda _: self._submit())
        self.private = widgets.VBox([self.card, self.news, self.prompt, self.form_box,
                                     widgets.HBox([self.use_suggestion, self.submit, self.close_button])])
        self.covered = widgets.VBox([self.cover, self.open_button])
        self.widget = widgets.VBox([self.covered])

    def show(self, is_open: bool) -> None:
        """Open (the person has the laptop) or cover this tab."""
        self.is_open = is_open
        self.render()

    def render(self) -> None:
        game = self.board.game
        req = game.pending
        mine = req is not None and req.role == self.role
        name = name_of(self.role)
        self.use_suggestion.disabled = self.submit.disabled = not mine or game.paused or not self.is_open
        if not self.is_open:
            turn = (f"It is {name}'s turn to decide. " if mine else "")
            self.cover.value = (f"<div style='padding:1.5em;border:2px dashed #2a6f97;border-radius:.5em'>"
                                f"<h3>Pass the laptop to {escape(name)}</h3><p>{escape(turn)}This tab shows what "
                                f"only {escape(name)} knows. Everyone else, look away while {escape(name)} opens "
                                "it.</p></div>")
            self.widget.children = (self.covered,)
            self.card.value = self.news.value = self.prompt.value = ""
            self.form, self._seq = None, None
            self.form_box.children = ()
            return
        self.widget.children = (self.private,)
        view = game.view(self.role)
        c = view["card"]
        self.card.value = (f"<h3>{escape(c['name'])}</h3><p>{escape(c['mission'])}</p>"
                           f"<p>Meetings: {escape(', '.join(c['attends']))}</p>")
        self.news.value = "<b>Only you know</b>" + _list(view["private_news"], "no private news right now")
        if mine and (self.form is None or self._seq != req.seq):
            self.form, self._seq = DecisionForm(req.fields, self.role), req.seq
            self.form_box.children = (self.form.widget,)
        elif not mine:
            self.form, self._seq = None, None
            self.form_box.children = ()
        if mine:
            title = f"{name_of(req.step)}, {month_label(req.month)}"
            self.prompt.value = f"<h4>Your turn: {escape(title)}</h4>" + shared_html(dict(req.view)["shared"])
        elif req is not None:
            self.prompt.value = f"<p><i>Waiting: it is {escape(name_of(req.role))}'s turn.</i></p>"
        else:
            self.prompt.value = "<p><i>Nothing to decide right now.</i></p>"

    def _suggest(self) -> None:
        req = self.board.game.pending
        if self.form is not None and req is not None:
            self.form.fill(req.suggestion())

    def _submit(self) -> None:
        def act() -> str:
            game = self.board.game
            assert self.form is not None and game.pending is not None
            game.decide(game.pending, self.form.read(), role=self.role)
            game.advance()
            self.is_open = False  # cover the tab before the laptop goes round again
            return f"{name_of(self.role)} decided."
        self.board.run(act)


class GameBoard(WidgetApp):
    """Hot-seat board for a :class:`~sop_sim.game.Game` (projected in class, or one learner).

    Parameters
    ----------
    game:
        The game to show.
    save_path, report_path:
        Default files for the Save/Load and Debrief buttons (editable on the panel).
    """

    def __init__(self, game: Game, save_path: str | Path = "game.json",
                 report_path: str | Path = "debrief.html") -> None:
        self.game = game
        self.status = widgets.HTML()
        self.shared = widgets.HTML()
        self.tab = widgets.Tab()
        self._facilitator(str(save_path), str(report_path))
        self.widget = widgets.VBox([self.status, self.tab])
        self._build_tabs()
        self.refresh()

    # --- layout -------------------------------------------------------------------------
    def _facilitator(self, save_path: str, report_path: str) -> None:
        W = widgets
        self.advance_button = W.Button(description="Advance", icon="play", button_style="success")
        self.pause_button = W.ToggleButton(description="Pause", icon="pause", value=False)
        self.kind = W.Dropdown(options=list(DISTURBANCE_KINDS), value="supplier_disruption", description="event")
        self.inject_month = W.Dropdown(options=[(month_label(m), m) for m in range(self.game.scenario.months)],
                                       value=min(1, self.game.scenario.months - 1), description="month")
        self.family = W.Dropdown(options=[("all", None)] + [(f, f) for f in self.game.scenario.company.family_ids],
                                 description="family")
        self.magnitude = W.FloatText(value=0.5, description="magnitude")
        self.probability = W.BoundedFloatText(value=1.0, min=0.0, max=1.0, step=0.05, description="probability")
        self.inject_button = W.Button(description="Inject event", icon="bolt")
        self.reveal_button = W.Button(description="Reveal private info", icon="eye")
        self.revealed = W.HTML()
        self.path = W.Text(value=save_path, description="game file")
        self.save_button, self.load_button = W.Button(description="Save"), W.Button(description="Load")
        self.undo_button = W.Button(description="Undo last decision", icon="undo")
        self.report_path = W.Text(value=report_path, description="report")
        self.debrief_button = W.Button(description="Write debrief", icon="file")
        self.advance_button.on_click(lambda _: self.run(self._advance))
        self.pause_button.observe(lambda ch: self.run(self._pause), names="value")
        self.inject_button.on_click(lambda _: self.run(self._inject))
        self.reveal_button.on_click(lambda _: self.run(self._reveal))
        self.save_button.on_click(lambda _: self.run(self._save))
        self.load_button.on_click(lambda _: self.run(self._load))
        self.undo_button.on_click(lambda _: self.run(self._undo))
        self.debrief_button.on_click(lambda _: self.run(self._debrief))
        self.facilitator = W.VBox([
            W.HTML("<b>Clock</b>"), W.HBox([self.advance_button, self.pause_button, self.undo_button]),
            W.HTML("<b>Inject an event</b> (announced to the one role that would know; pick a month that has not "
                   "started)"),
            W.HBox([self.kind, self.inject_month, self.family]), W.HBox([self.magnitude, self.probability]),
            self.inject_button,
            W.HTML("<b>Save and debrief</b>"), W.HBox([self.path, self.save_button, self.load_button]),
            W.HBox([self.report_path, self.debrief_button]), self.reveal_button, self.revealed,
        ])

    def _build_tabs(self) -> None:
        self.tabs = {r: RoleTab(self, r) for r in self.game.human_roles}
        self.tab.children = [t.widget for t in self.tabs.values()] + [self.shared, self.facilitator]
        self.tab.titles = [name_of(r) for r in self.tabs] + ["Shared board", "Facilitator"]
        self.tab.selected_index = len(self.tabs)  # start on the shared board, never on a private tab

    # --- rendering ----------------------------------------------------------------------
    def refresh(self, message: str = "") -> None:
        """Re-render every tab from the game's state."""
        game = self.game
        for t in self.tabs.values():
            t.render()
        self.shared.value = shared_html(shared_view(game.model))
        req = game.pending
        if game.finished:
            state = "The game is over: write the debrief from the facilitator tab."
        elif req is not None:
            state = (f"{month_label(req.month)}, {name_of(req.step)}: pass the laptop to {name_of(req.role)}, "
                     f"who opens the {name_of(req.role)} tab.")
        else:
            state = f"{month_label(game.month)}: press Advance on the facilitator tab to run to the next decision."
        if game.paused:
            state = "Paused by the facilitator. " + state
        self.tab.titles = [name_of(r) + (" (your turn)" if req is not None and req.role == r else "")
                           for r in self.tabs] + ["Shared board", "Facilitator"]
        self.status.value = (f"<b>{escape(state)}</b>" + (f" {message}" if message else ""))

    def run(self, action: Any) -> None:
        """Call ``action``; show its message, or the error in one line (nothing changes)."""
        try:
            message = escape(action() or "")
        except SopSimError as exc:
            self.refresh(f"<span style='color:#b02a2a'>&#9888; {escape(str(exc))}</span>")
            return
        self.refresh(message)

    # --- facilitator actions ------------------------------------------------------------
    def _advance(self) -> str:
        if self.game.paused:
            return "The game is paused."
        self.game.advance()
        return ""

    def _pause(self) -> str:
        if self.pause_button.value:
            self.game.pause()
            return "Paused."
        self.game.resume()
        return "Resumed."

    def _inject(self) -> str:
        d = self.game.inject(self.kind.value, self.inject_month.value, self.family.value,
                             self.magnitude.value, probability=self.probability.value)
        return f"Announced to {name_of(d.owner)} only: {d.describe()}"

    def _reveal(self) -> str:
        info = self.game.reveal()
        self.revealed.value = "".join(f"<p><b>{escape(name_of(r))}</b></p>" + _list(v, "")
                                      for r, v in info.items() if v)
        return "All private information revealed on the facilitator tab."

    def _save(self) -> str:
        return f"Saved to {self.game.save(self.path.value)}."

    def _load(self) -> str:
        self.game = Game.load(self.path.value)
        self.pause_button.value = self.game.paused
        self.inject_month.options = [(month_label(m), m) for m in range(self.game.scenario.months)]
        self._build_tabs()
        return f"Loaded {self.path.value}."

    def _undo(self) -> str:
        self.game.undo()
        return "Last decision taken back."

    def _debrief(self) -> str:
        from sop_sim.game.debrief import write_debrief

        return f"Debrief written to {write_debrief(self.game, self.report_path.value)}."
