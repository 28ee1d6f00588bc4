"""The S&OP model: a company, nine role agents and the monthly cycle on one SimPy clock.

One time unit is a day. :class:`SOPModel` owns its ``simpy.Environment``, the world
(:class:`~sop_sim.company.World`), the agents and the cycle; :func:`run` builds one,
runs it to the end and returns a :class:`~sop_sim.results.Result`.

Execution follows the plan *in force* each month, chosen at the start of the month:

* the latest authorized plan that covers the month, unless the scenario has silos;
* otherwise operations' own plan: next month's statistical forecast plus a stock
  correction, within the plant's hours (no pre-build, no knowledge of events).

An authorized plan is trusted for two months; older than that, operations falls back
on its own numbers. Whatever the plan, when overtime has run out two months running and
nobody is being recruited, operations asks for four workers (reactive hiring, logged in
``Result.events``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from sop_sim.company import HISTORY_MONTHS, PlanInForce, World
from sop_sim.config import DAYS_PER_MONTH, Scenario
from sop_sim.cycle import SOPCycle
from sop_sim.decisions import DecisionPoint
from sop_sim.knowledge import load_kb
from sop_sim.metrics import summarize
from sop_sim.planning.forecast import forecast_all, seasonal_forecast
from sop_sim.presets import get_scenario
from sop_sim.records import Recorder
from sop_sim.results import Result
from sop_sim.roles import Agent, build_agents
from sop_sim.streams import Streams

REACTIVE_HIRES = 4
STALE_AFTER_MONTHS = 2  # operations stops trusting an authorized plan older than this


class SOPModel:
    """A runnable model of one scenario and seed.

    Parameters
    ----------
    scenario:
        The levers, company and events.
    seed:
        Seeds every random stream (see :mod:`sop_sim.streams`).
    policies:
        Optional agent classes by role id, replacing the default behaviour.
    """

    def __init__(self, scenario: Scenario, seed: int = 0, policies: dict[str, type[Agent]] | None = None) -> None:
        self.scenario = scenario
        self.seed = seed
        self.streams = Streams(seed)
        self.env = simpy.Environment()
        self.kb = load_kb()
        self.world = World(scenario, self.streams)
        self.agents = build_agents(scenario, policies)
        self.recorder = Recorder()
        self._seq = 0
        self._kpis_so_far: tuple[tuple[int, int], dict[str, float]] = ((-1, -1), {})
        self._descriptions: dict[Any, str] = {}
        F = self.world.F
        q = scenario.data_quality
        z = self.streams.get("data_noise").standard_normal((HISTORY_MONTHS + 240, F, 2))
        z = z[: HISTORY_MONTHS + scenario.months + 1]
        self._rec_factor = np.maximum(0.05, 1.0 + (1.0 - q) * 0.5 * z[:, :, 0])
        self._stock_factor = np.maximum(0.0, 1.0 + (1.0 - q) * 0.3 * z[:, :, 1])
        actual = np.array(self.world.history, dtype=float)
        self.recorded = np.zeros((HISTORY_MONTHS + scenario.months, F))
        self.recorded[:HISTORY_MONTHS] = actual * self._rec_factor[:HISTORY_MONTHS]
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

    def wants_view(self, role: str) -> bool:
        """Whether a decision point for ``role`` needs a view; agents read none, people do."""
        return False

    def view_for(self, role: str, month: int, ctx: dict[str, Any]) -> dict[str, Any]:
        """What ``role`` may see now: its own news and the shared state, nothing private of others."""
        agent = self.agents[role]
        auth = self.cycle.authorized
        return {
            "role": role,
            "month": month,
            "private_news": [self._describe(d) for d in agent.news(month)],
            "responsibilities": list(self.kb.responsibilities(role)),
            "authorized_plan": None if auth is None else {"made_in": auth.made_in, "first": auth.first,
                                                          "units": auth.units.round().tolist()},
            "families": list(self.scenario.company.family_ids),
            "kpis_so_far": self.kpis_so_far(),
        }

    def _describe(self, d: Any) -> str:
        # a disturbance's text never changes and formatting it is the dearest part of a view
        text = self._descriptions.get(d)
        if text is None:
            text = self._descriptions[d] = d.describe()
        return text

    def kpis_so_far(self) -> dict[str, float]:
        recs = self.world.period_records
        # Records are only appended at month end, so the totals change once a month; every
        # decision point asks, so compute them once per month instead of each time.
        key = (len(recs), len(self.world.plant_records))
        if self._kpis_so_far[0] != key:
            orders = sum(r["orders"] for r in recs)
            self._kpis_so_far = (key, {
                "months_done": len(self.world.plant_records),
                "fill_rate": (sum(r["filled_from_stock"] for r in recs) / orders) if orders else 1.0,
                "backorders": float(sum(r["backlog"] for r in recs[-self.world.F:])) if recs else 0.0,
                "revenue": float(sum(r["revenue"] for r in recs)),
            })
        return dict(self._kpis_so_far[1])

    # --- data the meetings read -----------------------------------------------------
    def recorded_history(self, month: int) -> np.ndarray:
        """Recorded demand of months -24 .. month-1 (what the data baseline is built from)."""
        return self.recorded[: HISTORY_MONTHS + month]

    def recording_errors(self, month: int) -> int:
        if month == 0:
            return 0
        return int((np.abs(self._rec_factor[HISTORY_MONTHS + month - 1] - 1.0) > 0.10).sum())

    def recorded_stock(self, month: int) -> tuple[list[float], list[float]]:
        w = self.world
        if month == 0 or not w.period_records:
            return list(map(float, w.inventory)), list(map(float, w.backlog))
        last = w.period_records[-w.F:]
        f = self._stock_factor[HISTORY_MONTHS + month]
        return ([r["inventory_end"] * f[j] for j, r in enumerate(last)],
                [float(r["backlog"]) for r in last])

    def recent_usage(self) -> np.ndarray:
        """Mean units made per family over the last three closed months."""
        w = self.world
        recs = w.period_records[-3 * w.F:]
        if not recs:
            return np.array(w.plan_in_force.production, dtype=float)
        made = np.array([r["made"] for r in recs], dtype=float).reshape(-1, w.F)
        return made.mean(axis=0)

    # --- the plan in force ------------------------------------------------------------
    def _month_start(self, month: int) -> None:
        w = self.world
        if month > 0:  # the month that just closed enters the records
            t = HISTORY_MONTHS + month - 1
            self.recorded[t] = np.array(w.actual_demand(month - 1), dtype=float) * self._rec_factor[t]
        auth = self.cycle.authorized
        sop = (not self.scenario.silos and auth is not None and auth.covers(month)
               and month - auth.made_in <= STALE_AFTER_MONTHS)
        if sop:
            w.plan_in_force = PlanInForce([int(x) for x in auth.at(month)],
                                          f"S&OP plan authorized in month {auth.made_in}")
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
        return [float(x) for x in forecast_all(self._records().recorded_history(month - 1), month - 1, 2)[1]]

    def _records(self) -> Any:
        """What holds the recorded orders: the information layer where there is one, else the model itself."""
        return getattr(self, "info", self)

    def _own_plan(self, month: int) -> list[float]:
        """Operations' own numbers: a one-month forecast and a stock correction, within capacity."""
        w = self.world
        hist = self.recorded_history(month)
        fc = [float(seasonal_forecast(hist[:, j], month, 1)[0]) for j in range(w.F)]
        want = [max(0.0, fc[j] * (1 + w.plant.safety_months) - (w.inventory[j] - w.backlog[j])) for j in range(w.F)]
        hours = sum(want[j] * w.hours_per_unit[j] for j in range(w.F))
        cap = w.workers * w.plant.hours_per_worker * (1 + w.overtime_share(month))
        scale = min(1.0, cap / hours) if hours else 1.0
        w.plan_in_force = PlanInForce([int(x * scale) for x in want], "operations' own forecast")
        return fc

    def _reactive_hiring(self, month: int) -> None:
        w = self.world
        recent_hires = any(p["hires_started"] for p in w.plant_records[-3:])
        if len(w.plant_records) < 2 or recent_hires or w.hires_due:
            return  # people are already on their way
        maxed = all(p["overtime_hours"] >= 0.95 * p["capacity_hours"] * w.overtime_share(p["month"])
                    for p in w.plant_records[-2:])
        if maxed:
            w.hire(REACTIVE_HIRES, month)
            self.recorder.event(self.env.now, month, "reactive_hiring",
                                f"overtime ran out two months running: {REACTIVE_HIRES} workers hired, "
                                f"productive in month {month + w.plant.hire_lead_months}")

    # --- running ------------------------------------------------------------------
    def run(self) -> Result:
        """Run to the end of the last month and return the result."""
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
            "alternatives": self.recorder.alternatives,
        }
        records["recorded_orders"] = self._recorded_orders()  # what the naive forecast of FVA reads
        summary = summarize(w.period_records, w.plant_records, escalations, self.recorder.numbers_by_month,
                            self.recorder.open_counts, self.recorder.minutes, self.forecast_in_force, end)
        return Result(self.scenario, self.seed, records, summary)

    def _recorded_orders(self) -> Any:
        """Orders as recorded, from the history before the run to the last closed month (what forecasts used)."""
        from sop_sim.company import HISTORY_MONTHS as before  # imported here: this hunk stands on its own

        closed, store = len(self.world.plant_records), self._records()
        rec = store.recorded[: before + closed].copy()
        if closed:  # the last closed month enters the records at the next month's start, which may not come
            t = before + closed - 1
            rec[t] = [x * f for x, f in zip(self.world.actual_demand(closed - 1), store._rec_factor[t], strict=True)]
        return rec


def run(scenario: Scenario | str = "baseline", seed: int = 0, **overrides: Any) -> Result:
    """Run one scenario (or preset name) with one seed.

    Keyword arguments override scenario fields, e.g. ``run("baseline", months=12)``.
    Same scenario and seed give an identical result.
    """
    sc = get_scenario(scenario)
    if overrides:
        from dataclasses import replace

        from sop_sim.errors import ScenarioError

        unknown = sorted(set(overrides) - set(sc.__dataclass_fields__))
        if unknown:
            raise ScenarioError(f"{unknown[0]} is not a scenario field: allowed {sorted(sc.__dataclass_fields__)}")
        sc = replace(sc, **overrides)
    return SOPModel(sc, seed).run()
