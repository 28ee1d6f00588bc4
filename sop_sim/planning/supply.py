"""Rough-cut supply planning: what the supply review does with the demand plan.

:func:`plan_supply` turns a demand plan (months x families, in units) into a
production plan the plant can make, in the order a planner would reach for the levers:

1. **Net requirements** month by month: demand plus the safety stock target, less the
   projected stock (a *chase* of demand).
2. **Pre-build** (``level`` and ``hybrid``): hours that do not fit in a month's regular
   shift move to the latest earlier month with spare regular hours, building stock ahead
   of a peak (it costs carrying cost, which the finance view shows).
3. **Overtime** up to the cap for what still does not fit.
4. **Residual**: hours that fit nowhere. The planner prices three options for the
   executives: *hire* (new workers are productive after the hiring lead time; the gap
   before that is bridged by outsourcing), *outsource* (after the outsourcing lead
   time), or *accept* the shortfall (lost margin). Operations cannot choose alone: the
   options go up the escalation path, and the authorized plan records the choice.

Strategies: ``chase`` (no pre-build: overtime, then the options), ``level`` (hire up
front to the average need over the horizon, pre-build), ``hybrid`` (keep the workforce,
pre-build, overtime, then the options). The arithmetic is plain Python over at most
36 months x 12 families, fast enough to run at every supply review.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from sop_sim import economics

#: Options are priced over the next year (finance's outlook); later gaps come back to later reviews.
PRICING_MONTHS = 12


@dataclass
class SupplyInputs:
    """What the supply review knows when it plans months ``first`` .. ``first + H - 1``."""

    first: int
    demand: list[list[float]]  # H x F units
    opening: list[float]  # projected net stock per family at the start of ``first``
    hours_per_unit: list[float]
    unit_cost: list[float]
    material_cost: list[float]
    price: list[float]
    workers: list[int]  # workers on the line per planned month (pipeline included)
    hours_per_worker: float
    wage: float
    capacity_factor: list[float]  # 1.0, or less in a month with a known breakdown
    overtime_share: list[float]
    safety_months: float
    hire_lead: int  # months from now until a hire is productive
    outsource_lead: int
    hire_cost: float
    overtime_premium: float
    outsource_premium: float
    scheduled: list[list[float]] | None = None  # H x F receipts already ordered (outsourcing)
    outsource_cap_hours: float = float("inf")  # contract manufacturer's capacity per month, in our hours
    strategy: str = "hybrid"
    allow_overtime: bool = True
    allow_prebuild: bool = True
    late_freight_rate: float = 0.0  # a late unit ships by express freight at this share of its price


@dataclass
class SupplyOption:
    """One way to close the capacity gap, priced for the executives."""

    id: str
    label: str
    cost: float
    hires: int = 0
    outsource: list[list[int]] = field(default_factory=list)  # H x F units
    extra_production: list[list[float]] = field(default_factory=list)  # H x F in-house units
    shortfall_units: int = 0
    build: Any = field(default=None, repr=False, compare=False)  # makes extra_production when first needed


@dataclass
class SupplyPlan:
    """A feasible in-house plan plus the options for what does not fit."""

    production: list[list[float]]  # H x F units made in-house (before the options)
    overtime_hours: list[float]
    residual_units: list[list[float]]  # H x F units the plant cannot make with today's staff
    prebuilt_hours: float
    level_hires: int
    options: list[SupplyOption]
    # operations' options before finance prices them at the pre-S&OP: the hire closes the whole gap
    raw_options: list[SupplyOption] = field(default_factory=list)
    demand: list[list[float]] = field(default_factory=list)  # H x F: the demand plan it was made for

    @property
    def gap_units(self) -> int:
        return int(round(sum(sum(r) for r in self.residual_units)))

    def option(self, option_id: str, prepared: bool = True) -> SupplyOption:
        for o in (self.options if prepared or not self.raw_options else self.raw_options):
            if o.id == option_id:
                if o.build is not None:
                    o.extra_production, o.build = o.build(), None
                return o
        raise KeyError(option_id)

    def recommended(self) -> SupplyOption | None:
        return min(self.options, key=lambda o: o.cost) if self.options else None


def _receipts(inp: SupplyInputs) -> list[list[float]] | None:
    """The receipts already booked (H x F), or None when nothing is due, as in most months."""
    return inp.scheduled if inp.scheduled and any(chain.from_iterable(inp.scheduled)) else None


def _net_requirements(inp: SupplyInputs) -> tuple[list[list[float]], list[float]]:
    """Units to make per month and family (H x F), and the labour hours they need per month."""
    stock = [float(x) for x in inp.opening]  # plain floats: numpy scalars make every step below slow
    req, hours, hpu = [], [], inp.hours_per_unit
    demand, scheduled, safety = inp.demand, _receipts(inp), inp.safety_months  # locals: this loop is hot
    fams = range(len(stock))
    following = demand[1:] + demand[-1:]  # next month's demand sets the safety stock (the last month: its own)
    if scheduled is None:  # nothing due: the arithmetic below less the + 0.0 and - 0.0
        for dem, nxt in zip(demand, following, strict=True):
            row, t = [], 0.0
            for j in fams:
                d = dem[j]
                q = d + safety * nxt[j] - stock[j]
                q = q if q > 0.0 else 0.0  # exactly max(0.0, q), without the call
                stock[j] += q - d
                row.append(q)
                t += q * hpu[j]
            req.append(row)
            hours.append(t)
        return req, hours
    for dem, nxt, due in zip(demand, following, scheduled, strict=False):
        row, t = [], 0.0
        for j in fams:
            d = dem[j]
            q = d + safety * nxt[j] - stock[j] - due[j]
            q = q if q > 0.0 else 0.0
            stock[j] += q + due[j] - d
            row.append(q)
            t += q * hpu[j]
        req.append(row)
        hours.append(t)
    return req, hours


def _fit(
    req: list[list[float]],
    hours: list[float],
    inp: SupplyInputs,
    extra_workers: list[int],
    prebuild: bool,
    overtime: bool,
):
    """Fit requirements (and the ``hours`` they need each month) into capacity.

    Returns production, overtime, residual and prebuilt hours.
    """
    H, F = len(req), len(inp.opening)
    fams = range(F)
    prod = [list(r) for r in req]
    need = list(hours)
    workers, hpw, cf = inp.workers, inp.hours_per_worker, inp.capacity_factor
    reg = [(workers[h] + extra_workers[h]) * hpw * cf[h] for h in range(H)]
    prebuilt = 0.0
    if prebuild:
        # months that may still have spare regular hours, in order: a month found full stays
        # full (months before h only ever receive hours), so the search skips it from then on
        open_months = list(range(H))
        for h in range(H - 1, 0, -1):
            if open_months and open_months[-1] == h:
                open_months.pop()  # only months before h can build ahead for it
            excess = need[h] - reg[h]
            i = len(open_months) - 1
            ph = prod[h]
            while excess > 1e-9 and i >= 0:
                k = open_months[i]
                spare = reg[k] - need[k]
                if spare > 1e-9:
                    move = spare if spare < excess else excess
                    frac = move / need[h]
                    pk = prod[k]
                    for j in fams:
                        units = ph[j] * frac
                        ph[j] -= units
                        pk[j] += units
                    need[h] -= move
                    need[k] += move
                    excess -= move
                    prebuilt += move
                else:
                    del open_months[i]
                i -= 1
    ot = [0.0] * H
    residual = [[0.0] * F for _ in range(H)]
    share = inp.overtime_share
    for h in range(H):
        cap = reg[h] * (1.0 + (share[h] if overtime else 0.0))
        nh = need[h]
        if nh > reg[h]:
            ot[h] = (nh if nh < cap else cap) - reg[h]
        if nh > cap + 1e-9:
            frac = (nh - cap) / nh
            ph, rh = prod[h], residual[h]
            for j in fams:
                rh[j] = ph[j] * frac
                ph[j] -= rh[j]
    return prod, ot, residual, prebuilt


def plan_supply(inp: SupplyInputs) -> SupplyPlan:
    """Plan production for the horizon and price the options for any residual gap."""
    H = len(inp.demand)
    F = len(inp.opening)
    req, hours = _net_requirements(inp)
    prebuild = inp.allow_prebuild and inp.strategy in ("level", "hybrid")
    no_extra = [0] * H
    level_hires = 0
    if inp.strategy == "level":
        total = sum(req[h][j] * inp.hours_per_unit[j] for h in range(H) for j in range(F))
        avail = sum(
            inp.workers[h] * inp.hours_per_worker * inp.capacity_factor[h] for h in range(H)
        )
        months_after = max(0, H - inp.hire_lead)
        if total > avail and months_after:
            level_hires = math.ceil((total - avail) / (inp.hours_per_worker * months_after))
        no_extra = [level_hires if h >= inp.hire_lead else 0 for h in range(H)]
    prod, ot, residual, prebuilt = _fit(req, hours, inp, no_extra, prebuild, inp.allow_overtime)
    options: list[SupplyOption] = []
    if sum(map(sum, residual)) >= 0.5:
        options, raw = _options(req, hours, inp, prod, residual, no_extra, prebuild)
        return SupplyPlan(prod, ot, residual, prebuilt, level_hires, options, raw, inp.demand)
    return SupplyPlan(prod, ot, residual, prebuilt, level_hires, options, [], inp.demand)


def _dot(row: list[float], weights: list[float]) -> float:
    total = 0.0
    for x, w in zip(row, weights, strict=True):
        total += x * w
    return total


def _split_by_lead(residual: list[list[float]], inp: SupplyInputs) -> tuple[list[list[int]], int]:
    """Outsource what can arrive in time and fits the contractor; the rest stays a shortfall."""
    out, short = [], 0.0
    hpu = inp.hours_per_unit
    sched = inp.scheduled
    lead, cap = inp.outsource_lead, inp.outsource_cap_hours
    for h, row in enumerate(residual):
        if h < lead or not any(row):
            out.append([0] * len(row))
            short += sum(row)
            continue
        hours = _dot(row, hpu)
        room = cap - _dot(sched[h], hpu) if sched and any(sched[h]) else cap
        share = 0.0 if hours <= 0 or room <= 0.0 else (1.0 if room >= hours else room / hours)
        out.append([int(round(x * share)) for x in row])
        short += sum(row) * (1.0 - share)
    return out, int(round(short))


def _hires_needed(inp: SupplyInputs, residual: list[list[float]]) -> int:
    """Smallest crew increase whose hours, from the hiring month on, cover the gap cumulatively.

    Stock built early can serve later months, so a hire only has to match the residual
    hours summed from the first month it is productive up to each later month.
    """
    need = got = 0.0
    n = 1
    for h in range(inp.hire_lead, len(residual)):
        need += sum(r * w for r, w in zip(residual[h], inp.hours_per_unit, strict=True))
        got += inp.hours_per_worker * inp.capacity_factor[h] * (
            1.0 + (inp.overtime_share[h] if inp.allow_overtime else 0.0))
        n = max(n, math.ceil(need / got - 1e-9))
    return n


def _supplied(prod: list[list[float]], inp: SupplyInputs, *more: list[list[int]]) -> list[list[float]]:
    """Units available each month: in-house production, receipts already booked and ``more``."""
    H, F = len(prod), len(inp.opening)
    sched = _receipts(inp)
    if sched is None and not more:
        return prod
    out = []
    for h in range(H):
        row = [prod[h][j] + (sched[h][j] if sched else 0.0) for j in range(F)]
        for m in more:
            for j in range(F):
                row[j] += m[h][j]
        out.append(row)
    return out


def _options(req, hours, inp: SupplyInputs, prod, residual, base_extra,
             prebuild) -> tuple[list[SupplyOption], list[SupplyOption]]:
    """The priced options (the hire sized to cost least) and the raw ones (the hire closes the gap)."""
    H, F = len(req), len(inp.opening)
    # Every option is priced with its full effect (sop_sim.economics): what it spends plus
    # what the *demand* it still leaves unsupplied costs: express freight on units that ship
    # a month late, the contribution (price - material) of units lost. Regular labour is on
    # the payroll either way. Safety stock the plan cannot build is not a lost sale.
    late_cost, lost_cost = economics.shortfall_rates(inp.price, inp.material_cost, inp.late_freight_rate)

    W = min(H, PRICING_MONTHS)

    def lost(supply: list[list[float]]) -> tuple[float, list[list[float]]]:
        """Cost of the demand ``supply`` leaves unserved in the priced window, and the units short each month."""
        short = economics.demand_shortfall(inp.demand[:W], inp.opening, supply[:W], late_cost, lost_cost,
                                           detail=False)
        return short.cost, short.backordered + [[0.0] * F for _ in range(H - W)]

    lost0, short0 = lost(_supplied(prod, inp))
    options = [
        SupplyOption(
            "accept",
            "Accept the shortfall and let service drop",
            cost=lost0,
            shortfall_units=int(round(sum(map(sum, short0)))),
        )
    ]
    if not any(map(any, short0)):  # only safety stock is short: nothing to outsource or hire for
        return options, list(options)
    out, _ = _split_by_lead(short0, inp)
    if any(map(any, out)):
        spend = economics.outsourcing([sum(r[j] for r in out) for j in range(F)], inp.unit_cost,
                                      inp.material_cost, inp.outsource_premium).cost
        left, short = lost(_supplied(prod, inp, out))
        options.append(
            SupplyOption(
                "outsource",
                "Outsource the gap to a contract manufacturer",
                cost=spend + left,
                outsource=out,
                shortfall_units=int(round(sum(map(sum, short)))),
            )
        )
    if inp.hire_lead < W and any(sum(short0[h]) > 0.5 for h in range(inp.hire_lead, W)):
        # the crew that would close the whole gap after the lead time, then the size that pays best:
        # hiring for the peak leaves people idle the rest of the year, hiring fewer lets some ship late
        n_full = min(512, _hires_needed(inp, short0))
        monthly = inp.hours_per_worker * inp.wage
        fixed = inp.hire_cost + monthly * (W - inp.hire_lead)  # what each hire costs whatever it covers

        def crew(n: int):
            extra = [base_extra[h] + (n if h >= inp.hire_lead else 0) for h in range(H)]
            prod2 = _fit(req, hours, inp, extra, prebuild, inp.allow_overtime)[0]
            left, short = lost(_supplied(prod2, inp))
            return economics.hiring(n, inp.hire_cost, monthly, W - inp.hire_lead, inp.hire_lead + 1, left), n, \
                prod2, short

        def more(prod2: list[list[float]]) -> list[list[float]]:
            return [[prod2[h][j] - prod[h][j] for j in range(F)] for h in range(H)]

        best = None
        for n in sorted({max(1, round(n_full / 4)), max(1, round(n_full / 2)), n_full}):
            if best is not None and n * fixed >= best[0].cost:
                break  # this crew's recruiting and wages alone cost more than the best one priced so far
            got = crew(n)
            if best is None or got[0].cost < best[0].cost:
                best = got
        priced, n, prod2, short = best
        options.append(SupplyOption(
            "hire", f"Hire {n} workers (productive in {inp.hire_lead + 1} months); what they cannot cover ships "
            "late", cost=priced.cost, hires=n, extra_production=more(prod2),
            shortfall_units=int(round(sum(map(sum, short))))))
        # operations' raw option: the crew that closes the gap, at its recruiting and wages (the
        # plan with it is worked out only if an executive takes it)
        raw = [*options[:-1], SupplyOption(
            "hire", f"Hire {n_full} workers (productive in {inp.hire_lead + 1} months) to close the gap",
            cost=n_full * fixed, hires=n_full,
            build=lambda: more(crew(n_full)[2]))]
        return options, raw
    return options, list(options)
