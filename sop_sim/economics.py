"""The money side of every decision: options priced with their full effect, and economic profit.

Pure functions, no state: the meetings and the role policies call them to price what
they put in front of the executives, and :func:`sop_sim.metrics.summarize` calls them to
put a run's results in money. Each function states its rule, so a learner can redo the
arithmetic by hand (the unit tests do exactly that).

Conventions, the same everywhere:

* **Contribution** of a unit is its price less the costs that vary with it. Regular
  labour is paid whether the plant is busy or not, so a unit made in regular hours that
  would otherwise sit idle costs only its material; a unit made in overtime also costs the
  overtime premium; an outsourced unit costs the contract price and saves our material.
* An option's **cost** is what it takes from the margin against doing nothing about the
  issue; a negative cost is a gain. Options are compared on the same horizon.
* **Economic profit** is the margin less a charge for the capital tied up in stock
  (materials and finished goods, at the company's annual cost of capital) and less the
  write-down of stock that will not sell in time (stock beyond ``excess_cover_months`` of
  expected demand is written down by ``excess_write_down`` of its cost). Finance reads it
  the way the Fresh Connection reads its ROI: service and revenue only count once they pay
  for the stock and capacity they need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Priced:
    """An option with its cost (positive: takes from the margin) and the parts that make it up."""

    id: str
    label: str
    cost: float
    parts: dict[str, float] = field(default_factory=dict)

    def explain(self) -> str:
        """The parts as one line of effects on the margin, e.g. 'extra units +17,000; discount on the base volume -32,000'."""
        return "; ".join(f"{k} {v:+,.0f}" for k, v in self.parts.items())


# --- options ---------------------------------------------------------------------------
def promotion(price: float, variable_cost: float, base_units: float, uplift: float, discount: float,
              pull_forward: float, next_base_units: float, label: str = "promotion") -> Priced:
    """A price promotion in one month, with its full effect on the margin.

    * the **discount** applies to the whole month's volume, not only to the extra units:
      ``base_units * discount * price`` is given away on what customers would have bought anyway;
    * the **extra units** earn ``uplift * base_units * (price * (1 - discount) - variable_cost)``;
    * the **pull-forward dip**: next month's demand falls by ``pull_forward * uplift`` of its
      base, losing ``(price - variable_cost)`` on each unit.

    Example (mowers): price 320, variable cost 220, 1,000 units, +25 % at 10 % off, a
    15 % pull-forward on 1,000 units next month: extra units +17,000, discount -32,000,
    dip -3,750, so the promotion costs 18,750 of margin.
    """
    extra = uplift * base_units
    gain_extra = extra * (price * (1.0 - discount) - variable_cost)
    given_away = base_units * discount * price
    dip = pull_forward * uplift * next_base_units * (price - variable_cost)
    return Priced("promote", label, given_away + dip - gain_extra,
                  {"extra units": gain_extra, "discount on the base volume": -given_away,
                   "pull-forward dip next month": -dip})


def overtime(hours: float, wage: float, premium: float, label: str = "overtime") -> Priced:
    """Overtime hours: each costs ``wage * premium`` (regular hours are paid anyway)."""
    cost = hours * wage * premium
    return Priced("overtime", label, cost, {"overtime pay": -cost})


def outsourcing(units: Sequence[float], unit_cost: Sequence[float], material_cost: Sequence[float],
                premium: float, label: str = "outsource") -> Priced:
    """Units bought from a contract manufacturer instead of made in-house.

    Each costs the contract price ``unit_cost * (1 + premium)`` and saves our own
    material: ``units * (unit_cost * (1 + premium) - material_cost)`` against making it.
    """
    cost = sum(u * (c * (1.0 + premium) - m) for u, c, m in zip(units, unit_cost, material_cost, strict=True))
    return Priced("outsource", label, cost, {"contract price above our material": -cost})


@dataclass(frozen=True)
class Shortfall:
    """Demand a plan leaves unserved, month by month and per family (H x F lists of units)."""

    backordered: list[list[float]]  # not served in the month ordered
    late: list[list[float]]  # last month's backorders served this month (by express freight)
    lost: list[list[float]]  # last month's backorders cancelled this month
    cost: float = 0.0  # late units * late cost + lost units * lost cost (+ backorders left at the end, as late)


def demand_shortfall(demand: Sequence[Sequence[float]], opening: Sequence[float],
                     supply: Sequence[Sequence[float]], late_cost: Sequence[float] | None = None,
                     lost_cost: Sequence[float] | None = None, detail: bool = True) -> Shortfall:
    """Units of demand backordered, served late and lost, month by month and per family, and their cost.

    Stock starts at ``opening`` (negative: a backlog), each month adds ``supply`` and
    ships demand, oldest orders first. What stock cannot cover waits as a backorder; it
    ships late if the next month's supply covers it and is lost otherwise (customers wait
    at most a month, as in :mod:`sop_sim.company`). Safety stock the plan could not build
    is neither: only demand counts. With ``late_cost`` and ``lost_cost`` per unit (see
    :func:`shortfall_rates`) the result carries the cost; backorders still open after the
    last month are priced as shipping late. ``detail=False`` skips the late and lost rows
    (the planner needs only the cost and the backorders, many times a run).
    """
    F = len(opening)
    H = len(demand)
    if len(supply) != H:
        raise ValueError(f"supply has {len(supply)} months, demand {H}")
    lc = late_cost or [0.0] * F
    xc = lost_cost or [0.0] * F
    back_rows = [[0.0] * F for _ in range(H)]
    late_rows = [[0.0] * F for _ in range(H)] if detail else []
    lost_rows = [[0.0] * F for _ in range(H)] if detail else []
    cost = 0.0
    months = range(H)
    for j in range(F):  # family by family: the stock of one family carries from month to month
        x = float(opening[j])
        stock, waiting = (x, 0.0) if x > 0.0 else (0.0, -x)
        late_j, lost_j = lc[j], xc[j]
        for h in months:
            s = stock + supply[h][j]
            if waiting > 0.0:  # last month's backorders first (plain floats, no min/max: this is hot)
                if s >= waiting:
                    cost += waiting * late_j
                    if detail:
                        late_rows[h][j] = waiting
                    s -= waiting
                else:
                    cost += s * late_j + (waiting - s) * lost_j
                    if detail:
                        late_rows[h][j], lost_rows[h][j] = s, waiting - s
                    s = 0.0
            short = demand[h][j] - s
            if short > 0.0:
                back_rows[h][j] = waiting = short
                stock = 0.0
            else:
                waiting = 0.0
                stock = -short
        cost += waiting * late_j
    return Shortfall(back_rows, late_rows, lost_rows, cost)


def shortfall_rates(price: Sequence[float], material_cost: Sequence[float],
                    late_freight_rate: float) -> tuple[list[float], list[float]]:
    """Cost per unit short: (express freight on a late unit, contribution of a lost unit) per family."""
    return ([p * late_freight_rate for p in price],
            [p - m for p, m in zip(price, material_cost, strict=True)])


def accept(short: Shortfall, late_cost: Sequence[float], lost_cost: Sequence[float],
           label: str = "accept") -> Priced:
    """Accept a supply gap: what the demand left unserved costs (a :func:`demand_shortfall` with detail).

    Units that ship a month late pay express freight; units not caught up within the
    month are lost with their contribution; backorders still open at the end count as late.
    """
    late = sum(sum(r[j] * late_cost[j] for j in range(len(r))) for r in short.late)
    if short.backordered:
        late += sum(b * c for b, c in zip(short.backordered[-1], late_cost, strict=True))
    lost = sum(sum(r[j] * lost_cost[j] for j in range(len(r))) for r in short.lost)
    return Priced("accept", label, late + lost, {"express freight on late units": -late,
                                                 "contribution of lost units": -lost})


def hiring(workers: int, hire_cost: float, monthly_wage: float, months_paid: int, lead_months: int,
           shortfall_cost: float = 0.0, label: str = "hire") -> Priced:
    """Hire ``workers``: recruiting cost now, wages from the month they are productive.

    Hiring takes ``lead_months`` (recruiting and training), so the gap before then must
    be bridged or accepted (``shortfall_cost``: what the demand they cannot cover still costs); the wages
    run for ``months_paid`` months after that (to the end of the horizon priced).
    """
    recruit = workers * hire_cost
    wages = workers * monthly_wage * max(0, months_paid)
    cost = recruit + wages + shortfall_cost
    parts = {"recruiting": -recruit, f"wages from month {lead_months} on": -wages}
    if shortfall_cost:
        parts["demand still short"] = -shortfall_cost
    return Priced("hire", label, cost, parts)


# --- reactive hiring (a rule role policies call) ---------------------------------------
def reactive_hires(backlog_hours: Sequence[float], regular_hours: float, hours_per_worker: float,
                   in_pipeline: int, *, threshold: float = 0.10, months_running: int = 2,
                   clear_in_months: int = 2, max_hires: int = 12) -> int:
    """Workers a company without a forward plan hires once late orders have piled up.

    Nobody looked ahead, so the signal is the backlog itself: when the month-end backlog,
    in labour hours, has stayed above ``threshold`` of a month's regular hours for
    ``months_running`` months and nobody is already being recruited (``in_pipeline``),
    operations asks for enough workers to work the average backlog off in
    ``clear_in_months`` (at most ``max_hires``). They arrive after the hiring lead time,
    so the hire is late by construction: that is the lesson.
    """
    recent = list(backlog_hours)[-months_running:]
    if in_pipeline > 0 or len(recent) < months_running or regular_hours <= 0:
        return 0
    if min(recent) <= threshold * regular_hours:
        return 0
    need = sum(recent) / len(recent) / (hours_per_worker * clear_in_months)
    return max(1, min(max_hires, math.ceil(need)))


# --- economic profit -------------------------------------------------------------------
def capital_charge(month_end_stock_value: Sequence[float], cost_of_capital: float) -> float:
    """Cost of the money tied up in stock: each month-end value times a month of the annual rate."""
    return float(sum(month_end_stock_value)) * cost_of_capital / 12.0


def excess_stock_value(finished: float, material: float, expected_demand: float, unit_cost: float,
                       material_cost: float) -> float:
    """Value of one family's stock that will not sell within the cover window.

    Finished goods above ``expected_demand`` (units expected over the window) are excess;
    material is excess beyond what the rest of that demand, once finished stock is used,
    would consume.
    """
    fg_excess = max(0.0, finished - expected_demand)
    mat_excess = max(0.0, material - max(0.0, expected_demand - finished))
    return fg_excess * unit_cost + mat_excess * material_cost


def write_down(opening_excess_value: float, closing_excess_value: float, rate: float) -> float:
    """The write-down a run books: the provision on excess stock at the close less at the opening."""
    return rate * (closing_excess_value - opening_excess_value)


def economic_profit(margin: float, charge: float, written_down: float) -> float:
    """Margin less the capital charge on stock less the write-down of stock that will not sell."""
    return margin - charge - written_down
