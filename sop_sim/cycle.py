"""The monthly S&OP cycle: five meetings as one SimPy process.

Each month, on calendar days taken from :data:`sop_sim.config.STEP_DAY`:

1. ``data_gathering`` (process owner): compiles the recorded actuals into a data
   baseline and a statistical forecast. Skipped: later meetings reuse the old baseline.
2. ``demand_review`` (sales and marketing): statistical forecast + sales input +
   promotions, deals and the new-product date -> the unconstrained consensus demand
   plan in units and money. Skipped: the supply review plans from the bare forecast.
3. ``supply_review`` (operations and supply chain): checks the demand plan against
   labour, overtime and material, builds ahead of peaks, orders material and prices the
   options for any gap. Skipped: nobody checks capacity; the demand plan goes forward
   as the production plan and its gaps surface at execution.
4. ``pre_sop`` (process owner facilitates): finance puts the plan in money against the
   annual plan; issues are settled or escalated with options and a recommendation.
   Skipped: raw, unpriced issues go straight to the executives.
5. ``executive_sop`` (executive sponsor chairs): decides the escalations and
   authorizes one operating plan, which drives production from the next month.

Who leads and attends comes from the knowledge base; whether each person turns up is
drawn from the ``attendance`` stream and their engagement. Every effect is written in
the minutes (``Recorder.minutes``), the escalation log and the plan versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sop_sim import economics
from sop_sim.company import PROMO_DISCOUNT, PROMO_PULL_FORWARD
from sop_sim.config import DAYS_PER_MONTH, STEP_DAY, STEP_IDS
from sop_sim.decisions import DecisionPoint
from sop_sim.planning.alternatives import alternatives_input
from sop_sim.planning.forecast import forecast_all
from sop_sim.planning.supply import SupplyInputs, SupplyPlan, plan_supply

if TYPE_CHECKING:
    from sop_sim.model import SOPModel

MEETING_MINUTES = 120  # agenda time of every meeting
ITEM_MINUTES = {"family": 8, "sku": 4, "event": 10, "issue": 10, "prepared": 10, "raw": 20, "stale": 5}
PROMO_GAP_UPLIFT = 0.25
GUT_ORDER = ("hire", "outsource", "approve", "promote")  # unpriced options, the most service first
OUTSOURCE_COMMIT_MONTHS = 3  # outsourcing is contracted for the near term only; later gaps return  # size of the promotion finance proposes to close a gap to the AOP


@dataclass
class Issue:
    """Something a meeting could not settle alone; escalated ones go to the executives."""

    id: str
    kind: str  # capacity, overtime, npi_date, aop_gap
    month: int
    raised_day: float
    raised_at: str
    summary: str
    options: list[tuple[str, str, float]] = field(default_factory=list)  # (id, label, cost)
    recommendation: str | None = None
    needs_executive: bool = True
    prepared: bool = False
    status: str = "open"  # open, resolved, decided, closed
    closed_day: float | None = None
    choice: str | None = None
    payload: Any = None

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o[0] for o in self.options)


@dataclass
class Plan:
    """A plan version for months ``first`` .. ``first + len(units) - 1``."""

    version: str
    made_in: int
    first: int
    units: np.ndarray  # months x families
    label: str = ""

    def covers(self, month: int) -> bool:
        return self.first <= month < self.first + len(self.units)

    def at(self, month: int) -> np.ndarray:
        return self.units[month - self.first]


@dataclass
class MonthState:
    """The artefacts one month's cycle produces, step by step."""

    month: int
    baseline: dict | None = None
    stat: Plan | None = None
    demand: Plan | None = None  # consensus demand plan (None if no demand review)
    supply: SupplyPlan | None = None
    supply_plan: Plan | None = None
    issues: list[Issue] = field(default_factory=list)
    recommended: Plan | None = None


