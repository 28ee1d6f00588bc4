"""The game engine: people take the place of any of the nine role agents.

A :class:`Game` wraps one run of the model. Whenever the cycle asks a role played by
a person for a decision, the engine pauses the SimPy clock and hands out a
:class:`DecisionRequest`; ``game.decide(request, decision)`` validates the answer and
the run goes on. Roles not played by people are answered by their agents at once.

How it stays exact
------------------
The cycle asks every role through ``SOPModel.decide(point)``. The game's model
overrides it: for a human role it yields a SimPy event that :meth:`Game.decide`
triggers with *urgent* priority, so the waiting meeting resumes before anything else
happens at that simulated moment, just as if the agent had answered at once. The
same :meth:`DecisionPoint.validate` canonicalises both answers. Hence a game in which
every person submits the suggestion ends with exactly the result of ``sop_sim.run``.

Attendance
----------
A person's role still attends by the scenario's engagement: in the
``disengaged_executive`` scenario a human executive "fails to show up" three
meetings in four, which is the lesson. Pass ``humans_attend=True`` to make every
human role attend every meeting (their engagement is set to 1 in the game's scenario
with :func:`dataclasses.replace`; the saved game stores that scenario).

Event sourcing
--------------
The game is its scenario, its seed, its human roles and its action log. Each action
(a decision or a facilitator's injected event) records ``steps``, the number of SimPy
events processed before it, so replaying the log (:meth:`Game.load`,
:meth:`Game.undo`) reaches the identical state, including events injected mid-month.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import simpy
from simpy.events import URGENT

from sop_sim.calendar import month_label
from sop_sim.config import DAYS_PER_MONTH, ROLE_IDS, Disturbance, Scenario
from sop_sim.decisions import DecisionPoint, FieldSpec
from sop_sim.errors import DecisionError, ScenarioError
from sop_sim.game.facilitator import Facilitator
from sop_sim.knowledge import load_kb
from sop_sim.model import SOPModel
from sop_sim.presets import get_scenario
from sop_sim.results import Result
from sop_sim.roles import check_policies


def _title(role: str, step: str, month: int) -> str:
    """A decision request as players read it: ``"Sales at the Demand review, Apr Y1"``."""
    kb = load_kb()
    return f"{kb.name(role)} at the {kb.name(step)}, {month_label(month)}"

@dataclass(frozen=True)
class DecisionRequest:
    """A decision a person must make now.

    Attributes
    ----------
    seq:
        Position in the run's sequence of decision points; a stale request has an old one.
    role, step, month:
        Who decides, in which meeting, in which month (0-based).
    title:
        A short heading for the form.
    fields:
        The decision fields, with their types and bounds (:class:`~sop_sim.FieldSpec`).
    view:
        What the role may see now (see :mod:`sop_sim.game.views`): its card, its private
        news and the shared board.
    """

    seq: int
    role: str
    step: str
    month: int
    title: str
    fields: tuple[FieldSpec, ...]
    view: Mapping[str, Any]
    point: DecisionPoint = field(repr=False, compare=False)

    def suggestion(self) -> dict[str, Any]:
        """What the simulated agent would decide here (a fresh copy)."""
        return self.point.suggestion()

    def field_table(self) -> list[dict[str, str]]:
        """The fields as rows: name, kind, what is allowed and a line of help."""
        return [{"name": f.name, "kind": f.kind, "allowed": f.describe(), "help": f.help} for f in self.fields]


class _GameModel(SOPModel):
    """The model with human roles: their decision points wait for the game."""

    def __init__(self, scenario: Scenario, seed: int, game: Game) -> None:
        self._game = game
        super().__init__(scenario, seed, game.policies)

    def decide(self, point: DecisionPoint):
        if point.role not in self._game.human_roles:
            return point.validate(point.suggestion())
        event = self.env.event()
        self._game._request(point, event)
        decision = yield event
        return decision

    def answers_at_once(self, role: str) -> bool:
        return False

    def wants_view(self, role: str) -> bool:
        return role in self._game.human_roles


class Game(Facilitator):
    """A run of the S&OP model in which people play some of the roles.

    Parameters
    ----------
    scenario_or_preset:
        A :class:`~sop_sim.Scenario` or a preset name.
    seed:
        Seed of every random stream (same seed, same world).
    human_roles:
        Role ids played by people; the rest are played by the simulation's agents.
    humans_attend:
        If true, human roles always attend (their engagement is set to 1).
    policies:
        ``{role_id: policy}`` for roles the simulation plays (see :class:`sop_sim.Policy`);
        for a role a person plays, its policy gives the suggestion shown to that person.
        A saved game stores each policy's importable class name and parameters.

    Examples
    --------
    >>> game = Game("baseline", seed=1, human_roles={"sales", "operations"}, months=12)
    >>> request = game.advance()
    >>> game.decide(request, request.suggestion())
    """

    def __init__(self, scenario_or_preset: Scenario | str = "baseline", seed: int = 0,
                 human_roles: Iterable[str] = (), *, humans_attend: bool = False,
                 policies: Mapping[str, Any] | None = None, **overrides: Any) -> None:
        sc = get_scenario(scenario_or_preset)
        self.policies = check_policies(policies)
        if overrides:
            unknown = sorted(set(overrides) - set(sc.__dataclass_fields__))
            if unknown:
                raise ScenarioError(f"{unknown[0]} is not a scenario field: allowed {sorted(sc.__dataclass_fields__)}")
            sc = dataclasses.replace(sc, **overrides)
        if isinstance(human_roles, str):
            human_roles = [human_roles]
        if human_roles is None or not isinstance(human_roles, Iterable) or isinstance(human_roles, Mapping):
            raise ScenarioError(f"human_roles={human_roles!r} is invalid: allowed a list of role ids from {list(ROLE_IDS)}")
        if not isinstance(humans_attend, bool):
            raise ScenarioError(f"humans_attend={humans_attend!r} is invalid: allowed True or False")
        human_roles = list(human_roles)
        odd = next((r for r in human_roles if not isinstance(r, str)), None)
        if odd is not None:
            raise ScenarioError(f"human_roles contains {odd!r}: allowed role ids (text) from {list(ROLE_IDS)}")
        roles = set(human_roles)
        bad = sorted(roles - set(ROLE_IDS))
        if bad:
            raise ScenarioError(f"human_roles contains {bad[0]!r}: allowed role ids {list(ROLE_IDS)}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ScenarioError(f"seed={seed!r} is invalid: allowed a whole number >= 0")
        self.human_roles: tuple[str, ...] = tuple(r for r in ROLE_IDS if r in roles)
        self.humans_attend = bool(humans_attend)
        if self.humans_attend and self.human_roles:
            eng = {**sc.engagement, **{r: 1.0 for r in self.human_roles if r != "executive_sponsor"}}
            sc = dataclasses.replace(sc, engagement=eng, executive_engagement=1.0
                                     if "executive_sponsor" in self.human_roles else sc.executive_engagement)
        self.initial_scenario = sc
        self.seed = seed
        self.paused = False
        self.revealed = False
        self._reset()

    def __repr__(self) -> str:
        state = ("finished" if self.finished else f"waiting for {self.pending.role} at {self.pending.step}"
                 if self.pending else "between decisions")
        return (f"<Game {self.scenario.name!r} seed={self.seed}, month {self.month + 1} of {self.scenario.months}, "
                f"people play {list(self.human_roles)}: {state}>")

    # --- state ------------------------------------------------------------------------
    def _reset(self) -> None:
        self.log: list[dict[str, Any]] = []
        self.steps = 0
        self.pending: DecisionRequest | None = None
        self._event: simpy.Event | None = None
        self.result: Result | None = None
        self.model = _GameModel(self.initial_scenario, self.seed, self)

    @property
    def scenario(self) -> Scenario:
        """The scenario as played, with any injected disturbances."""
        return self.model.scenario

    @property
    def env(self) -> simpy.Environment:
        return self.model.env

    @property
    def finished(self) -> bool:
        """True once the last month is over and :attr:`result` holds the Result."""
        return self.result is not None

    @property
    def month(self) -> int:
        """The month the clock is in (0-based)."""
        return min(int(self.env.now // DAYS_PER_MONTH), self.scenario.months - 1)

    @property
    def injected(self) -> list[Disturbance]:
        """Disturbances the facilitator added during the game."""
        return [Disturbance(**a["disturbance"]) for a in self.log if a["type"] == "inject"]

    def decisions(self) -> list[dict[str, Any]]:
        """The human decisions so far: seq, role, month, step, decision, suggested."""
        return [a for a in self.log if a["type"] == "decision"]

    def view(self, role: str) -> dict[str, Any]:
        """What ``role`` may see right now (its card, its news, the shared board)."""
        if role not in ROLE_IDS:
            raise DecisionError(f"role={role!r} is unknown: allowed {list(ROLE_IDS)}")
        if self.pending is not None and self.pending.role == role:
            return dict(self.pending.view)
        return self.model.info.player_view(role, self.month)

    # --- the clock ----------------------------------------------------------------------
    def _request(self, point: DecisionPoint, event: simpy.Event) -> None:
        self.pending = DecisionRequest(point.seq, point.role, point.step, point.month,
                                       point.title or _title(point.role, point.step, point.month),
                                       point.fields, point.view, point)
        self._event = event

    def _sim_done(self) -> bool:
        return self.model.execution.processed or self.env.peek() == float("inf")

    def _step(self) -> None:
        self.env.step()
        self.steps += 1

    def _finish_if_done(self) -> None:
        if self.result is None and self.pending is None and self._sim_done():
            self.result = self.model._finish()

    def advance(self, until_month: int | None = None) -> DecisionRequest | None:
        """Run the clock until a person must decide; return that request.

        Returns ``None`` when the run has ended (then :attr:`result` holds the Result),
        when the game is paused, or, with ``until_month``, just before that month starts.
        A pending request is returned again until it is decided.
        """
        if self.pending is not None:
            return self.pending
        if self.paused or self.result is not None:
            return None
        return self._advance(None if until_month is None else until_month * DAYS_PER_MONTH)

    def _advance(self, stop: float | None) -> DecisionRequest | None:
        while not self._sim_done():
            if stop is not None and self.env.peek() >= stop:
                break
            self._step()
            if self.pending is not None:
                return self.pending
        self._finish_if_done()
        return None

    def decide(self, request: DecisionRequest, decision: Mapping[str, Any], *, role: str | None = None) -> None:
        """Apply a person's decision to the pending request.

        Raises
        ------
        DecisionError
            No request is pending, ``request`` is stale, ``role`` is not the requested
            role, the game is paused, or the decision is invalid. Nothing changes then.
        """
        p = self.pending
        if p is None:
            raise DecisionError("no decision is pending: call advance() first")
        if not isinstance(request, DecisionRequest) or request.seq != p.seq or request.point is not p.point:
            where = getattr(request, "seq", request)
            raise DecisionError(f"request {where} is stale: the pending request is #{p.seq} "
                                f"({_title(p.role, p.step, p.month)})")
        if role is not None and role != p.role:
            raise DecisionError(f"role={role!r} cannot answer this request: it is for {p.role!r}")
        if self.paused:
            raise DecisionError("the game is paused: the facilitator must resume it first")
        self._apply(p, decision)

    def _apply(self, p: DecisionRequest, decision: Mapping[str, Any]) -> None:
        clean = p.point.validate(decision)  # raises DecisionError, nothing changed yet
        suggestion = p.point.validate(p.suggestion())
        self.log.append({"type": "decision", "steps": self.steps, "day": self.env.now, "seq": p.seq,
                         "role": p.role, "month": p.month, "step": p.step, "decision": clean,
                         "suggestion": suggestion, "suggested": clean == suggestion})
        event, self.pending, self._event = self._event, None, None
        # urgent, so the meeting resumes before anything else scheduled for this moment
        event._ok, event._value = True, clean
        self.env.schedule(event, URGENT)
        self._finish_if_done()

    def play_suggestions(self, until_month: int | None = None, *, until_day: float | None = None) -> int:
        """Answer every request with the agent's suggestion (a demo or a catch-up); return how many.

        Stops at the end of the run, when paused, before ``until_month`` starts or once
        the clock would pass ``until_day``.
        """
        stop = until_day if until_month is None else until_month * DAYS_PER_MONTH
        n = 0
        while not self.paused and (request := self.pending or self._advance(stop)) is not None:
            self.decide(request, request.suggestion())
            n += 1
        return n

    # --- save, load, undo ---------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the game (scenario, seed, roles, action log) as JSON, atomically."""
        from sop_sim.game.savefile import save_game

        return save_game(self, path)

    @classmethod
    def load(cls, path: str | Path) -> Game:
        """Rebuild a saved game by replaying its log (raises ``SaveFileError``)."""
        from sop_sim.game.savefile import load_game

        return load_game(path)

    def undo(self) -> None:
        """Take back the last human decision (and anything the facilitator did after it).

        The game replays its log without that decision and stops where that request was
        pending, so the same person can decide again.
        """
        idx = [i for i, a in enumerate(self.log) if a["type"] == "decision"]
        if not idx:
            raise DecisionError("nothing to undo: no decision has been made yet")
        log = self.log[: idx[-1]]
        target = self.log[idx[-1]]["steps"]
        paused = self.paused
        self._reset()
        self.replay(log, target)
        self.paused = paused

    def replay(self, log: list[Mapping[str, Any]], steps: int) -> None:
        """Apply ``log`` to a fresh game, then run the clock to ``steps`` events.

        Raises
        ------
        DecisionError, ScenarioError
            The log does not fit this scenario and seed.
        """
        for k, action in enumerate(log):
            self._step_to(action["steps"], f"action {k}")
            if action["type"] == "decision":
                p = self.pending
                if p is None or (p.seq, p.role, p.step, p.month) != (action["seq"], action["role"],
                                                                      action["step"], action["month"]):
                    raise DecisionError(f"action {k}: the game asks no decision #{action['seq']} of "
                                        f"{action['role']} at {action['step']} here")
                self._apply(p, action["decision"])
            elif action["type"] == "inject":
                d = Disturbance(**action["disturbance"])
                self.inject(d.kind, d.month, d.family, d.magnitude, known_from=d.known_from,
                            probability=d.probability)
            else:
                raise DecisionError(f"action {k} has type {action['type']!r}: allowed 'decision' or 'inject'")
        self._step_to(steps, "the end of the log")
        self._finish_if_done()

    def _step_to(self, steps: int, what: str) -> None:
        while self.steps < steps and self.pending is None and not self._sim_done():
            self._step()
        if self.steps != steps:
            raise DecisionError(f"{what} is at event {steps}, but the replayed game stops at event {self.steps}")
