"""The scheduler: runs the five meetings on their calendar days, every month.

:class:`SOPCycle` is one SimPy process. It owns what the meetings share (the month's
artefacts, the latest data baseline, the authorized plan, the open issues) and the
helpers every meeting uses: who attends (drawn from the ``attendance`` stream and each
role's engagement, dented by the executive's example), how far the agenda gets, and how
a role is asked for its decision (its policy suggests, a person in a game may answer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sop_sim.calendar import month_label
from sop_sim.config import DAYS_PER_MONTH, STEP_DAY, STEP_IDS
from sop_sim.cycle.base import Issue, Meeting, MonthState, Plan
from sop_sim.cycle.data_gathering import DataGathering
from sop_sim.cycle.demand_review import DemandReview
from sop_sim.cycle.executive_sop import ExecutiveSOP
from sop_sim.cycle.pre_sop import PreSOP
from sop_sim.cycle.supply_review import SupplyReview
from sop_sim.decisions import DecisionPoint, fresh_copy

if TYPE_CHECKING:
    from sop_sim.model import SOPModel

MEETING_MINUTES = 120  # agenda time of every meeting
ITEM_MINUTES = {"family": 8, "sku": 4, "event": 10, "issue": 10, "prepared": 10, "raw": 20, "stale": 5}
#: The meeting class of each step, in cycle order.
MEETINGS: dict[str, type[Meeting]] = {
    "data_gathering": DataGathering, "demand_review": DemandReview, "supply_review": SupplyReview,
    "pre_sop": PreSOP, "executive_sop": ExecutiveSOP,
}


class SOPCycle:
    """Runs the five meetings every month against the model's information layer and agents."""

    def __init__(self, model: SOPModel) -> None:
        self.model = model
        self.info = model.info
        self.act = model.actions
        self.sc = model.scenario
        self.kb = model.kb
        self.agents = model.agents
        self.rec = model.recorder
        self.H = self.sc.horizon_months
        self.fam_ids = self.sc.company.family_ids
        self.F = len(self.fam_ids)
        self.npi = [(f.id, f.npi_launch) for f in self.sc.company.families if f.npi_launch is not None]
        n = self.sc.months + 1
        # one attendance stream per role (month x step), stacked in role order for fast lookup
        self.u_attend = np.stack([model.streams.get(f"attendance:{r}").random((240, len(STEP_IDS)))[:n]
                                  for r in self.agents], axis=2)
        self._u_rows = self.u_attend.tolist()  # the same numbers as Python floats, quicker to read one at a time
        self.role_index = {r: i for i, r in enumerate(self.agents)}
        self.exec_record: list[bool] = []
        self.baseline: dict | None = None
        self.authorized: Plan | None = None
        self.authorized_demand: Plan | None = None
        self.open_issues: list[Issue] = []
        self.state: MonthState | None = None
        self._issue_seq = 0
        self.last_gap_flag = -99  # last month finance raised the gap to the AOP
        order = list(self.agents)
        # who is invited to each step, in role order, with the attendance draw's column (fixed for the run)
        self._invited = {step: (i, [(r, self.role_index[r], self.agents[r])
                                    for r in sorted(self.kb.participants(step), key=order.index)])
                         for i, step in enumerate(STEP_IDS)}
        self.meetings: dict[str, Meeting] = {step: cls(self) for step, cls in MEETINGS.items()}

    # --- helpers the meetings share ---------------------------------------------------
    def now(self) -> float:
        return self.model.env.now

    def attendance(self, step: str, month: int) -> tuple[list[str], list[str]]:
        """Who attends and who is absent, drawn from engagement and the executive's example."""
        # the executive's example over the last three meetings (the months before the run count
        # as attended), so a single absence dents attendance and a habit of absence erodes it
        recent = self.exec_record[-3:]
        credibility = 0.25 + 0.75 * (3 - len(recent) + sum(recent)) / 3
        s, roles = self._invited[step]
        present, absent = [], []
        u = self._u_rows[month][s]
        for role, k, agent in roles:
            p = agent.engagement if role == "executive_sponsor" else agent.engagement * credibility
            (present if u[k] < p else absent).append(role)
        return present, absent

    def agenda(self, items: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
        """Fit agenda items (label, kind) into the meeting; return reached and not reached."""
        used, reached, missed = 0, [], []
        for label, kind in items:
            used += ITEM_MINUTES[kind]
            (reached if used <= MEETING_MINUTES else missed).append(label)
        return reached, missed

    def review_items(self) -> list[tuple[str, str]]:
        """The volume items of a review: one per family, or one per SKU at SKU level."""
        if self.sc.planning_level == "sku":
            return [(f"{f.id} SKU {k + 1}", "sku") for f in self.sc.company.families for k in range(f.skus)]
        return [(f"{fid} volumes", "family") for fid in self.fam_ids]

    def ask(self, role: str, step: str, month: int, ctx: dict[str, Any], title: str = ""):
        """Ask a role for its decision at this step (a generator: a person may take time)."""
        model = self.model
        fields, suggested = self.agents[role].policy.propose(step, self.info.view(role, month), ctx)
        if not fields:
            return {}
        if model.answers_at_once(role):  # an agent takes its own suggestion: no decision point to build
            decision = fresh_copy(suggested)
            self.rec.choice(model.next_seq(), month, step, role, decision, True)
            return decision
        view = model.view_for(role, month, ctx) if model.wants_view(role) else {}
        point = DecisionPoint(model.next_seq(), role, step, month, fields, suggested, view, title)
        decision = yield from model.decide(point)
        self.rec.choice(point.seq, month, step, role, decision, decision == dict(suggested))
        return decision

    def draw(self, name: str, *keys: int | str | None) -> float:
        """A uniform number addressed by name (see :meth:`sop_sim.streams.Streams.uniform`)."""
        return self.model.streams.uniform(name, *keys)

    def new_issue(self, kind: str, month: int, step: str, summary: str, **kw: Any) -> Issue:
        self._issue_seq += 1
        return Issue(f"I{self._issue_seq}", kind, month, self.now(), step, summary, **kw)

    # --- the process --------------------------------------------------------------------
    def run(self):
        """SimPy process: every month, the five meetings on their days."""
        env = self.model.env
        for month in range(self.sc.months):
            self.state = MonthState(month)
            for step in STEP_IDS:
                day = month * DAYS_PER_MONTH + STEP_DAY[step]
                if env.now < day:
                    yield env.timeout(day - env.now)
                yield from self.meetings[step].run(month)
            self.rec.numbers(month, *self.numbers_in_use(month))
            self.rec.open_after_exec(month, sum(1 for i in self.open_issues if i.status == "open"))

    # --- numbers in use -----------------------------------------------------------------
    def numbers_in_use(self, month: int) -> tuple[dict[str, str], dict[str, str]]:
        """Which plan each function works from after this month's cycle: sentences and codes."""
        st = self.state
        auth = self.authorized
        current = auth is not None and auth.made_in == month
        plan_label = f"S&OP plan authorized in {month_label(auth.made_in)}" if auth is not None else None
        own_ops = self.sc.silos or auth is None
        ops = "operations' own forecast" if own_ops else plan_label
        codes = {"operations": "own" if own_ops else "authorized"}
        if self.sc.silos:
            return ({"sales": "sales' own forecast", "operations": ops,
                     "supply_chain": "supply chain's own usage history", "finance": "annual operating plan"},
                    {"sales": "own", **codes, "supply_chain": "own", "finance": "aop"})
        if current and st.demand is not None:
            sales, codes["sales"] = plan_label, "authorized"
        elif st.demand is not None:
            sales, codes["sales"] = f"consensus demand plan of {month_label(month)}", "consensus"
        else:
            sales, codes["sales"] = "sales' own forecast", "own"
        if st.supply_plan is not None:
            sc, codes["supply_chain"] = ((plan_label, "authorized") if current
                                         else (f"unauthorized supply plan of {month_label(month)}", "supply_unauthorized"))
        elif st.demand is not None:
            sc, codes["supply_chain"] = ((plan_label, "authorized") if current
                                         else (f"consensus demand plan of {month_label(month)}", "consensus"))
        else:
            sc, codes["supply_chain"] = "supply chain's own usage history", "own"
        fin_engaged = any(r["step"] in ("demand_review", "pre_sop") and "finance" in r["present"]
                          for r in self.rec.minutes_of(month))
        finance, codes["finance"] = ((plan_label, "authorized") if (current and fin_engaged)
                                     else ("annual operating plan", "aop"))
        return {"sales": sales, "operations": ops, "supply_chain": sc, "finance": finance}, codes