class SOPCycle:
    """Runs the five steps every month against the model's world and agents."""

    def __init__(self, model: SOPModel) -> None:
        self.model = model
        self.world = model.world
        self.sc = model.scenario
        self.kb = model.kb
        self.agents = model.agents
        self.rec = model.recorder
        self.H = self.sc.horizon_months
        self.fam_ids = self.sc.company.family_ids
        self.F = len(self.fam_ids)
        self.npi = [(f.id, f.npi_launch) for f in self.sc.company.families if f.npi_launch is not None]
        n = self.sc.months + 1
        att = model.streams.get("attendance").random((240, len(STEP_IDS), len(self.agents)))
        self.u_attend = att[:n]
        self.u_decide = model.streams.get("decisions").random((240, 16))[:n]
        self.role_index = {r: i for i, r in enumerate(self.agents)}
        self.exec_record: list[bool] = []
        self.baseline: dict | None = None
        self.authorized: Plan | None = None
        self.authorized_demand: Plan | None = None
        self.open_issues: list[Issue] = []
        self.state: MonthState | None = None
        self._issue_seq = 0
        self.last_gap_flag = -99  # last month finance raised the gap to the AOP

    # --- helpers ------------------------------------------------------------------
    def now(self) -> float:
        return self.model.env.now

    def attendance(self, step: str, month: int) -> tuple[list[str], list[str]]:
        """Who attends and who is absent, drawn from engagement and the executive's example."""
        # the executive's example over the last three meetings (the months before the run count
        # as attended), so a single absence dents attendance and a habit of absence erodes it
        recent = ([True, True, True] + self.exec_record)[-3:]
        credibility = 0.25 + 0.75 * sum(recent) / 3
        s = STEP_IDS.index(step)
        present, absent = [], []
        for role in sorted(self.kb.participants(step), key=list(self.agents).index):
            agent = self.agents[role]
            p = agent.engagement if role == "executive_sponsor" else agent.engagement * credibility
            (present if self.u_attend[month, s, self.role_index[role]] < p else absent).append(role)
        return present, absent

    def agenda(self, items: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
        """Fit agenda items (label, kind) into the meeting; return reached and not reached."""
        used, reached, missed = 0, [], []
        for label, kind in items:
            used += ITEM_MINUTES[kind]
            (reached if used <= MEETING_MINUTES else missed).append(label)
        return reached, missed

    def review_items(self) -> list[tuple[str, str]]:
        if self.sc.planning_level == "sku":
            return [(f"{f.id} SKU {k + 1}", "sku") for f in self.sc.company.families for k in range(f.skus)]
        return [(f"{fid} volumes", "family") for fid in self.fam_ids]

    def ask(self, role: str, step: str, month: int, ctx: dict[str, Any], title: str = ""):
        """Ask a role for its decision at this step (a generator: a person may take time)."""
        fields, suggested = self.agents[role].propose(step, ctx)
        if not fields:
            return {}
        view = self.model.view_for(role, month, ctx) if self.model.wants_view(role) else {}
        point = DecisionPoint(self.model.next_seq(), role, step, month, fields, suggested, view, title)
        decision = yield from self.model.decide(point)
        self.rec.choice(point, decision)
        return decision

    def new_issue(self, kind: str, month: int, step: str, summary: str, **kw: Any) -> Issue:
        self._issue_seq += 1
        return Issue(f"I{self._issue_seq}", kind, month, self.now(), step, summary, **kw)

    # --- the process --------------------------------------------------------------
    def run(self):
        """SimPy process: every month, the five steps on their days."""
        env = self.model.env
        for month in range(self.sc.months):
            self.state = MonthState(month)
            for step in STEP_IDS:
                day = month * DAYS_PER_MONTH + STEP_DAY[step]
                if env.now < day:
                    yield env.timeout(day - env.now)
                yield from getattr(self, step)(month)
            self.rec.numbers(month, self.numbers_in_use(month))
            self.rec.open_after_exec(month, sum(1 for i in self.open_issues if i.status == "open"))

    def _not_held(self, step: str, month: int, reason: str, notes: list[str], present=(), absent=()) -> None:
        if reason == "skipped by design":
            present, absent = (), ()  # nobody was invited
        self.rec.meeting(month, step, self.now(), held=False, status=reason, notes=notes,
                         present=present, absent=absent)

    # --- 1. data gathering --------------------------------------------------------
    def data_gathering(self, month: int):
        present, absent = self.attendance("data_gathering", month)
        if "data_gathering" in self.sc.skip_steps or "process_owner" not in present:
            why = "skipped by design" if "data_gathering" in self.sc.skip_steps else "not held: process owner absent"
            note = ("later meetings reuse the data baseline of month "
                    f"{self.baseline['month']}" if self.baseline else "later meetings have no data baseline")
            self._not_held("data_gathering", month, why, [note], present, absent)
            return
        hist = self.model.recorded_history(month)
        errors = self.model.recording_errors(month)
        inv, backlog = self.model.recorded_stock(month)
        self.baseline = {"month": month, "history": hist, "inventory": inv, "backlog": backlog}
        notes = [f"{errors} of {self.F} records for last month are off by more than 10%"] if errors else []
        if absent:
            notes += [f"{r} absent: its data was compiled without a check" for r in absent]
        self.rec.meeting(month, "data_gathering", self.now(), present=present, absent=absent,
                         outputs=["data_baseline"], inputs=["recorded actuals"], notes=notes,
                         decisions=[f"data baseline compiled from {len(hist)} months of history"],
                         actions=["process_owner: circulate the data baseline and forecast before the demand review"])
        yield from ()

    def _stat(self, month: int) -> Plan:
        """The statistical forecast for months ``month``..``month+H`` from the latest baseline."""
        base = self.baseline
        if base is None:  # no baseline ever: operations' view of history as of the start
            hist, cutoff = self.model.recorded_history(0), 0
        else:
            hist, cutoff = base["history"], base["month"]
        lead = month - cutoff
        fc = forecast_all(hist, cutoff, lead + self.H + 1)[lead:]
        return Plan("statistical", month, month, fc, label=f"statistical forecast (data of month {cutoff})")

    # --- 2. demand review ---------------------------------------------------------
    def demand_review(self, month: int):
        st = self.state
        st.stat = stat = self._stat(month)
        first, last = month + 1, month + self.H
        self.rec.plan(month, stat, "statistical")
        present, absent = self.attendance("demand_review", month)
        leads = self.kb.leads("demand_review")
        if "demand_review" in self.sc.skip_steps or not (leads & set(present)):
            why = "skipped by design" if "demand_review" in self.sc.skip_steps else "not held: no lead present"
            self._not_held("demand_review", month, why,
                           ["no consensus demand plan: the supply side plans from the statistical forecast"],
                           present, absent)
            return
        items = self.review_items() + [(d, "event") for d in ("promotions", "deals", "new products")]
        reached, missed = self.agenda(items)
        events_reached = {i for i in reached if i in ("promotions", "deals", "new products")}
        ctx = {"month": month, "first": first, "last": last, "families": self.fam_ids,
               "npi": self.npi[0] if self.npi else None, "forecast": stat}
        units = stat.units.copy()
        notes: list[str] = []
        decisions: list[str] = []
        world = self.world
        # new product: the launch curve from product development and marketing replaces a forecast
        # that has no history to go on
        launch_by = {}
        for fid, planned in self.npi:
            j = self.fam_ids.index(fid)
            launch = planned
            real = world.npi_launch[fid]
            if real <= month:  # launched: the date is a fact everyone can see
                launch = real
            elif "new products" in events_reached and "product_development" in present:
                d = yield from self.ask("product_development", "demand_review", month, ctx)
                launch = d.get("npi_launch_month", planned)
                decisions.append(f"{fid} launch confirmed for month {launch}")
            elif "new products" in events_reached and "marketing" in present:
                notes.append(f"product development absent: {fid} launch date taken from the original plan ({planned})")
            else:
                notes.append(f"no launch input: {fid} rests on the statistical forecast")
                continue
            launch_by[fid] = launch
            if month - launch < 12:
                for h in range(len(units)):
                    units[h, j] = world.mean_demand(month + h, j, launch=launch)
        base_units = units.copy()
        sales_adj = np.zeros(self.F)
        mkt_adj = np.zeros(self.F)
        sales_input = base_units.copy()
        if "sales" in present:
            d = yield from self.ask("sales", "demand_review", month, ctx)
            sales_adj = np.array([d["adjust_pct"][f] / 100.0 for f in self.fam_ids])
            sales_input = base_units * (1.0 + sales_adj)
            if d["include_deal"] and "deals" in events_reached:
                for dl in self.agents["sales"].news_in(month, first, last):
                    j = self.fam_ids.index(dl.family)
                    sales_input[dl.month - month, j] += dl.magnitude
                    units[dl.month - month, j] += dl.magnitude * dl.probability
                    decisions.append(f"deal for {dl.family} in month {dl.month} included at "
                                     f"{dl.probability:.0%} of {dl.magnitude:,.0f} units")
            elif self.agents["sales"].news_in(month, first, last):
                notes.append("a known customer deal was not put into the plan")
        else:
            notes.append("sales absent: no pipeline or customer input")
        if "marketing" in present:
            d = yield from self.ask("marketing", "demand_review", month, ctx)
            mkt_adj = np.array([d["adjust_pct"][f] / 100.0 for f in self.fam_ids])
            if d["include_promotion"] and "promotions" in events_reached:
                for pr in self.agents["marketing"].news_in(month, first, last):
                    j = self.fam_ids.index(pr.family)
                    h = pr.month - month
                    units[h, j] += pr.magnitude * base_units[h, j]
                    if h + 1 < len(units):
                        units[h + 1, j] -= 0.15 * pr.magnitude * base_units[h + 1, j]
                    decisions.append(f"promotion on {pr.family} in month {pr.month} included")
        else:
            notes.append("marketing absent: promotions and launches not reviewed")
        if missed:
            notes.append(f"agenda overran: {len(missed)} items not reached, including "
                         + ", ".join(m for m in missed if m in ("promotions", "deals", "new products"))
                         if set(missed) & {"promotions", "deals", "new products"}
                         else f"agenda overran: {len(missed)} items not reached")
        challenged = bool({"finance", "process_owner"} & set(present))
        weight = 0.25 if challenged else 1.0
        units = np.maximum(units + base_units * (weight * sales_adj + mkt_adj), 0.0)
        if not challenged and sales_adj.any():
            notes.append("nobody challenged the sales adjustment: its bias passes into the plan")
        elif sales_adj.any():
            decisions.append("sales adjustment challenged against forecast accuracy: a quarter of it kept")
        st.demand = Plan("consensus", month, month, units, label=f"consensus demand plan of month {month}")
        self.rec.plan(month, Plan("sales_input", month, month, sales_input), "sales_input")
        self.rec.plan(month, st.demand, "consensus")
        money = float((units[1:13] * np.array(world.price)).sum())
        if "finance" in present:
            decisions.append(f"finance: next 12 months of demand worth {money:,.0f}")
        actions = ["sales, marketing: hand the consensus demand plan to the supply review"]
        if "finance" in present:
            actions.append("finance: update the revenue projection from the demand plan")
        self.rec.meeting(month, "demand_review", self.now(), present=present, absent=absent,
                         inputs=["data_baseline" if self.baseline else "no data baseline", "npi_schedule"],
                         outputs=["demand_plan"], decisions=decisions, notes=notes, actions=actions)

    # --- 3. supply review ---------------------------------------------------------
    def _opening(self, demand: np.ndarray) -> list[float]:
        inv, backlog = (self.baseline["inventory"], self.baseline["backlog"]) if self.baseline else \
            (self.world.inventory, self.world.backlog)
        plan_now = self.world.plan_in_force.production
        return [inv[j] - backlog[j] + plan_now[j] - demand[0][j] for j in range(self.F)]

    def _netted(self, demand: np.ndarray) -> np.ndarray:
        """What a master schedule makes without a supply review: demand plus safety stock, net of stock.

        It nets the projected stock and backorders month by month (a chase of demand). What it
        does not do is look ahead: no capacity check, no pre-build, no hires, no overtime plan.
        """
        stock = np.array(self._opening(demand), dtype=float)
        dem = np.maximum(demand[1:], 0.0)
        safety = self.world.plant.safety_months
        out = np.zeros_like(dem)
        for h in range(len(dem)):
            nxt = dem[h + 1] if h + 1 < len(dem) else dem[h]
            q = np.maximum(0.0, dem[h] + safety * nxt - stock)
            stock = stock + q - dem[h]
            out[h] = q
        return out

    def supply_review(self, month: int):
        st = self.state
        world = self.world
        demand = st.demand if (st.demand is not None and not self.sc.silos) else st.stat
        present, absent = self.attendance("supply_review", month)
        leads = self.kb.leads("supply_review")
        held = "supply_review" not in self.sc.skip_steps and bool(leads & set(present))
        if not held:
            why = "skipped by design" if "supply_review" in self.sc.skip_steps else "not held: no lead present"
            self._order_material_routine(month, demand)
            self._not_held("supply_review", month, why,
                           ["no capacity check: the plan has not been tested against labour, overtime or material",
                            "no workforce plan: hiring happens only when overtime runs out"], present, absent)
            return
        reached, missed = self.agenda(self.review_items() + [("capacity", "issue"), ("materials", "issue")])
        ctx = {"month": month, "first": month + 1, "last": month + self.H, "families": self.fam_ids}
        ops = {"strategy": "chase", "allow_overtime": True, "prebuild": False}
        if "operations" in present:
            ops = yield from self.ask("operations", "supply_review", month, ctx)
        if "capacity" not in reached:
            ops = {**ops, "prebuild": False}
        sc_dec = {"buffer_pct": 10.0, "prebuy": False}
        if "supply_chain" in present:
            sc_dec = yield from self.ask("supply_chain", "supply_review", month, ctx)
        notes: list[str] = []
        decisions: list[str] = []
        first = month + 1
        months = range(first, first + self.H)
        ot_share = [world.plant.overtime_share] * self.H
        if "finance" in present:
            ot_share = [world.overtime_share(t) for t in months]  # finance knows the budget
        elif any(world.overtime_share(t) < world.plant.overtime_share for t in months):
            notes.append("finance absent: the plan assumes the full overtime budget")
        dem = demand.units
        inp = SupplyInputs(
            first=first, demand=dem[1:].tolist(), opening=self._opening(dem),
            hours_per_unit=world.hours_per_unit, unit_cost=world.unit_cost, material_cost=world.material_cost,
            price=world.price, workers=[world.workers_at(t) for t in months],
            hours_per_worker=world.plant.hours_per_worker, wage=world.plant.wage,
            capacity_factor=[1.0] * self.H, overtime_share=ot_share, safety_months=world.plant.safety_months,
            hire_lead=world.plant.hire_lead_months - 1, outsource_lead=world.plant.outsource_lead_months - 1,
            hire_cost=world.plant.hire_cost, overtime_premium=world.plant.overtime_premium,
            outsource_premium=world.plant.outsource_premium, strategy=ops["strategy"],
            scheduled=[world.outsource_due.get(t, [0] * self.F) for t in months],
            outsource_cap_hours=world.plant.outsource_capacity_hours,
            allow_overtime=ops["allow_overtime"], allow_prebuild=ops["prebuild"],
            late_freight_rate=world.plant.late_freight_rate,
        )
        plan = plan_supply(inp)
        self._record_alternatives(month, dem[1:], inp)
        if "human_resources" not in present and plan.options:
            plan.options = [o for o in plan.options if o.id != "hire"]
            notes.append("human resources absent: hiring could not be assessed")
        st.supply = plan
        base = np.array(plan.production)
        decisions.append("operations compared level, chase and hybrid workforce plans for the horizon "
                         "(priced in Result.alternatives)")
        decisions.append(f"{ops['strategy']} strategy; {plan.prebuilt_hours:,.0f} hours built ahead of peaks; "
                         f"{sum(plan.overtime_hours):,.0f} overtime hours planned")
        if plan.level_hires:
            decisions.append(f"level plan needs {plan.level_hires} more workers (part of the capacity issue)")
        rec = plan.recommended()
        shown = base.copy()
        if rec is not None and rec.extra_production:
            shown = shown + np.array(rec.extra_production)
        st.supply_plan = Plan("supply", month, first, shown, label=f"supply plan of month {month}")
        self.rec.plan(month, st.supply_plan, "supply")
        if plan.options and "capacity" in reached:
            iss = self.new_issue("capacity", month, "supply_review",
                                 f"{plan.gap_units:,} units of demand do not fit the plant in the next {self.H} months",
                                 options=[(o.id, o.label, o.cost) for o in plan.raw_options],
                                 recommendation=rec.id if rec else None, payload=plan)
            st.issues.append(iss)
        elif plan.options:
            notes.append(f"agenda overran before the capacity gap ({plan.gap_units:,} units) was discussed")
        if sum(plan.overtime_hours) > 0:
            st.issues.append(self.new_issue("overtime", month, "supply_review",
                                            f"approve {sum(plan.overtime_hours):,.0f} overtime hours",
                                            options=[("approve", "Approve the overtime", 0.0)],
                                            recommendation="approve", needs_executive=False))
        self._order_material(month, base, sc_dec, notes, decisions)
        if missed:
            notes.append(f"agenda overran: {len(missed)} items not reached")
        actions = [f"operations: take {i.id} ({i.kind}) to the pre-S&OP with its options" for i in st.issues]
        actions.append(f"supply_chain: confirm the material order for month {month + world.plant.material_lead_months}"
                       " with suppliers")
        self.rec.meeting(month, "supply_review", self.now(), present=present, absent=absent,
                         inputs=["demand_plan" if demand.version == "consensus" else "statistical forecast"],
                         outputs=["supply_plan", "material_plan", "workforce_plan"],
                         decisions=decisions, notes=notes, escalations=[i.id for i in st.issues], actions=actions)

    def _record_alternatives(self, month: int, demand: np.ndarray, inp: SupplyInputs) -> None:
        """Keep what operations needs to price level, chase and hybrid plans (priced on request)."""
        w = self.world
        p = w.plant
        hpu = np.array(w.hours_per_unit)
        hours = demand @ hpu
        mix = demand.sum(axis=0)
        mix_hours = float(mix @ hpu) or 1.0
        per_hour = lambda values: float(mix @ np.array(values)) / mix_hours  # noqa: E731
        self.rec.alternatives.append(alternatives_input(
            month, hours.tolist(), w.workers_at(month + 1), p.safety_months * float(hours[0]),
            {"hours_per_worker": p.hours_per_worker, "wage": p.wage, "hire_cost": p.hire_cost,
             "overtime_premium": p.overtime_premium, "overtime_share": inp.overtime_share[0],
             "carrying_per_hour": per_hour(w.unit_cost) * p.carrying_rate,
             "outsource_per_hour": per_hour(w.unit_cost) * (1 + p.outsource_premium),
             "outsource_cap_hours": p.outsource_capacity_hours,
             "lost_per_hour": per_hour([pr - mc for pr, mc in zip(w.price, w.material_cost, strict=True)])},
        ))

    def _net_material(self, arrive: int, use_before: np.ndarray, need: np.ndarray) -> np.ndarray:
        """Material to order now for ``arrive``: ``need`` less what is on hand or due by then, net of use."""
        pos = np.array(self.world.material_position(arrive - 1), dtype=float) - use_before
        return np.maximum(0, np.round(need - pos)).astype(int)

    def _order_material(self, month, production, sc_dec, notes, decisions):
        """Supply chain orders material to arrive after the lead time, for the supply plan."""
        world = self.world
        arrive = month + world.plant.material_lead_months
        h = arrive - (month + 1)
        if h >= len(production):
            return
        if self.sc.silos:
            qty = self._own_material_order(month)
            notes.append("silos: supply chain ordered material from its own usage history, not the supply plan")
        else:
            use_before = np.array(world.plan_in_force.production, dtype=float)
            if h > 0:
                use_before = use_before + production[:h].sum(axis=0)
            qty = self._net_material(arrive, use_before, production[h] * (1.0 + sc_dec["buffer_pct"] / 100.0))
            if sc_dec["prebuy"]:
                for d in self.agents["supply_chain"].news(month):
                    if d.kind == "supplier_disruption" and d.month == arrive + 1 and h + 1 < len(production):
                        j = self.fam_ids.index(d.family)
                        extra = int(round(production[h + 1][j] * d.magnitude * 1.1))
                        qty[j] += extra
                        decisions.append(f"{extra:,} units of {d.family} material brought forward ahead of "
                                         f"the supplier problem in month {d.month}")
        world.order_material(arrive, qty.tolist())
        decisions.append(f"material ordered for month {arrive}: {int(qty.sum()):,} units")

    def _own_material_order(self, month: int) -> np.ndarray:
        """Supply chain's own numbers: recent usage plus 10 %, less the position."""
        arrive = month + self.world.plant.material_lead_months
        recent = self.model.recent_usage()
        return self._net_material(arrive, recent * (arrive - month), recent * 1.1)

    def _order_material_routine(self, month: int, demand: Plan) -> None:
        """No supply review: supply chain's routine orders from the best plan there is."""
        arrive = month + self.world.plant.material_lead_months
        if self.sc.silos or demand is None:
            qty = self._own_material_order(month)
        else:
            h = arrive - month
            if h >= len(demand.units):
                return
            use_before = np.array(self.world.plan_in_force.production, dtype=float) + demand.units[1:h].sum(axis=0)
            qty = self._net_material(arrive, use_before, demand.units[h] * 1.1)
        self.world.order_material(arrive, qty.tolist())

    # --- 4. pre-S&OP --------------------------------------------------------------
    def _aop_gap(self, month: int) -> float:
        """Finance's view: the next 12 months' revenue against the AOP (positive = short).

        Revenue is projected as the demand plan in money, less the units the supply plan
        says the plant cannot make (its residual gap before any option is chosen).
        """
        st = self.state
        world = self.world
        demand = (st.demand or st.stat).units[1:13]
        n = len(demand)
        price = np.array(world.price)
        proj = float((demand * price).sum())
        if st.supply is not None:
            proj -= float((np.array(st.supply.residual_units[:n]) * price).sum())
        aop = world.aop_revenue_between(month + 1, month + 1 + n)
        return 1.0 - proj / aop if aop else 0.0

    def pre_sop(self, month: int):
        st = self.state
        present, absent = self.attendance("pre_sop", month)
        held = "pre_sop" not in self.sc.skip_steps and "process_owner" in present
        if not held:
            why = "skipped by design" if "pre_sop" in self.sc.skip_steps else "not held: process owner absent"
            for iss in st.issues:
                iss.prepared = False
                iss.recommendation = None
                self.open_issues.append(iss)
            self._not_held("pre_sop", month, why,
                           [f"{len(st.issues)} raw issues go to the executives without options or a recommendation"]
                           if st.issues else ["no reconciliation of demand, supply and finance"], present, absent)
            return
        notes: list[str] = []
        decisions: list[str] = []
        gap = self._aop_gap(month)
        # a gap-closing action needs a quarter to show in the numbers before finance asks again
        ctx = {"month": month, "aop_gap": gap if month - self.last_gap_flag >= 3 else 0.0, "issues": st.issues}
        finance_here = "finance" in present
        if finance_here:
            d = yield from self.ask("finance", "pre_sop", month, ctx)
            decisions.append(f"finance: the next 12 months project {abs(gap):.1%} "
                             f"{'below' if gap > 0 else 'above'} the annual operating plan")
            if d["flag_gap"] and gap > 0:
                iss, line = self._gap_issue(month, gap)
                decisions.append(line)
                if iss is not None:
                    st.issues.append(iss)
                self.last_gap_flag = month
        else:
            notes.append("finance absent: the plan was not translated into money or checked against the AOP")
        ctx["issues"] = st.issues
        decision = yield from self.ask("process_owner", "pre_sop", month, ctx)
        escalate = set(decision.get("escalate", []))
        reached, missed = self.agenda(self.review_items() + [(i.id, "issue") for i in st.issues])
        for iss in st.issues:
            if iss.id in escalate and iss.id in reached:
                iss.prepared = finance_here
                if not finance_here:
                    iss.recommendation = None
                elif iss.kind == "capacity":
                    decisions.append(self._price_capacity(iss))
                self.open_issues.append(iss)
            elif iss.id in reached:
                iss.status, iss.closed_day = "resolved", self.now()
                iss.choice = "accept" if iss.kind in ("capacity", "aop_gap") else (iss.recommendation or "accept")
                decisions.append(f"{iss.id} ({iss.kind}) settled here: {iss.choice}")
            else:
                iss.prepared, iss.recommendation = False, None
                self.open_issues.append(iss)
                notes.append(f"{iss.id} not reached: passed on raw")
        st.recommended = st.supply_plan or st.demand or st.stat
        sent = [i for i in st.issues if i.status == "open"]
        actions = [f"process_owner: put {i.id} ({i.kind}) on the executive agenda"
                   + (f" with options and the recommendation '{i.recommendation}'" if i.prepared else ", unpriced")
                   for i in sent]
        self.rec.meeting(month, "pre_sop", self.now(), present=present, absent=absent,
                         inputs=["demand_plan" if st.demand else "statistical forecast",
                                 "supply_plan" if st.supply_plan else "no supply plan", "financial_projection"],
                         outputs=["recommended_plan"], decisions=decisions, notes=notes,
                         escalations=[i.id for i in sent], actions=actions)

    def _price_capacity(self, iss: Issue) -> str:
        """Finance prices operations' options with their full effect and sizes the hire to pay best."""
        plan: SupplyPlan = iss.payload
        iss.options = [(o.id, o.label, o.cost) for o in plan.options]
        best = plan.recommended()
        iss.recommendation = best.id if best else None
        priced = "; ".join(f"{o.id} {o.cost:,.0f}" for o in plan.options)
        return f"finance priced {iss.id} (capacity) against the margin: {priced}; recommended: {iss.recommendation}"

    def _gap_issue(self, month: int, gap: float) -> tuple[Issue | None, str]:
        """Finance's gap-closing option: a promotion, priced with its full effect on the margin.

        The family is the most profitable one in its low season two months out. Finance
        prices the promotion (:func:`sop_sim.economics.promotion`: the discount on the
        whole month's volume, the extra units, the dip the month after); extra units cost
        their material when the supply plan has idle hours that month, and overtime too
        when it has not. Finance proposes it only when it adds to the margin; otherwise
        the minutes record the price and the outlook is revised (accept the gap).
        """
        world = self.world
        st = self.state
        p = world.plant
        target = month + 2
        cands = [j for j, f in enumerate(self.sc.company.families)
                 if f.npi_launch is None and f.seasonality[target % 12] <= 1.0]
        if not cands:
            return None, "finance: no family has a low season to promote in; the outlook is revised"
        h = target - (month + 1)
        room = st.supply is not None and h < len(st.supply.residual_units) and \
            sum(st.supply.residual_units[h]) < 0.5 and st.supply.overtime_hours[h] <= 0.0
        j = max(cands, key=lambda k: (world.price[k] - world.unit_cost[k]) * world.mean_demand(target, k))
        base = world.mean_demand(target, j)
        variable = world.material_cost[j] + (0.0 if room else world.hours_per_unit[j] * p.wage * p.overtime_premium)
        priced = economics.promotion(world.price[j], variable, base, PROMO_GAP_UPLIFT, PROMO_DISCOUNT,
                                     PROMO_PULL_FORWARD, world.mean_demand(target + 1, j))
        what = f"a promotion on {self.fam_ids[j]} in month {target}"
        if priced.cost >= 0:
            return None, (f"finance priced {what}: it would take {priced.cost:,.0f} from the margin "
                          f"({priced.explain()}); not proposed, the outlook is revised")
        extra = PROMO_GAP_UPLIFT * base
        options = [("promote", f"Run {what} (about {extra:,.0f} more units; {priced.explain()})", priced.cost),
                   ("accept", "Accept the gap and revise the financial outlook", 0.0)]
        iss = self.new_issue("aop_gap", month, "pre_sop", f"revenue runs {gap:.1%} below the annual operating plan",
                             options=options, recommendation="promote", payload=(target, j, extra))
        return iss, f"finance priced {what}: it adds {-priced.cost:,.0f} to the margin ({priced.explain()})"

    # --- 5. executive S&OP --------------------------------------------------------
    def executive_sop(self, month: int):
        st = self.state
        present, absent = self.attendance("executive_sop", month)
        if "executive_sop" in self.sc.skip_steps:
            self._not_held("executive_sop", month, "skipped by design",
                           ["no authorized plan: each function keeps to its own numbers"])
            return
        exec_here = "executive_sponsor" in present
        self.exec_record.append(exec_here)
        pending = [i for i in self.open_issues if i.status == "open"]
        if not exec_here:
            self._not_held("executive_sop", month, "not held: executive sponsor absent",
                           [f"{len(pending)} escalations stay open", "the plan is not authorized: operations keeps "
                            "to the last authorized plan, other functions to their own numbers"], present, absent)
            return
        stale = [i for i in pending if i.month < month]
        items = self.review_items() if self.sc.planning_level == "sku" else [("plan", "family")]
        items += [(i.id, "stale" if i in stale else ("prepared" if i.prepared else "raw")) for i in pending]
        reached, missed = self.agenda(items)
        on_table = [i for i in pending if i.id in reached]
        ctx = {"month": month, "escalations": on_table}
        for k, iss in enumerate(on_table):
            if not iss.prepared:
                # an unprepared issue: each time it is on the table the executive may settle it on
                # gut feel or send it back for analysis. Nobody priced the options, so nothing weighs
                # their cost against the service they promise: the one that closes most of the gap wins.
                can = self.u_decide[month, k % 16] < 0.5
                ids = iss.option_ids
                pick = next((o for o in GUT_ORDER if o in ids), ids[0] if ids else None)
                iss.recommendation = pick if can else None
        decision = yield from self.ask("executive_sponsor", "executive_sop", month, ctx)
        choices = decision.get("choices", {})
        decisions: list[str] = []
        notes = [f"agenda overran: {len(missed)} items not reached"] if missed else []
        hires = 0
        for iss in on_table:
            choice = choices.get(iss.id, "defer")
            if iss in stale and choice != "defer" and iss.kind == "capacity":
                choice = "closed"  # overtaken by a newer capacity issue
            if choice == "defer":
                notes.append(f"{iss.id} ({iss.kind}) deferred: " +
                             ("sent back for analysis" if not iss.prepared else "no decision"))
                continue
            iss.status, iss.closed_day, iss.choice = "decided", self.now(), choice
            decisions.append(f"{iss.id} ({iss.kind}): {choice}")
            hires += self._apply(iss, choice, month)
        authorize = decision.get("authorize", True)
        candidate = st.recommended or st.supply_plan or st.demand or st.stat
        if authorize and candidate is not None:
            self._authorize(month)
            decisions.append(f"plan authorized: {candidate.label or candidate.version}"
                             + ("" if st.recommended is not None else " (not reconciled at a pre-S&OP)"))
        if hires:
            d = yield from self.ask("human_resources", "executive_sop", month, {"authorized_hires": hires})
            n = self.world.hire(d.get("hires", hires), month)
            decisions.append(f"human resources starts recruiting {n} workers (productive in month "
                             f"{month + self.world.plant.hire_lead_months})")
        actions = [f"{self._owner_of(iss)}: carry out '{iss.choice}' on {iss.id} ({iss.kind})"
                   for iss in on_table if iss.status == "decided" and iss.closed_day == self.now()]
        if authorize:
            actions.append(f"all functions: work to the authorized plan from month {month + 1}")
        self.rec.meeting(month, "executive_sop", self.now(), present=present, absent=absent,
                         inputs=["recommended_plan" if st.recommended is not None else "unreconciled plans",
                                 "financial_projection"],
                         outputs=["authorized_plan"] if authorize else [], decisions=decisions, notes=notes,
                         actions=actions)

    @staticmethod
    def _owner_of(iss: Issue) -> str:
        return {"capacity": "operations, human_resources", "aop_gap": "marketing, finance"}.get(iss.kind, "operations")

    def _apply(self, iss: Issue, choice: str, month: int) -> int:
        """Carry out an executive decision; return hires authorized."""
        world = self.world
        if iss.kind == "capacity" and choice in ("hire", "outsource"):
            plan: SupplyPlan = iss.payload
            opt = plan.option(choice, iss.prepared)
            for h, row in enumerate(opt.outsource[:OUTSOURCE_COMMIT_MONTHS]):
                if any(row) and iss.month + 1 + h >= month + world.plant.outsource_lead_months:
                    world.order_outsourcing(iss.month + 1 + h, row)
            if choice == "hire" and iss.month == month and self.state.supply_plan is not None:
                self.state.supply_plan.units = np.array(plan.production) + np.array(opt.extra_production)
            return opt.hires if iss.month == month else 0
        if iss.kind == "aop_gap" and choice == "promote" and iss.payload is not None:
            target, j, extra = iss.payload
            if target > month:
                # marketing runs it; the plan makes the extra units and supply chain buys their material
                world.add_promotion(target, j, PROMO_GAP_UPLIFT)
                st = self.state
                if st.demand is not None and iss.month == month:
                    st.demand.units[target - month, j] += extra
                if st.supply_plan is not None and st.supply_plan.covers(target):
                    st.supply_plan.units[target - st.supply_plan.first, j] += extra
                qty = [0] * self.F
                qty[j] = round(extra)
                world.order_material(target, qty)
        return 0

    def _authorize(self, month: int) -> None:
        st = self.state
        plan = st.supply_plan
        if plan is None:  # no supply review: the master schedule nets the demand plan against stock
            src = st.demand or st.stat
            plan = Plan("supply", month, month + 1, self._netted(src.units))
        self.authorized = Plan("authorized", month, plan.first, np.round(plan.units),
                               label=f"S&OP plan authorized in month {month}")
        self.authorized_demand = st.demand or st.stat
        self.rec.plan(month, self.authorized, "authorized")

    # --- numbers in use -----------------------------------------------------------
    def numbers_in_use(self, month: int) -> dict[str, str]:
        """Which plan each function works from after this month's cycle."""
        st = self.state
        auth = self.authorized
        current = auth is not None and auth.made_in == month
        plan_label = f"S&OP plan {auth.made_in}" if auth is not None else None
        ops = "operations' own forecast" if (self.sc.silos or auth is None) else plan_label
        if self.sc.silos:
            return {"sales": "sales' own forecast", "operations": ops,
                    "supply_chain": "supply chain's own usage history", "finance": "annual operating plan"}
        sales = plan_label if current and st.demand is not None else (
            f"consensus demand plan {month}" if st.demand is not None else "sales' own forecast")
        if st.supply_plan is not None:
            sc = plan_label if current else f"unauthorized supply plan {month}"
        elif st.demand is not None:
            sc = plan_label if current else f"consensus demand plan {month}"
        else:
            sc = "supply chain's own usage history"
        fin_engaged = any(r["step"] in ("demand_review", "pre_sop") and "finance" in r["present"]
                          for r in self.rec.minutes_of(month))
        finance = plan_label if (current and fin_engaged) else "annual operating plan"
        return {"sales": sales, "operations": ops, "supply_chain": sc, "finance": finance}
