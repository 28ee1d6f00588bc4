"""Human in the loop: a classroom S&OP game where people play any of the nine roles.

* :class:`Game`: the engine (pause at a human decision, validate, resume, save/replay,
  facilitator actions). No UI inside; :class:`sop_sim.ui.GameBoard` is one front end.
* :func:`write_debrief`: a self-contained HTML debrief report of a game.
* :func:`write_briefs`: printable role briefs generated from a scenario.
"""

from sop_sim.game.engine import DecisionRequest, Game

__all__ = ["DecisionRequest", "Game"]
