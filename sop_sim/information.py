"""The one information layer: what each role may know now.

Meetings (:mod:`sop_sim.cycle`) and role policies (:mod:`sop_sim.roles`) never read the
world's truth (:class:`~sop_sim.company.World`) directly; they ask :class:`Information`.
A role's view is

* the **recorded data**: demand actuals and stock as the books show them, off by the
  recording errors that poor data quality brings (stream ``data_noise``);
* the **news that role knows now**: its own private disturbances from their
  ``known_from`` month until they are past, never another role's;
* the **shared state**: company master data (prices, costs, the plant's standards),
  the company's own commitments (orders placed, hires in the pipeline, the plan in
  force), the authorized plan and the KPIs so far.

A person playing a role in a game sees exactly this too: :meth:`Information.player_view`
turns the same layer into the JSON-able view a seat shows (``Game.view``).

What the plant's budget and capacity will be is news too: a budget cut reaches a plan
only through finance from its ``known_from`` month (:meth:`Information.overtime_budget`),
a breakdown only through operations (:meth:`Information.capacity_known`); once an event
has started it is a fact for everyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sop_sim.company import HISTORY_MONTHS
from sop_sim.config import Disturbance, Family, Plant

if TYPE_CHECKING:
    from sop_sim.model import SOPModel

#: How many months of each plan the shared board shows.
PLAN_MONTHS_SHOWN = 6
#: How many of the latest meetings' minutes the shared board shows.
MINUTES_SHOWN = 5


@dataclass(frozen=True)
class Facts:
    """Company master data every role may read: families, prices, standard costs, the plant."""

    family_ids: tuple[str, ...]
    families: tuple[Family, ...]
    price: list[float]
    unit_cost: list[float]
    material_cost: list[float]
    hours_per_unit: list[float]
    plant: Plant


class RoleView:
    """What one role may know in one month; the only argument a policy reads the world from."""

    __slots__ = ("_info", "role", "month")

    def __init__(self, info: Information, role: str, month: int) -> None:
        self._info = info  # private: a policy asks through the methods below, never around them
        self.role = role
        self.month = month

    @property
    def bias(self) -> float:
        """The share this role adds to its forecast input (the scenario's ``bias``)."""
        return self._info.model.agents[self.role].bias

    @property
    def engagement(self) -> float:
        return self._info.model.agents[self.role].engagement

    @property
    def facts(self) -> Facts:
        return self._info.facts

    def news(self) -> list[Disturbance]:
        """This role's private news known now (events not yet past)."""
        return self._info.news(self.role, self.month)

    def news_in(self, first: int, last: int) -> list[Disturbance]:
        """Known events falling in planned months ``first``..``last``."""
        return self._info.news_in(self.role, self.month, first, last)

    def expected_demand(self, t: int, j: int, launch: int | None = None) -> float:
        return self._info.expected_demand(t, j, launch)

    def plant_history(self) -> list[dict[str, Any]]:
        """The plant's books of the closed months (workers, hours, overtime, hires)."""
        return self._info.plant_history()

    def workers_planned_for(self, months: range) -> list[int]:
        """Workers on the line in each of ``months``, counting hires already in the pipeline."""
        return self._info.workers_planned_for(months)

    def hires_in_pipeline(self) -> int:
        return self._info.hires_in_pipeline()

    def workers_now(self) -> int:
        """Workers on the line this month (hires that have arrived included)."""
        return self._info.workers_planned(self.month)

    def backlog_hours(self, months: int) -> list[float]:
        """Month-end backorders of the last ``months`` closed months, in labour hours (from the books)."""
        return self._info.backlog_hours(months)

    def overtime_share_of(self, month: int) -> float:
        """The overtime budget that applied in a month that has started (a fact by then)."""
        return self._info.overtime_share_in_effect(month)

    def overtime_budget(self, months: range) -> list[float]:
        """The overtime cap this role can plan with for each of ``months`` (see :meth:`Information.overtime_budget`)."""
        return self._info.overtime_budget(self.role, self.month, months)

    def authorized_plan(self) -> Any:
        return self._info.authorized_plan()

    def kpis_so_far(self) -> dict[str, float]:
        return self._info.kpis_so_far()


class Information:
    """Recorded data, each role's news and the shared state of one run (see the module docstring)."""

    def __init__(self, model: SOPModel) -> None:
        self.model = model
        w = self._world = model.world
        sc = model.scenario
        F = w.F
        self.facts = Facts(tuple(sc.company.family_ids), tuple(w.families), list(w.price), list(w.unit_cost),
                           list(w.material_cost), list(w.hours_per_unit), w.plant)
        q = sc.data_quality
        # one stream per family, so adding a family leaves the others' recording errors alone
        z = np.stack([model.streams.get(f"data_noise:{fid}").standard_normal((HISTORY_MONTHS + 240, 2))
                      [: HISTORY_MONTHS + sc.months + 1] for fid in sc.company.family_ids], axis=1)
        self._rec_factor = np.maximum(0.05, 1.0 + (1.0 - q) * 0.5 * z[:, :, 0])
        self._stock_factor = np.maximum(0.0, 1.0 + (1.0 - q) * 0.3 * z[:, :, 1])
        actual = np.array(w.history, dtype=float)
        self.recorded = np.zeros((HISTORY_MONTHS + sc.months, F))
        self.recorded[:HISTORY_MONTHS] = actual * self._rec_factor[:HISTORY_MONTHS]
        self._kpis_so_far: tuple[tuple[int, int], dict[str, float]] = ((-1, -1), {})
        self._descriptions: dict[Any, str] = {}
        self._views: dict[tuple[str, int], RoleView] = {}

    # --- recorded data ------------------------------------------------------------------
    def record_month(self, month: int) -> None:
        """The month just closed enters the records (with its recording errors)."""
        t = HISTORY_MONTHS + month
        self.recorded[t] = np.array(self._world.actual_demand(month), dtype=float) * self._rec_factor[t]

    def recorded_history(self, month: int) -> np.ndarray:
        """Recorded demand of months -24 .. month-1 (what the data baseline is built from)."""
        return self.recorded[: HISTORY_MONTHS + month]

    def recording_errors(self, month: int) -> int:
        """How many families' records of last month are off by more than 10 %."""
        if month == 0:
            return 0
        return int((np.abs(self._rec_factor[HISTORY_MONTHS + month - 1] - 1.0) > 0.10).sum())

    def recorded_stock(self, month: int) -> tuple[list[float], list[float]]:
        """Finished stock (as counted, with errors) and backlog at the end of last month."""
        w = self._world
        if month == 0 or not w.period_records:
            return list(map(float, w.inventory)), list(map(float, w.backlog))
        last = w.period_records[-w.F:]
        f = self._stock_factor[HISTORY_MONTHS + month]
        return ([r["inventory_end"] * f[j] for j, r in enumerate(last)],
                [float(r["backlog"]) for r in last])

    def stock_counted_now(self) -> tuple[list[int], list[int]]:
        """Stock and backlog counted on the floor today (when there is no data baseline)."""
        return self._world.inventory, self._world.backlog

    def recent_usage(self) -> np.ndarray:
        """Mean units made per family over the last three closed months."""
        w = self._world
        recs = w.period_records[-3 * w.F:]
        if not recs:
            return np.array(w.plan_in_force.production, dtype=float)
        made = np.array([r["made"] for r in recs], dtype=float).reshape(-1, w.F)
        return made.mean(axis=0)

    def plant_history(self) -> list[dict[str, Any]]:
        return self._world.plant_records

    def backlog_hours(self, months: int) -> list[float]:
        """Month-end backlog of the last ``months`` closed months, in labour hours, oldest first."""
        w = self._world
        F, recs, hpu = w.F, w.period_records, w.hours_per_unit
        closed = len(recs) // F if F else 0
        return [sum(recs[m * F + j]["backlog"] * hpu[j] for j in range(F))
                for m in range(max(0, closed - months), closed)]

    # --- news ---------------------------------------------------------------------------
    def news(self, role: str, month: int) -> list[Disturbance]:
        """What ``role`` knows in ``month`` that others do not (its events not yet past)."""
        return self.model.agents[role].news(month)

    def news_in(self, role: str, month: int, first: int, last: int) -> list[Disturbance]:
        return [d for d in self.news(role, month) if first <= d.month <= last]

    def announce(self, d: Disturbance) -> None:
        """A disturbance announced during the run reaches the one role that owns it."""
        agent = self.model.agents[d.owner]
        agent.private = agent.private + (d,)

    def view(self, role: str, month: int) -> RoleView:
        """The view a policy of ``role`` decides from in ``month`` (it reads live state: cached per month)."""
        key = (role, month)
        got = self._views.get(key)
        if got is None:
            got = self._views[key] = RoleView(self, role, month)
        return got

    # --- shared state and the company's own commitments --------------------------------
    def expected_demand(self, t: int, j: int, launch: int | None = None) -> float:
        """Demand of family ``j`` in month ``t`` as the company's demand model expects it.

        A new product follows the launch curve from ``launch`` (what product development
        reported) or, when not given, from the launch date in the company's plan (a slip is
        news only product development has).
        """
        if launch is None:
            return self._world.mean_demand(t, j, planned=True)
        return self._world.mean_demand(t, j, launch=launch)

    def launched(self, family: str, month: int) -> int | None:
        """The launch month of a new product once it has launched (a fact then), else None."""
        real = self._world.npi_launch[family]
        return real if real <= month else None

    def plan_in_force(self) -> list[int]:
        """Production targets execution follows this month."""
        return self._world.plan_in_force.production

    def material_position(self, upto_month: int) -> list[int]:
        """Material on hand plus everything ordered to arrive by ``upto_month``."""
        return self._world.material_position(upto_month)

    def workers_planned(self, month: int) -> int:
        """Workers on the line in ``month``, counting hires already in the pipeline."""
        return self._world.workers_at(month)

    def workers_planned_for(self, months: range) -> list[int]:
        """:meth:`workers_planned` for each of ``months``."""
        w = self._world
        if not w.hires_due:  # the usual case: nobody in the pipeline, the same head count every month
            return [w.workers] * len(months)
        return [w.workers_at(t) for t in months]

    def hires_in_pipeline(self) -> int:
        return sum(self._world.hires_due.values())

    def outsourcing_scheduled(self, month: int) -> list[int]:
        return self._world.outsource_due.get(month, [0] * self._world.F)

    def outsourcing_scheduled_for(self, months: range) -> list[list[int]]:
        """Outsourced units already contracted to arrive in each of ``months``, per family."""
        due, none = self._world.outsource_due, [0] * self._world.F
        return [due.get(t, none) for t in months]

    def aop_revenue(self, first: int, stop: int) -> float:
        """Annual operating plan revenue of months ``first`` .. ``stop - 1``."""
        return self._world.aop_revenue_between(first, stop)

    def authorized_plan(self) -> Any:
        return self.model.cycle.authorized

    def kpis_so_far(self) -> dict[str, float]:
        """Fill rate, backorders and revenue over the closed months."""
        w = self._world
        recs = w.period_records
        # Records are only appended at month end, so the totals change once a month; every
        # decision point asks, so compute them once per month instead of each time.
        key = (len(recs), len(w.plant_records))
        if self._kpis_so_far[0] != key:
            orders = sum(r["orders"] for r in recs)
            self._kpis_so_far = (key, {
                "months_done": len(w.plant_records),
                "fill_rate": (sum(r["filled_from_stock"] for r in recs) / orders) if orders else 1.0,
                "backorders": float(sum(r["backlog"] for r in recs[-w.F:])) if recs else 0.0,
                "revenue": float(sum(r["revenue"] for r in recs)),
            })
        return dict(self._kpis_so_far[1])

    # --- what a role knows of the plant's budget and capacity ----------------------------
    def overtime_budget(self, role: str, month: int, months: range) -> list[float]:
        """The overtime cap (share of regular hours) ``role`` can plan with in ``month`` for each of ``months``.

        A budget cut counts once it has started (a fact for everyone) or, before that, for
        the role that owns the news from its ``known_from`` month (finance).
        """
        base = self.facts.plant.overtime_share
        cuts = [d for d in self._world.events.get("budget_cut", ())
                if d.month <= month or (d.owner == role and d.known_from <= month)]
        out = []
        for t in months:
            share = base
            for d in cuts:
                if t >= d.month:
                    share *= 1.0 - d.magnitude
            out.append(share)
        return out

    def overtime_share_in_effect(self, month: int) -> float:
        """The overtime cap that applied in a month that has started (a fact by then).

        Raises
        ------
        ValueError
            For a month that has not started: ask :meth:`overtime_budget` for what a role knows.
        """
        if month > self._world.month:
            raise ValueError(f"month {month} has not started: its overtime budget is not a fact yet")
        return self._world.overtime_share(month)

    def capacity_known(self, role: str, month: int, months: range) -> list[float]:
        """Share of the plant's capacity ``role`` expects in each of ``months``: a breakdown
        counts from the month the owning role (operations) knows of it."""
        known = {}
        for d in self._world.events.get("breakdown", ()):
            if (d.owner == role and d.known_from <= month) or d.month <= month:
                known.setdefault(d.month, 1.0 - d.magnitude)  # the first one in a month, as the plant has it
        return [known.get(t, 1.0) for t in months]

    # --- the player's view --------------------------------------------------------------
    def describe(self, d: Disturbance) -> str:
        # a disturbance's text never changes and formatting it is the dearest part of a view
        text = self._descriptions.get(d)
        if text is None:
            text = self._descriptions[d] = d.describe()
        return text

    def player_view(self, role: str, month: int, ctx: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Everything ``role`` may see in ``month`` as plain data: its card, its news, the shared board."""
        return {
            "role": role,
            "month": month,
            "card": role_card(self.model.kb, role),
            "private_news": [self.describe(d) for d in self.news(role, month)],
            "shared": self.shared_view(ctx),
        }

    def shared_view(self, ctx: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """What every role at the table can see now: plans, KPIs, the last minutes, the issues."""
        ctx = ctx or {}
        issues = ctx.get("escalations", ctx.get("issues", []))
        out: dict[str, Any] = {
            "families": list(self.facts.family_ids),
            "consensus_plan": self._latest_plan("consensus"),
            "authorized_plan": self._latest_plan("authorized"),
            "kpis_so_far": self.kpis_so_far(),
            "last_minutes": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in m.items()}
                             for m in self.model.recorder.minutes[-MINUTES_SHOWN:]],
            "issues": [_issue(i) for i in issues],
        }
        if "aop_gap" in ctx:
            out["aop_gap"] = float(ctx["aop_gap"])
        if "authorized_hires" in ctx:
            out["authorized_hires"] = int(ctx["authorized_hires"])
        return out

    def _latest_plan(self, version: str) -> dict[str, Any] | None:
        fams = self.facts.family_ids
        for made_in, v, first, units in reversed(self.model.recorder.plans):
            if v != version:
                continue
            start = max(first, made_in + 1)  # show from next month: the current one is already running
            rows = units[start - first: start - first + PLAN_MONTHS_SHOWN]
            return {"made_in": made_in, "first": start,
                    "units": {f: [round(float(x)) for x in rows[:, j]] for j, f in enumerate(fams)}}
        return None


def role_card(kb: Any, role: str) -> dict[str, Any]:
    """The role card from the knowledge base, as plain data."""
    r = kb.role(role)
    return {
        "id": role,
        "name": r.name,
        "mission": r.mission,
        "responsibilities": list(r.responsibilities),
        "conflicts": list(r.conflicts),
        "leads": [kb.name(s) for s in kb.steps_led_by(role)],
        "attends": [kb.name(s) for s in kb.steps_attended_by(role)],
    }


def _issue(issue: Any) -> dict[str, Any]:
    return {
        "id": issue.id, "name": issue.name, "kind": issue.kind, "month": issue.month, "summary": issue.summary,
        "options": [{"id": o[0], "label": o[1], "cost": float(o[2])} for o in issue.options],
        "recommendation": issue.recommendation, "prepared": bool(issue.prepared), "status": issue.status,
    }
