"""The physical world: demand, plant, materials, workforce and the books.

:class:`World` owns the company's state and runs execution as a SimPy process in
five-day buckets (six per 30-day month): material and outsourced receipts, production
within labour and material limits, and shipments against orders and backlog. It does
no planning: at the start of each month it executes whatever production plan the
organisation has put *in force* (``World.plan_in_force``), and it records what
happened so that every effect can be traced to a plan or a meeting.

Rules a learner can check in the period table:

* Books balance: ``inventory_begin + produced - shipped = inventory_end`` per family
  and month, where ``produced = made + outsourced``.
* Shipments serve the oldest backorders first, then new orders. An order filled in the
  bucket it arrives counts towards the fill rate; a backorder ships late, by express
  freight at the company's cost (``late_freight_cost``).
* Customers wait up to one month: backorders still open at the end of the month after
  the one they were placed in are cancelled (``lost_sales``).
* Production needs one unit of the family's key material per unit. When material is
  short, supply chain expedites the gap; it arrives in the next bucket at a premium.
* Overtime is used when the month's target needs more hours than the regular shift,
  up to the overtime cap; what still does not fit is not made.
* Stock is money: every month-end records the value of finished goods (at standard
  cost) and of material (at cost), the capital charge on it and the part of it that
  will not sell in time (see :mod:`sop_sim.economics`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sop_sim.config import DAYS_PER_MONTH, Disturbance, Scenario
from sop_sim.economics import excess_stock_value
from sop_sim.market import HISTORY_MONTHS, PROMO_PULL_FORWARD, Market
from sop_sim.streams import Streams

__all__ = ["BUCKETS_PER_MONTH", "BUCKET_DAYS", "HISTORY_MONTHS", "PROMO_DISCOUNT", "PROMO_PULL_FORWARD",
           "MonthBooks", "PlanInForce", "World"]

if TYPE_CHECKING:
    import simpy

BUCKETS_PER_MONTH = 6
BUCKET_DAYS = DAYS_PER_MONTH // BUCKETS_PER_MONTH
PROMO_DISCOUNT = 0.10
_MAX_MONTHS = 240  # random draws per stream are this long, so runs of any length share them


def _split(total: int, parts: int) -> list[int]:
    """Split an integer total into ``parts`` near-equal integers (largest first)."""
    q, r = divmod(int(total), parts)
    return [q + 1] * r + [q] * (parts - r)


@dataclass
class PlanInForce:
    """What execution follows in a month: production targets and where they came from."""

    production: list[int]
    source: str  # e.g. "authorized plan of month 5" or "operations' own forecast"


@dataclass
class MonthBooks:
    """Running totals of one month, per family (lists) and for the plant."""

    orders: list[int]
    filled: list[int]  # shipped from stock in the bucket the order arrived
    made: list[int]
    outsourced: list[int]
    expedited: list[int]
    revenue: list[float]
    begin: list[int]
    late: list[int] = field(default_factory=list)
    regular_hours: float = 0.0
    overtime_hours: float = 0.0
    capacity_hours: float = 0.0
    hires_started: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def shipped(self) -> list[int]:
        """Units shipped: new orders filled from stock plus backorders shipped late."""
        return [f + s for f, s in zip(self.filled, self.late, strict=True)]


def excess_value(world: World, month: int, j: int) -> float:
    """Value of family ``j``'s stock at the end of ``month`` beyond the cover window.

    The window is the next ``company.excess_cover_months`` months of expected demand
    (trend, season and launch, no noise): the demand a CFO's provision is based on.
    """
    if world._cover_launch != world.npi_launch:  # a launch slipped during the run: the sums are stale
        world._cover.clear()
        world._cover_launch = dict(world.npi_launch)
    window = world.company.excess_cover_months
    cum = world._cover.get(j)
    if cum is None:  # running sums of expected demand, so a window is one subtraction
        cum = [0.0]
        for t in range(world.months + window + 1):
            cum.append(cum[-1] + world.mean_demand(t, j))
        world._cover[j] = cum
    first = max(0, month + 1)
    return excess_stock_value(world.inventory[j], world.material[j], cum[first + window] - cum[first],
                              world.unit_cost[j], world.material_cost[j])


class World(Market):
    """State and execution of the fictional company.

    Parameters
    ----------
    scenario:
        Gives the company, the disturbances and the run length.
    streams:
        Named random streams; the world draws from ``demand:<family>`` once, at
        construction, and whether a deal signs by the deal's name (``Streams.uniform``),
        so draws never depend on decisions or on an event's place in the list.
    """

    def __init__(self, scenario: Scenario, streams: Streams) -> None:
        self.scenario = scenario
        self.company = company = scenario.company
        self.plant = company.plant
        self.families = company.families
        self.F = len(self.families)
        self.months = scenario.months
        fams = self.families
        self.price = [f.price for f in fams]
        self.material_cost = [f.material_cost for f in fams]
        self.hours_per_unit = [f.hours_per_unit for f in fams]
        self.unit_cost = [f.material_cost + f.hours_per_unit * self.plant.wage for f in fams]
        n = HISTORY_MONTHS + self.months + 40
        # --- demand: means, noise and events --------------------------------------
        self.npi_launch = {f.id: f.npi_launch for f in fams if f.npi_launch is not None}
        for d in scenario.disturbances:
            if d.kind == "npi_slip" and d.family in self.npi_launch:
                self.npi_launch[d.family] = d.month  # the real launch month
        self.noise = np.empty((n, self.F))
        for j, fam in enumerate(fams):
            z = streams.get(f"demand:{fam.id}").standard_normal(HISTORY_MONTHS + _MAX_MONTHS)[:n]
            sigma = np.sqrt(np.log1p(fam.cv**2))
            self.noise[:, j] = np.exp(sigma * z - sigma**2 / 2)
        self._noise_rows = self.noise.tolist()
        self._streams = streams
        self.deal_signed: dict[int, bool] = {}  # position in the disturbances -> signed
        self.events: dict[str, list[Disturbance]] = {}
        for i, d in enumerate(scenario.disturbances):
            self.events.setdefault(d.kind, []).append(d)
            if d.kind == "deal":
                self.deal_signed[i] = self.deal_signs(d)
        self._actual: dict[int, list[int]] = {}
        self.promo: dict[tuple[int, int], float] = {}  # (month, family index) -> uplift
        self._aop_units: dict[tuple[int, int], float] = {}  # memo of aop_units
        self._aop_revenue: dict[int, float] = {}  # memo of aop_revenue_between, per month
        self._level: list[dict[int, float]] = [{} for _ in fams]  # memo of mean_demand's trend x season
        for d in scenario.disturbances:
            if d.kind == "promotion":
                self.add_promotion(d.month, self.family_index(d.family), d.magnitude)
        self.history = [self.actual_demand(t) for t in range(-HISTORY_MONTHS, 0)]
        # --- state ---------------------------------------------------------------
        self.workers = self.plant.workers
        self.hires_due: dict[int, int] = {}
        mean0 = [self.mean_demand(0, j, planned=True) for j in range(self.F)]
        self.inventory = [round(m * self.plant.safety_months) for m in mean0]
        self.backlog = [0] * self.F
        self.material = [round(m * 0.5) for m in mean0]
        self.material_due: dict[int, list[int]] = {  # orders already with the supplier when the run starts
            t: [round(self.mean_demand(t, j, planned=True)) for j in range(self.F)]
            for t in range(self.plant.material_lead_months)
        }
        self.outsource_due: dict[int, list[int]] = {}
        self.expedite_due: dict[tuple[int, int], list[int]] = {}
        self.plan_in_force = PlanInForce([round(m) for m in mean0], "opening plan")
        self._cover: dict[int, list[float]] = {}  # running sums of mean_demand per family; a slip clears them
        self._cover_launch = dict(self.npi_launch)
        self._excess_begin = [excess_value(self, -1, j) for j in range(self.F)]
        self._books_month = -1
        self._hires_unbooked = 0  # hires started between two months, booked in the next one
        self.period_records: list[dict] = []
        self.plant_records: list[dict] = []
        self.month = 0
        self.books: MonthBooks | None = None
        self.on_month_start = None  # set by the model: puts a plan in force for the month

    # --- workforce (demand and the event calendar: see sop_sim.market.Market) --------
    def workers_at(self, month: int) -> int:
        """Workers on the line in ``month``, counting hires already in the pipeline."""
        due = self.hires_due
        if not due:  # the usual case, asked for every planned month at every supply review
            return self.workers
        return self.workers + sum(n for t, n in due.items() if t <= month)

    # --- actions taken by the organisation -----------------------------------------
    def hire(self, n: int, month_now: int) -> int:
        """Start recruiting ``n`` workers; they are productive after the lead time."""
        n = max(int(n), 0)
        if n:
            due = month_now + self.plant.hire_lead_months
            self.hires_due[due] = self.hires_due.get(due, 0) + n
            if self.books is not None and self._books_month == month_now:
                self.books.hires_started += n
            else:  # decided before the month's books are open: charged in that month
                self._hires_unbooked += n
        return n

    def order_material(self, arrive_month: int, qty: list[int]) -> None:
        row = self.material_due.setdefault(arrive_month, [0] * self.F)
        for j, q in enumerate(qty):
            row[j] += max(0, int(q))

    def order_outsourcing(self, arrive_month: int, qty: list[int]) -> None:
        row = self.outsource_due.setdefault(arrive_month, [0] * self.F)
        for j, q in enumerate(qty):
            row[j] += max(0, int(q))

    def material_position(self, upto_month: int) -> list[int]:
        """Material on hand plus everything due to arrive up to and including ``upto_month``."""
        pos = list(self.material)
        for t, row in self.material_due.items():
            if t <= upto_month:
                for j in range(self.F):
                    pos[j] += row[j]
        for (t, _b), row in self.expedite_due.items():
            if t <= upto_month:
                for j in range(self.F):
                    pos[j] += row[j]
        return pos

    # --- execution ----------------------------------------------------------------
    def execute(self, env: simpy.Environment):
        """SimPy process: run every month in buckets, then close its books."""
        for month in range(self.months):
            self.month = month
            if self.on_month_start is not None:
                self.on_month_start(month)
            self._open_month(month)
            for b in range(BUCKETS_PER_MONTH):
                self._run_bucket(month, b)
                yield env.timeout(BUCKET_DAYS)
            self._close_month(month)

    def _open_month(self, month: int) -> None:
        F = self.F
        arrived = self.hires_due.pop(month, 0)
        self.workers += arrived
        orders = self.actual_demand(month)
        self.books = bk = MonthBooks(
            orders=list(orders), filled=[0] * F, made=[0] * F, outsourced=[0] * F,
            expedited=[0] * F, revenue=[0.0] * F, begin=list(self.inventory), late=[0] * F,
        )
        bk.hires_started, self._hires_unbooked, self._books_month = self._hires_unbooked, 0, month
        self._orders_split = [_split(o, BUCKETS_PER_MONTH) for o in orders]
        # fixed for the month (the workforce changes only here), read in every bucket
        self._month_regular = r = self.workers * self.plant.hours_per_worker / BUCKETS_PER_MONTH * self.capacity_factor(month)
        self._month_overtime = r * self.overtime_share(month)  # hours a bucket may add
        self._month_price = [self.price[j] * (1.0 - (PROMO_DISCOUNT if (month, j) in self.promo else 0.0))
                             for j in range(F)] if self.promo else self.price  # times 1.0 is the price itself
        self._hires_arrived = arrived
        receipts = self.material_due.pop(month, None)
        if receipts:
            d = self.event_in("supplier_disruption", month)
            for j, q in enumerate(receipts):
                if d is not None and self.families[j].id == d.family:
                    lost = round(q * d.magnitude)
                    bk.notes.append(f"supplier delivered {q - lost} of {q} {d.family} material ordered")
                    q -= lost
                self.material[j] += q
        outs = self.outsource_due.pop(month, None)
        if outs:
            for j, q in enumerate(outs):
                self.inventory[j] += q
                bk.outsourced[j] += q
        cf = self.capacity_factor(month)
        if cf < 1.0:
            bk.notes.append(f"breakdown: plant at {cf:.0%} of capacity")

    def _run_bucket(self, month: int, b: int) -> None:
        bk = self.books
        assert bk is not None
        F, fams, made, left = self.F, range(self.F), bk.made, BUCKETS_PER_MONTH - b
        material, inventory, backlog = self.material, self.inventory, self.backlog  # locals: this runs 216 times
        exp = self.expedite_due.pop((month, b), None) if self.expedite_due else None
        if exp:
            for j in fams:
                material[j] += exp[j]
        # production: catch up evenly on what is left of the month's target
        target, hpu = self.plan_in_force.production, self.hours_per_unit
        want, hours_need = [0.0] * F, 0.0
        for j in fams:
            gap = target[j] - made[j]
            if gap > 0:
                want[j] = w = gap / left
                hours_need += w * hpu[j]
        regular, overtime = self._month_regular, self._month_overtime
        bk.capacity_hours += regular
        scale = 1.0 if hours_need <= regular + overtime else (regular + overtime) / hours_need
        round_up = 0.5 if left == 1 else 1e-9
        used, short = 0.0, False
        # per family: make within hours and material, then ship (oldest backorders first, then new orders)
        split, price, filled, late, revenue = self._orders_split, self._month_price, bk.filled, bk.late, bk.revenue
        for j in fams:
            inv = inventory[j]
            q = int(want[j] * scale + round_up)
            if q > material[j]:
                short = True
                q = material[j]
            if q > 0:
                material[j] -= q
                inv += q
                made[j] += q
                used += q * hpu[j]
            back, s_back = backlog[j], 0
            if back:
                s_back = inv if inv < back else back
                inv -= s_back
                back -= s_back
                late[j] += s_back
            new = split[j][b]
            s_new = inv if inv < new else new
            backlog[j] = back + new - s_new
            inventory[j] = inv - s_new
            filled[j] += s_new
            revenue[j] += (s_back + s_new) * price[j]
        bk.regular_hours += used if used < regular else regular
        if used > regular:
            bk.overtime_hours += used - regular
        if short:
            # supply chain expedites what the rest of the month needs beyond stock and pipeline
            key = (month, b + 1) if b + 1 < BUCKETS_PER_MONTH else (month + 1, 0)
            row = self.expedite_due.setdefault(key, [0] * F)
            for j in fams:
                need = max(0, target[j] - made[j]) - material[j] - row[j]
                if need > 0:
                    row[j] += need
                    bk.expedited[j] += need

    def _close_month(self, month: int) -> None:
        bk = self.books
        assert bk is not None
        p, co = self.plant, self.company
        inventory, material, backlog = self.inventory, self.material, self.backlog
        unit_cost, material_cost, price = self.unit_cost, self.material_cost, self.price
        production, source, shipped = self.plan_in_force.production, self.plan_in_force.source, bk.shipped
        for j, fam in enumerate(self.families):
            lost = max(0, backlog[j] - bk.orders[j])
            backlog[j] -= lost
            inv, mat, uc, mc = inventory[j], material[j], unit_cost[j], material_cost[j]
            fg_value, mat_value = inv * uc, mat * mc
            excess = excess_value(self, month, j)
            self.period_records.append(
                {
                    "month": month,
                    "family": fam.id,
                    "orders": bk.orders[j],
                    "filled_from_stock": bk.filled[j],
                    "shipped": shipped[j],
                    "backlog": backlog[j],
                    "lost_sales": lost,
                    "inventory_begin": bk.begin[j],
                    "made": bk.made[j],
                    "outsourced": bk.outsourced[j],
                    "produced": bk.made[j] + bk.outsourced[j],
                    "inventory_end": inv,
                    "material_on_hand": mat,
                    "planned_production": production[j],
                    "plan_source": source,
                    "expedited_units": bk.expedited[j],
                    "shipped_late": bk.late[j],
                    "late_freight_cost": bk.late[j] * price[j] * p.late_freight_rate,
                    "revenue": bk.revenue[j],
                    "material_cost": bk.made[j] * mc,
                    "outsourcing_cost": bk.outsourced[j] * uc * (1.0 + p.outsource_premium),
                    "expediting_cost": bk.expedited[j] * mc * p.expedite_premium,
                    "holding_cost": (inv * uc + mat * mc) * p.carrying_rate,
                    "finished_goods_value": fg_value,
                    "material_value": mat_value,
                    "inventory_value": fg_value + mat_value,
                    "capital_charge": (fg_value + mat_value) * co.cost_of_capital / 12.0,
                    # provision on stock beyond the cover window: its change is the month's write-down
                    "excess_provision_begin": self._excess_begin[j] * co.excess_write_down,
                    "excess_provision_end": excess * co.excess_write_down,
                    "cost_of_goods_shipped": shipped[j] * uc,
                    # finished goods at standard cost: an asset, not an expense. Material is charged as it
                    # is used (material_cost), so material on hand is not counted again here: counting it
                    # made every unit built ahead look like a loss of its material cost until it sold.
                    "stock_value_begin": bk.begin[j] * uc,
                    "stock_value_end": fg_value,
                    "aop_revenue": self.aop_units(month, j) * price[j],
                }
            )
            self._excess_begin[j] = excess
        self.plant_records.append(
            {
                "month": month,
                "workers": self.workers,
                "hires_arrived": self._hires_arrived,
                "hires_started": bk.hires_started,
                "capacity_hours": bk.capacity_hours,
                "regular_hours": bk.regular_hours,
                "overtime_hours": bk.overtime_hours,
                "labour_cost": self.workers * p.hours_per_worker * p.wage,
                "overtime_cost": bk.overtime_hours * p.wage * p.overtime_premium,
                "hiring_cost": bk.hires_started * p.cost_per_hire,
                "notes": "; ".join(bk.notes),
            }
        )
