"""The S&OP model: a company, nine role agents and the monthly cycle on one SimPy clock.

One time unit is a day. :class:`SOPModel` owns its ``simpy.Environment``, the world
(:class:`~sop_sim.company.World`), the agents and the cycle; :func:`run` builds one,
runs it to the end and returns a :class:`~sop_sim.results.Result`.

Execution follows the plan *in force* each month, chosen at the start of the month:

* the latest authorized plan that covers the month, unless the scenario has silos;
* otherwise operations' own plan: next month's statistical forecast plus a stock
  correction, within the plant's hours (no pre-build, no knowledge of events).

An authorized plan is trusted for two months; older than that, operations falls back
on its own numbers. Whatever the plan, operations' policy may hire at the start of a month (by default
late: once backorders have stayed above 10 % of a month's regular hours two months running
and nobody is being recruited, enough workers to work them off in two months; reactive
hiring, logged in ``Result.events``).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Generator, Iterator, Mapping
from typing import Any

import simpy

from sop_sim.calendar import month_label
from sop_sim.company import PlanInForce, World
from sop_sim.config import DAYS_PER_MONTH, Scenario
from sop_sim.cycle import Actions, SOPCycle
from sop_sim.decisions import DecisionPoint
from sop_sim.information import Information
from sop_sim.knowledge import load_kb
from sop_sim.metrics import summarize
from sop_sim.planning.forecast import forecast_all, seasonal_forecast
from sop_sim.presets import get_scenario
from sop_sim.records import Recorder
from sop_sim.results import Result
from sop_sim.roles import build_agents, check_policies
from sop_sim.streams import Streams

STALE_AFTER_MONTHS = 2  # operations stops trusting an authorized plan older than this


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the length of one run.

    A run allocates tens of thousands of small objects, so the collector would otherwise
    start several times a run and, now and then, walk every object the process holds
    (pandas, numpy, a notebook's data): about a tenth of a run's time, freeing nothing,
    because everything a run builds lives until its end. Reference counting still frees
    what it can; the collector runs again as soon as the run is over, and a collector
    someone else had switched off stays off. Results do not depend on it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class SOPModel:
    """A runnable model of one scenario and seed.

    Parameters
    ----------
    scenario:
        The levers, company and events.
    seed:
        Seeds every random stream (see :mod:`sop_sim.streams`).
    policies:
        Optional ``{role_id: policy}`` replacing roles' default behaviour (a
        :class:`~sop_sim.roles.Policy` object or class; see :mod:`sop_sim.roles.policy`).

    Raises
    ------
    ScenarioError
        An unknown role id in ``policies`` or a policy that lacks a method its role needs.
    """

    def __init__(self, scenario: Scenario, seed: int = 0, policies: Mapping[str, Any] | None = None) -> None:
        self.policies = check_policies(policies)
        self.scenario = scenario
        self.seed = seed
        self.streams = Streams(seed)
        self.env = simpy.Environment()
        self.kb = load_kb()
        self.world = World(scenario, self.streams)
        self.agents = build_agents(scenario, self.policies)
        self.recorder = Recorder()
        self._seq = 0
        self.info = Information(self)  # the only door from meetings and policies to the world
        self.actions = Actions(self.world)  # the only way they act on it
        self.forecast_in_force: list[tuple[int, list[float]]] = []
        self.cycle = SOPCycle(self)
        self.world.on_month_start = self._month_start
        self.execution = self.env.process(self.world.execute(self.env))
        self.env.process(self.cycle.run())

    # --- hooks for the cycle and a game -------------------------------------------
    def next_seq(self) -> int:
        self._seq += 1
        return self._seq - 1

    def decide(self, point: DecisionPoint) -> Generator[simpy.Event, Any, dict[str, Any]]:
        """Answer a decision point. Agents answer at once with their own suggestion.

        Agents' suggestions are already in canonical form (a test checks that
        ``point.validate(suggestion) == suggestion`` at every point), so they skip validation.
        """
        return point.suggestion()
        yield  # pragma: no cover - makes this a generator a game can override

    def answers_at_once(self, role: str) -> bool:
        """Whether ``role`` simply takes its policy's suggestion, so no decision point is built.

        True for every role in a plain run; a game says False, because its points may wait for
        a person and are validated either way.
        """
        return True

    def wants_view(self, role: str) -> bool:
        """Whether a decision point for ``role`` needs a view; agents read none, people do."""
        return False

    def view_for(self, role: str, month: int, ctx: dict[str, Any]) -> dict[str, Any]:
        """What ``role`` may see now as plain data (the player's view, from the information layer)."""
        return self.info.player_view(role, month, ctx)

    def kpis_so_far(self) -> dict[str, float]:
        return self.info.kpis_so_far()

    # --- the plan in force ------------------------------------------------------------
    def _month_start(self, month: int) -> None:
        w = self.world
        if month > 0:  # the month that just closed enters the records
            self.info.record_month(month - 1)
        auth = self.cycle.authorized
        sop = (not self.scenario.silos and auth is not None and auth.covers(month)
               and month - auth.made_in <= STALE_AFTER_MONTHS)
        if sop:
            w.plan_in_force = PlanInForce([int(x) for x in auth.at(month)],
                                          f"S&OP plan authorized in {month_label(auth.made_in)}")
        elif month > 0:
            self._own_plan(month)
        if month > 0:  # the forecast error KPI judges every preset at lag 1 (see metrics.KPIS)
            self.forecast_in_force.append((month, self._lag1_forecast(month, sop)))
        self._reactive_hiring(month)

    def _lag1_forecast(self, month: int, sop: bool) -> list[float]:
        """The demand forecast for ``month`` made one month earlier, from orders recorded to ``month - 2``.

        Under an S&OP plan: the demand plan of month ``month - 1``'s cycle (its consensus, else
        its statistical forecast). Under operations' own plan: operations' forecast made at the
        start of ``month - 1``. So every preset's forecast error is measured at the same lag.
        """
        if sop:
            made: dict[str, Any] = {}
            for c, v, first, units in reversed(self.recorder.plans):
                if c < month - 1:
                    break
                if c == month - 1 and v in ("consensus", "statistical") and first <= month < first + len(units):
                    made[v] = units[month - first]
            fc = made.get("consensus", made.get("statistical"))
            if fc is not None:
                return [float(x) for x in fc]
        return [float(x) for x in forecast_all(self.info.recorded_history(month - 1), month - 1, 2)[1]]

    def _own_plan(self, month: int) -> list[float]:
        """Operations' own numbers: a one-month forecast and a stock correction, within capacity."""
        w = self.world
        hist = self.info.recorded_history(month)
        fc = [float(seasonal_forecast(hist[:, j], month, 1)[0]) for j in range(w.F)]
        want = [max(0.0, fc[j] * (1 + w.plant.safety_months) - (w.inventory[j] - w.backlog[j])) for j in range(w.F)]
        hours = sum(want[j] * w.hours_per_unit[j] for j in range(w.F))
        cap = w.workers * w.plant.hours_per_worker * (1 + w.overtime_share(month))
        scale = min(1.0, cap / hours) if hours else 1.0
        w.plan_in_force = PlanInForce([int(x * scale) for x in want], "operations' own forecast")
        return fc

    def _reactive_hiring(self, month: int) -> None:
        """Operations' policy may hire whatever the plan says (by default late, once backorders piled up)."""
        n = self.agents["operations"].policy.reactive_hires(self.info.view("operations", month))
        if n:
            w = self.world
            n = w.hire(n, month)
            self.recorder.event(self.env.now, month, "reactive_hiring",
                                f"backorders piled up two months running: {n} worker{'s' if n != 1 else ''} hired, "
                                f"productive from {month_label(month + w.plant.hire_lead_months)}")

    # --- running ------------------------------------------------------------------
    def run(self) -> Result:
        """Run to the end of the last month and return the result."""
        with collector_paused():
            self.env.run(until=self.execution)  # execution closes the last month's books at day `end`
            return self._finish()

    def _finish(self) -> Result:
        """Build the Result from the records so far (a game calls this when its clock stops)."""
        end = self.scenario.months * DAYS_PER_MONTH
        w = self.world
        escalations = [
            {"id": i.id, "kind": i.kind, "month": i.month, "raised_at": i.raised_at, "raised_day": i.raised_day,
             "summary": i.summary, "options": "; ".join(f"{o[0]}: {o[1]} ({o[2]:,.0f})" for o in i.options),
             "recommendation": i.recommendation, "prepared": i.prepared, "status": i.status, "choice": i.choice,
             "closed_day": i.closed_day,
             "latency_days": (i.closed_day if i.closed_day is not None else end) - i.raised_day}
            for i in self.cycle.open_issues
        ]
        records = {
            "periods": w.period_records, "plant": w.plant_records, "minutes": self.recorder.minutes,
            "escalations": escalations, "plans": self.recorder.plans, "numbers": self.recorder.numbers_by_month,
            "choices": self.recorder.choices, "events": self.recorder.events,
            "alternatives": self.recorder.alternatives, "number_sources": self.recorder.number_sources,
        }
        records["recorded_orders"] = self._recorded_orders()  # what the naive forecast of FVA reads
        summary = summarize(w.period_records, w.plant_records, escalations, self.recorder.numbers_by_month,
                            self.recorder.open_counts, self.recorder.minutes, self.forecast_in_force, end)
        return Result(self.scenario, self.seed, records, summary)

    def _recorded_orders(self) -> Any:
        """Orders as recorded, from the history before the run to the last closed month (what forecasts used)."""
        closed = len(self.world.plant_records)
        if closed:  # the last closed month enters the records at the next month's start, which may not come
            self.info.record_month(closed - 1)
        return self.info.recorded_history(closed).copy()


def run(scenario: Scenario | str = "baseline", seed: int = 0, policies: Mapping[str, Any] | None = None,
        **overrides: Any) -> Result:
    """Run one scenario (or preset name) with one seed.

    Keyword arguments override scenario fields, e.g. ``run("baseline", months=12)``;
    ``policies={role_id: policy}`` swaps roles' behaviour (see :class:`sop_sim.Policy`).
    Same scenario, seed and policies give an identical result.
    """
    sc = get_scenario(scenario)
    if overrides:
        from dataclasses import replace

        from sop_sim.errors import ScenarioError

        unknown = sorted(set(overrides) - set(sc.__dataclass_fields__))
        if unknown:
            raise ScenarioError(f"{unknown[0]} is not a scenario field: allowed {sorted(sc.__dataclass_fields__)}")
        sc = replace(sc, **overrides)
    return SOPModel(sc, seed, policies).run()
