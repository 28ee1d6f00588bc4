"""The facilitator's actions on a game: pause and resume, inject an event, reveal private news.

A mixin of :class:`~sop_sim.game.engine.Game` (split out so each class reads in one
sitting). An injected event is kept in the game's action log, so a reloaded game
replays it at the same moment.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from sop_sim.calendar import month_label
from sop_sim.config import ROLE_IDS, Disturbance, Scenario
from sop_sim.errors import ScenarioError

if TYPE_CHECKING:
    import simpy

    from sop_sim.model import SOPModel

#: Disturbance kinds that need a product family.
FAMILY_KINDS = ("promotion", "deal", "npi_slip", "supplier_disruption")


class Facilitator:
    """Pause, resume, inject and reveal: what the person running the class may do."""

    paused: bool
    revealed: bool
    steps: int
    log: list[dict[str, Any]]
    model: SOPModel
    month: int
    scenario: Scenario
    env: simpy.Environment

    # --- facilitator --------------------------------------------------------------------
    def pause(self) -> None:
        """Stop the clock: no advancing or deciding until :meth:`resume`."""
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def inject(self, kind: str, month: int, family: str | None = None, magnitude: float = 0.0, *,
               known_from: int | None = None, probability: float = 1.0) -> Disturbance:
        """Announce a new disturbance to the one role that would know of it.

        ``month`` and ``known_from`` are 0-based; ``known_from`` defaults to now. The
        event works as a scripted one would (see ``World.add_disturbance``) and is kept
        in the action log, so a reloaded game replays it at the same moment.

        Raises
        ------
        ScenarioError
            Unknown kind or family, a month that has started or lies after the game.
        """
        now = self.month if self.env.now > 0 else 0
        first = now + 1 if self.env.now > 0 else 0
        d = Disturbance(kind, month, family, magnitude, known_from=now if known_from is None else known_from,
                        probability=probability)
        months = self.scenario.months
        if not first <= month < months:
            raise ScenarioError(f"month={month} is invalid: allowed a month that has not started, {first} to {months - 1}")
        if kind in FAMILY_KINDS and family is None:
            raise ScenarioError(f"family=None is invalid for a {kind}: allowed {list(self.scenario.company.family_ids)}")
        npi = self.model.world.npi_launch
        if kind == "npi_slip" and (family not in npi or npi[family] <= now):
            raise ScenarioError(f"family={family!r} is invalid for npi_slip: allowed a new product not yet "
                                f"launched, one of {[f for f, m in npi.items() if m > now]}")
        sc = dataclasses.replace(self.scenario, disturbances=self.scenario.disturbances + (d,))
        self._inject(d, sc)
        self.log.append({"type": "inject", "steps": self.steps, "day": self.env.now,
                         "disturbance": dataclasses.asdict(d)})
        return d

    def _inject(self, d: Disturbance, sc: Scenario) -> None:
        m = self.model
        m.world.add_disturbance(d, sc)
        m.scenario = m.cycle.sc = sc
        m.info.announce(d)

    def reveal(self) -> dict[str, list[str]]:
        """Reveal all private information of every role (the facilitator's debrief action)."""
        self.revealed = True
        return self.private_information()

    def private_information(self) -> dict[str, list[str]]:
        """Role id -> what that role knew (or will know), including whether deals signed."""
        out: dict[str, list[str]] = {r: [] for r in ROLE_IDS}
        signed = self.model.world.deal_signed
        for i, d in enumerate(self.scenario.disturbances):
            if d.known_from >= self.scenario.months:
                continue  # news nobody hears within the game
            text = f"{d.describe()} (known from {month_label(d.known_from)})"
            if d.kind == "deal":
                text += " The customer signed." if signed.get(i) else " The customer did not sign."
            out[d.owner].append(text)
        return out

